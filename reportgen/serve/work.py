"""The work behind each screen, through the command functions: validation, documents, previews, verification."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportgen import i18n
from reportgen.commands import brief, dossiers, handout, validate, verify
from reportgen.errors import ReportgenError
from reportgen.i18n import _
from reportgen.input.pdffile import FinishedPdf
from reportgen.input.suggest import suggestion
from reportgen.model.problems import Problem
from reportgen.model.reference import DECISIONS, governorates, regions
from reportgen.settings import Settings, load

PREVIEW_DPI = 50  # a thumbnail a reader can still recognise a page by
LARGE_DPI = 110  # one page read on screen
KINDS = ("brief", "dossiers", "handout")


def settings_for(workbook: Path) -> Settings:
    """Return the settings of a workbook: reportgen.toml beside it, else the current folder's, else defaults."""
    return load(None, workbook=workbook, quiet=True)


@dataclass(frozen=True)
class Shown:
    """A problem as the workbook screen lists it, with the contract's name it is a near miss of."""

    problem: Problem
    did_you_mean: str = ""


@dataclass
class Validation:
    """What the workbook screen shows: problems grouped by sheet, counts, and the clusters documents can name."""

    name: str
    groups: list[tuple[str, list[Shown]]] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    certified: list[tuple[str, str]] = field(default_factory=list)  # (cluster id, name) with a certification
    failure: str = ""  # the workbook could not be read at all

    @property
    def ok(self) -> bool:
        """Return True when documents can be made from the workbook."""
        return not self.failure and not self.errors


def check(workbook: Path, name: str) -> Validation:
    """Return the validation of workbook (shown under name): every problem, located, grouped by sheet."""
    try:
        parsed, problems = validate.run(workbook, settings_for(workbook))
    except ReportgenError as exc:
        return Validation(name, failure=exc.format_message())
    groups: dict[str, list[Shown]] = {}
    for p in problems:
        groups.setdefault(p.sheet, []).append(Shown(p, suggestion(p)))
    d = parsed.dataset
    names = {c.id: c.name for c in d.clusters}
    certified = list(dict.fromkeys((c.cluster_id, names.get(c.cluster_id, "")) for c in d.certifications))
    errors = sum(1 for p in problems if p.is_error)
    counts = {
        "clusters": len(d.clusters),
        "interventions": len(d.interventions),
        "assessments": len(d.assessments),
        "certifications": len(d.certifications),
        "sessions": len(d.programme),
    }
    return Validation(name, list(groups.items()), errors, len(problems) - errors, counts, certified)


@dataclass(frozen=True)
class Choice:
    """What the documents screen asks for: the document and its options, checked."""

    kind: str
    region: str | None = None
    governorates: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    paper: str | None = None
    booklet: bool = False
    bleed_mm: float = 0
    password: bytes = b""


def choice(form: dict[str, list[str]]) -> Choice:
    """Return the choice a documents form makes; ReportgenError for a value no control offers."""
    kind = _one(form, "kind") or "brief"
    if kind not in KINDS:
        raise ReportgenError(_("Unknown document: {kind}").format(kind=kind))
    region = _one(form, "region") or None
    if region is not None and region not in {en for en, _ar in regions()}:
        raise ReportgenError(_("Unknown region: {region}").format(region=region))
    known = {g.code for g in governorates()}
    chosen = tuple(g for g in form.get("governorate", []) if g)
    if any(g not in known for g in chosen):
        raise ReportgenError(_("Unknown governorate"))
    paper = _one(form, "paper") or None
    if paper not in (None, "A4", "A5"):
        raise ReportgenError(_("Paper must be A4 or A5"))
    booklet = _one(form, "booklet") == "on"
    try:
        bleed = float(_one(form, "bleed") or 0)
    except ValueError:
        bleed = -1
    if not 0 <= bleed <= 10:
        raise ReportgenError(_("Bleed must be a number of millimetres from 0 to 10"))
    if booklet and bleed:
        raise ReportgenError(_("A booklet has no bleed: choose one or the other"))
    clusters = tuple(c for c in form.get("cluster", []) if c)
    password = (_one(form, "password") or "").encode("utf-8")
    return Choice(kind, region, chosen, clusters, paper, booklet, bleed, password)


def _one(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip()


def has_key(workbook: Path) -> bool:
    """Return True when the certification body's key is kept beside the workbook (dossiers can be signed)."""
    from reportgen.certification import keys

    return keys.beside(workbook)[0].is_file()


def signing_key(workbook: Path, password: bytes):
    """Return the body's key kept beside the workbook, opened with password; None (drafts) when there is none."""
    from reportgen.certification import keys, signing

    path = keys.beside(workbook)[0]
    if not path.is_file():
        return None
    return signing.read_key(path, password or None)


class _Progress:
    """The dossiers' progress (a context manager told update(1) per dossier), as events."""

    def __init__(self, tell: Callable[..., None], total: int) -> None:
        self.tell, self.total, self.done = tell, total, 0

    def __enter__(self) -> _Progress:
        self.tell(type="progress", done=0, total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        self.done += n
        self.tell(type="progress", done=self.done, total=self.total)


def make(
    workbook: Path, chosen: Choice, folder: Path, tell: Callable[..., None], preview: bool = False
) -> tuple[Path, str]:
    """Make the chosen document in folder (a temporary one); return the file to show or download and its name.

    tell receives the stages and progress. A preview of dossiers makes one: the first cluster chosen, else the
    first certified one, as a draft.
    """
    settings = settings_for(workbook)

    def stage(text: str) -> None:
        # The commands name the workbook by its path: an upload's is in the temporary folder, so its name only.
        tell(type="stage", text=text.replace(str(workbook), workbook.name))

    if chosen.kind == "brief":
        out = folder / "brief.pdf"
        brief.run(workbook, out, settings, chosen.region, chosen.governorates, stage=stage)
        return out, out.name
    if chosen.kind == "handout":
        out = folder / "handout.pdf"
        handout.run(
            workbook, out, settings, chosen.paper, chosen.booklet, chosen.bleed_mm, chosen.region,
            chosen.governorates, stage=stage,
        )  # fmt: skip
        return out, out.name
    clusters = chosen.clusters
    key = None
    if preview:
        clusters = clusters[:1] or tuple(c for c, _name in check(workbook, workbook.name).certified[:1])
    else:
        key = signing_key(workbook, chosen.password)
    out_dir = folder / "dossiers"
    outcome = dossiers.run(
        workbook, out_dir, settings, clusters, key=key, unsigned=key is None,
        progress=lambda total: _Progress(tell, total), stage=stage,
        rendered=lambda cluster: tell(type="cluster", text=cluster),
    )  # fmt: skip
    if outcome.failures:
        raise ReportgenError("\n".join(outcome.failures))
    pdfs = sorted(p for p in out_dir.glob("*.pdf"))
    if preview:
        if not pdfs:
            raise ReportgenError(_("The workbook has no certified cluster: there is no dossier to make"))
        return pdfs[0], pdfs[0].name
    archive = folder / "dossiers.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(out_dir.iterdir()):
            if path.is_file() and not path.name.startswith("."):  # not the folder's manifest or lock
                zf.write(path, f"dossiers/{path.name}")
    return archive, archive.name


def page_count(pdf: Path) -> int:
    """Return how many pages a made PDF has."""
    with FinishedPdf(pdf.read_bytes()) as doc:
        return doc.page_count


def page_png(pdf: Path, index: int, large: bool) -> bytes:
    """Return one page of a made PDF as a PNG (a thumbnail, or large to read)."""
    with FinishedPdf(pdf.read_bytes()) as doc:
        return doc.page_png(index, LARGE_DPI if large else PREVIEW_DPI)


def check_dossier(pdf: Path, trust: Path | None):
    """Return verify's verdict on an uploaded dossier (trusting the uploaded certificate, when one is given)."""
    return next(verify.run([pdf], [trust] if trust is not None else []))


def decision_name(key: str) -> str:
    """Return a certification decision ('granted') as the register names it, in the current language."""
    en, ar = DECISIONS.get(key, (key, key))
    return ar if i18n.is_arabic() else en
