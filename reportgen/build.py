"""The one place the stages are chained: read → validate → plan → render → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import figures
from .documents import brief as brief_doc
from .documents.common import scope
from .errors import InvalidWorkbook
from .formatting import Formatter
from .pdf import PdfJob, render_pdf
from .problems import Problem
from .render import environment, render_html
from .settings import Settings
from .validation import Parsed, parse
from .workbook import read_workbook
from .output import write_bytes


@dataclass
class Outcome:
    """What a command did: files written and warnings to show."""

    written: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


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
    """Return the formatter the settings ask for."""
    return Formatter(locale=settings.locale, digits=settings.digits, hijri_adjust=settings.hijri_adjust)


def _logo_url(dataset) -> str:
    """Return the logo's file URL (validation has checked it stays in the workbook's folder)."""
    return (Path(dataset.workbook_dir) / dataset.settings.logo).as_uri() if dataset.settings.logo else ""


def brief_html(workbook: Path, settings: Settings, region: str | None = None,
               governorates: tuple[str, ...] = ()) -> tuple[str, Parsed]:
    """Return the brief's HTML and the parsed workbook (InvalidWorkbook on errors)."""
    sc = scope(region, governorates)
    parsed = load_clean(workbook, settings)
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
    data = render_pdf(PdfJob(html=html, base_dir=Path(parsed.dataset.workbook_dir)))
    write_bytes(out, data)
    return Outcome(written=[Path(out)], warnings=parsed.warnings)
