"""`reportgen handout`: workbook → plan with fitted fact sheets → HTML → PDF (imposed or bled), written atomically."""

from __future__ import annotations

from pathlib import Path

from reportgen.commands.common import (
    Outcome,
    Stage,
    check_glyphs,
    formatter_for,
    load_clean,
    logo_url,
    no_stage,
    pdf_job,
    printed_text,
    render_in_worker,
)
from reportgen.documents.common import scope
from reportgen.model.problems import Problem
from reportgen.output.atomic import write_bytes
from reportgen.output.ownership import check_target
from reportgen.render.html import environment, render_html
from reportgen.settings import Settings


def html(
    workbook: Path,
    settings: Settings,
    paper: str = "A4",
    bleed_mm: float = 0,
    region: str | None = None,
    governorates: tuple[str, ...] = (),
):
    """Return the handout's HTML, the parsed workbook and the plan (InvalidWorkbook on errors)."""
    from reportgen.documents import handout as handout_doc

    sc = scope(region, governorates)
    parsed = load_clean(workbook, settings)
    from reportgen.render import figures  # matplotlib: imported once the workbook is known to be good

    fmt = formatter_for(settings)
    plan = handout_doc.plan(parsed.dataset, settings, sc, paper, fmt)
    first, last = plan.first_day, plan.last_day
    context = {
        "doc": plan,
        "maps": figures.for_handout(plan),
        "settings": settings,
        "bleed_mm": bleed_mm,
        "attribution": figures.MAP_ATTRIBUTION,
        "logo_url": logo_url(parsed.dataset),
        "fmt_range": fmt.date_range(first, last) if first else "",
    }
    return render_html(environment(settings, fmt), "handout.html", context), parsed, plan


def run(
    workbook: Path,
    out: Path,
    settings: Settings,
    paper: str | None = None,
    booklet: bool = False,
    bleed_mm: float = 0,
    region: str | None = None,
    governorates: tuple[str, ...] = (),
    stage: Stage = no_stage,
    force: bool = False,
) -> Outcome:
    """Render the conference handout to out: A4 (A5 for a booklet), optionally imposed or with bleed."""
    from reportgen.output import imposition

    check_target(out, (workbook, settings.source), force)
    stage(f"reading {workbook}")
    html_text, parsed, plan = html(
        workbook, settings, paper or ("A5" if booklet else "A4"), bleed_mm, region, governorates
    )
    missing = check_glyphs(printed_text(html_text), workbook, settings)
    stage("laying out the pages")
    job = pdf_job(html_text, parsed.dataset, settings)
    data = render_in_worker(job, settings, Path(out).name)
    warnings = list(parsed.warnings) + missing + _overflowing_sheets(plan, imposition.anchor_pages(data))
    write_bytes(out, imposition.booklet(data) if booklet else data)
    return Outcome(written=[Path(out)], warnings=warnings)


def _overflowing_sheets(plan, pages: dict[str, int]) -> list[Problem]:
    """Return a warning for each fact sheet that did not keep to its one page."""
    from reportgen.model.problems import WARNING

    anchors = [s.anchor for s in plan.sheets] + ["axes"]
    return [
        Problem(f"the fact sheet of {sheet.cluster.id} runs over one page; please report this", severity=WARNING)
        for sheet, this, after in zip(plan.sheets, anchors, anchors[1:], strict=False)
        if this in pages and after in pages and pages[after] - pages[this] != 1
    ]
