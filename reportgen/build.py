"""The one place the stages are chained: read → validate → plan → render → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .documents import brief as brief_doc
from .documents.common import scope
from .errors import ConfigError, InvalidWorkbook
from .formatting import Formatter
from .outdir import OutputFolder
from .output import write_bytes
from .pdf import PdfJob, render_pdf
from .problems import Problem
from .render import environment, render_html
from .settings import Settings
from .validation import Parsed, parse
from .workbook import read_workbook


@dataclass
class Outcome:
    """What a command did: files written and warnings to show."""

    written: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)  # left as they were: made from the same inputs
    kept: list[Path] = field(default_factory=list)  # files changed by hand, kept under another name


def load(workbook: Path, settings: Settings) -> Parsed:
    """Return the parsed workbook (records and every problem)."""
    return parse(read_workbook(Path(workbook)), settings.thresholds)


def load_clean(workbook: Path, settings: Settings) -> Parsed:
    """Return the parsed workbook; InvalidWorkbook when it has any error."""
    parsed = load(workbook, settings)
    if parsed.errors:
        raise InvalidWorkbook(parsed.problems)
    return parsed


def formatter_for(settings: Settings) -> Formatter:
    """Return the formatter the settings ask for; ConfigError for an unknown locale."""
    try:
        return Formatter(locale=settings.locale, digits=settings.digits, hijri_adjust=settings.hijri_adjust)
    except ValueError as exc:
        raise ConfigError(f"locale {settings.locale!r}: {exc}") from exc


def _logo_url(dataset) -> str:
    """Return the logo's file URL (validation has checked it stays in the workbook's folder)."""
    return (Path(dataset.workbook_dir) / dataset.settings.logo).as_uri() if dataset.settings.logo else ""


def brief_html(workbook: Path, settings: Settings, region: str | None = None,
               governorates: tuple[str, ...] = ()) -> tuple[str, Parsed]:
    """Return the brief's HTML and the parsed workbook (InvalidWorkbook on errors)."""
    sc = scope(region, governorates)
    parsed = load_clean(workbook, settings)
    from . import figures  # matplotlib: imported once the workbook is known to be good
    plan = brief_doc.plan(parsed.dataset, settings, sc)
    fmt = formatter_for(settings)
    env = environment(settings, fmt)
    context = {"doc": plan, "figures": figures.for_brief(plan, fmt), "settings": settings,
               "attribution": figures.MAP_ATTRIBUTION, "logo_url": _logo_url(parsed.dataset)}
    return render_html(env, "brief.html", context), parsed


def brief(workbook: Path, out: Path, settings: Settings, region: str | None = None,
          governorates: tuple[str, ...] = ()) -> Outcome:
    """Render the strategy brief of the workbook (narrowed by region/governorates) to out."""
    html, parsed = brief_html(workbook, settings, region, governorates)
    missing = check_glyphs(printed_text(html), workbook, settings)
    data = render_pdf(PdfJob(html=html, base_dir=Path(parsed.dataset.workbook_dir)))
    write_bytes(out, data)
    return Outcome(written=[Path(out)], warnings=parsed.warnings + missing)


def check_glyphs(texts, workbook: Path, settings: Settings) -> list[Problem]:
    """Return a warning per character no bundled font draws, at the cells holding it; errors with --strict."""
    from . import glyphs
    from .problems import ERROR, WARNING

    def cells():
        for sheet in read_workbook(Path(workbook)).sheets:
            yield from ((sheet.title, c.coord, c.value) for _, row in sheet.rows for c in row
                        if isinstance(c.value, str))

    found = glyphs.problems(glyphs.uncovered(texts), cells, ERROR if settings.strict else WARNING)
    if found and settings.strict:
        raise InvalidWorkbook(found)
    return found


def printed_text(html: str) -> list[str]:
    """Return the text an HTML document prints (for the glyph check)."""
    from .glyphs import printed_text as text_of

    return text_of(html)


def handout_html(workbook: Path, settings: Settings, paper: str = "A4", bleed_mm: float = 0,
                 region: str | None = None, governorates: tuple[str, ...] = ()):
    """Return the handout's HTML, the parsed workbook and the plan (InvalidWorkbook on errors)."""
    from .documents import handout as handout_doc

    sc = scope(region, governorates)
    parsed = load_clean(workbook, settings)
    from . import figures  # matplotlib: imported once the workbook is known to be good
    fmt = formatter_for(settings)
    plan = handout_doc.plan(parsed.dataset, settings, sc, paper, fmt)
    first, last = plan.first_day, plan.last_day
    context = {"doc": plan, "maps": figures.for_handout(plan), "settings": settings, "bleed_mm": bleed_mm,
               "attribution": figures.MAP_ATTRIBUTION, "logo_url": _logo_url(parsed.dataset),
               "fmt_range": fmt.date_range(first, last) if first else ""}
    return render_html(environment(settings, fmt), "handout.html", context), parsed, plan


def handout(workbook: Path, out: Path, settings: Settings, paper: str | None = None, booklet: bool = False,
            bleed_mm: float = 0, region: str | None = None, governorates: tuple[str, ...] = ()) -> Outcome:
    """Render the conference handout to out: A4 (A5 for a booklet), optionally imposed or with bleed."""
    from . import imposition

    html, parsed, plan = handout_html(workbook, settings, paper or ("A5" if booklet else "A4"), bleed_mm,
                                      region, governorates)
    missing = check_glyphs(printed_text(html), workbook, settings)
    data = render_pdf(PdfJob(html=html, base_dir=Path(parsed.dataset.workbook_dir)))
    warnings = list(parsed.warnings) + missing + _overflowing_sheets(plan, imposition.anchor_pages(data))
    write_bytes(out, imposition.booklet(data) if booklet else data)
    return Outcome(written=[Path(out)], warnings=warnings)


def _overflowing_sheets(plan, pages: dict[str, int]) -> list[Problem]:
    """Return a warning for each fact sheet that did not keep to its one page."""
    from .problems import WARNING

    anchors = [s.anchor for s in plan.sheets] + ["axes"]
    return [Problem(f"the fact sheet of {sheet.cluster.id} runs over one page; please report this", severity=WARNING)
            for sheet, this, after in zip(plan.sheets, anchors, anchors[1:], strict=False)
            if this in pages and after in pages and pages[after] - pages[this] != 1]


def dossiers(workbook: Path, out_dir: Path, settings: Settings, cluster_ids: tuple[str, ...] = (),
             jobs: int | None = None, key=None, progress=None, force: bool = False,
             executor: str | None = None) -> Outcome:
    """Write a dossier PDF per certification (PDF/A-3b, record attached) and register.xlsx into out_dir.

    A dossier that cannot be made is a failure naming its cluster; the others are still written.
    Only files whose inputs changed since the folder's last run are made again (all with force);
    a file changed by hand is made again and the changed one kept beside it. progress, when given,
    is called with the number of dossiers to make and returns a context manager whose update(1)
    is called as each one is done. executor: None (local processes) or "dask://HOST:PORT".
    """
    import contextlib
    import dataclasses

    from . import incremental, register
    from .documents import dossier as dossier_doc
    from .executors import check_executor

    formatter_for(settings)  # an unknown locale fails here, before any worker starts
    check_executor(executor)
    asked = incremental.digest(str(Path(workbook).resolve()), incremental.run_digest(settings, tuple(cluster_ids), key))
    if not force and (same := _unchanged_run(Path(out_dir), asked)) is not None:
        return same  # the workbook and everything else as last time: not even read again
    parsed = load_clean(workbook, settings)
    sources = {str(Path(workbook).resolve()): incremental.file_digest(workbook)}
    from . import glyphs, issuing  # matplotlib: imported once the workbook is known to be good

    planned = dossier_doc.plan(parsed.dataset, settings, tuple(cluster_ids))
    # The HTML is made in the workers: check the text the dossiers are made of, here, before any.
    missing = check_glyphs(glyphs.strings_of(planned.dossiers), workbook, settings)
    outcome = Outcome(warnings=parsed.warnings + missing,
                      failures=[f"{f.cluster_id}: {f.message}" for f in planned.failures])
    logo = Path(parsed.dataset.workbook_dir) / parsed.dataset.settings.logo if parsed.dataset.settings.logo else None
    if logo is not None:
        sources[str(logo.resolve())] = incremental.file_digest(logo)
    base = incremental.dossier_digest_base(settings, key, logo)
    inputs = {d.file_name: incremental.digest(base, incremental.data_digest(d)) for d in planned.dossiers}
    done: set[str] = set()
    # Everything is staged and put in place at the end: an interrupted run changes nothing.
    with OutputFolder.claim(out_dir) as folder:
        folder.check([d.file_name for d in planned.dossiers] + [register.FILE_NAME], replace_altered=True)
        todo = tuple(d for d in planned.dossiers if force or not folder.current(d.file_name, inputs[d.file_name]))
        bar = progress(len(todo)) if progress and todo else contextlib.nullcontext()
        with bar as shown:
            for issued in issuing.issue(todo, settings, Path(parsed.dataset.workbook_dir),
                                        _logo_url(parsed.dataset), jobs, key, executor):
                if issued.pdf is None:
                    outcome.failures.append(f"{issued.dossier.cluster.id}: {issued.error}")
                else:
                    folder.stage(issued.dossier.file_name, issued.pdf, inputs[issued.dossier.file_name])
                    done.add(issued.dossier.number)
                if shown is not None:
                    shown.update(1)
        remade = {d.file_name for d in todo}
        issued_ok = [d for d in planned.dossiers if d.number in done or d.file_name not in remade]
        outputs = [d.file_name for d in issued_ok]
        if issued_ok:
            sheet = register.sheet(issued_ok)
            listed = incremental.digest("register", incremental.data_digest(sheet), incremental.code_digest())
            if force or not folder.current(register.FILE_NAME, listed):
                with folder.stage_path(register.FILE_NAME, listed) as tmp:
                    register.write_to(tmp, issued_ok)
            outputs.append(register.FILE_NAME)
        complete = len(outcome.failures) == len(planned.failures)  # a failed render is tried again next time
        run = {"inputs": asked, "sources": sources, "outputs": outputs, "failures": outcome.failures,
               "warnings": [dataclasses.asdict(w) for w in outcome.warnings]} if complete else None
        written = folder.commit(run)
        outcome.kept = folder.kept
    outcome.written.extend(p for p in written if p.name != register.FILE_NAME)
    outcome.written.extend(p for p in written if p.name == register.FILE_NAME)
    made = {p.name for p in written}
    outcome.unchanged = [folder.path / name for name in outputs if name not in made]
    return outcome


def _unchanged_run(out_dir: Path, asked: str) -> Outcome | None:
    """Return the last run's outcome when it was asked the same, its input files are the same and every file it
    made is still there as it made it; None otherwise (then the workbook is read and each document checked)."""
    from . import incremental

    folder = OutputFolder.peek(out_dir)
    run = folder.run if folder is not None else None
    if not run or run.get("inputs") != asked:
        return None
    try:
        for path, sha in run["sources"].items():
            if not Path(path).is_file() or incremental.file_digest(Path(path)) != sha:
                return None
        if not all(folder.current(name, folder.inputs.get(name, "")) for name in run["outputs"]):
            return None
        return Outcome(warnings=[Problem(**w) for w in run["warnings"]], failures=list(run["failures"]),
                       unchanged=[folder.path / name for name in run["outputs"]])
    except (KeyError, TypeError, AttributeError, OSError):  # a record this version cannot read: do the work
        return None
