"""What every command shares: loading a clean workbook, the formatter, glyph checks, and what a run did."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.documents.rule import closure_problems, typed_decision_warnings
from reportgen.errors import ConfigError, InvalidWorkbook, quoted
from reportgen.i18n import _
from reportgen.input.validation import Parsed, parse
from reportgen.input.xlsx import read_workbook
from reportgen.model.problems import Problem
from reportgen.render.formatting import Formatter
from reportgen.render.pdf import PdfJob
from reportgen.settings import Settings

Stage = Callable[[str], None]  # told what a run is doing now ("rendering the PDF"), for progress lines


def no_stage(text: str) -> None:
    """Ignore a stage (no progress shown)."""


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
    parsed = parse(read_workbook(Path(workbook)))
    parsed.problems.extend(typed_decision_warnings(parsed.dataset, settings))
    parsed.problems.extend(closure_problems(parsed.dataset, settings))
    return parsed


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
        raise ConfigError(
            _("locale {value}: {reason}").format(value=quoted(repr(settings.locale)), reason=exc)
        ) from exc


def pdf_job(html: str, dataset, settings: Settings, figures: dict[str, bytes] | None = None) -> PdfJob:
    """Return the PDF job for a document's HTML: it may read the templates' folders and the logo, nothing else."""
    logo = (Path(dataset.workbook_dir) / dataset.settings.logo,) if dataset.settings.logo else ()
    return PdfJob(
        html=html,
        base_dir=Path(dataset.workbook_dir),
        allowed_dirs=tuple(settings.template_dirs()),
        allowed_files=logo,
        figures=figures or {},
    )


def render_in_worker(job, settings: Settings, name: str, task=None):
    """Return job's PDF, rendered in a worker process under the settings' limits (a located error past them).

    task: what the worker runs on job (render.pdf.render_pdf unless given, e.g. output.chunks.render).
    """
    from reportgen.commands import executors
    from reportgen.render import pdf

    limits = executors.Limits(settings.render_seconds, settings.render_memory_mb)
    work = executors.Work(
        setup=pdf.warm_up, setup_args=(), task=task or pdf.render_pdf, limits=limits, name=lambda _: name
    )
    return next(executors.run([job], work, jobs=1))


def logo_url(dataset) -> str:
    """Return the logo's file URL (validation has checked it stays in the workbook's folder)."""
    return (Path(dataset.workbook_dir) / dataset.settings.logo).as_uri() if dataset.settings.logo else ""


def seal_url(dataset) -> str:
    """Return the seal's file URL, "" when the settings name none (checked like the logo)."""
    return (Path(dataset.workbook_dir) / dataset.settings.seal).as_uri() if dataset.settings.seal else ""


def check_glyphs(texts, workbook: Path, settings: Settings) -> list[Problem]:
    """Return a warning per character no bundled font draws, at the cells holding it; errors with --strict."""
    from reportgen.fonts import coverage as glyphs
    from reportgen.model.problems import ERROR, WARNING

    def cells():
        for sheet in read_workbook(Path(workbook)).sheets:
            yield from (
                (sheet.title, c.coord, c.value) for _row, row in sheet.rows for c in row if isinstance(c.value, str)
            )

    found = glyphs.problems(glyphs.uncovered(texts), cells, ERROR if settings.strict else WARNING)
    if found and settings.strict:
        raise InvalidWorkbook(found)
    return found


def printed_text(html: str) -> list[str]:
    """Return the text an HTML document prints (for the glyph check)."""
    from reportgen.fonts.coverage import printed_text as text_of

    return text_of(html)
