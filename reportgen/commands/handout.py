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
from reportgen.errors import quoted
from reportgen.i18n import _
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
    all_clusters: bool = False,
):
    """Return the handout's HTML, the parsed workbook and the plan (InvalidWorkbook on errors).

    Without --region, --governorate or all_clusters, a conference whose settings name a city (or region)
    covers that region's clusters: a participant pack of every cluster in the country is no one's.
    """
    from reportgen.documents import handout as handout_doc

    scope(region, governorates)  # an unknown name is a usage error before the workbook is read
    parsed = load_clean(workbook, settings)
    if not (region or governorates or all_clusters):
        region = handout_doc.conference_region(parsed.dataset.settings.city)
    sc = scope(region, governorates)
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
    all_clusters: bool = False,
) -> Outcome:
    """Render the conference handout to out: A4 (A5 for a booklet), optionally imposed or with bleed."""
    from reportgen.output import imposition

    check_target(out, (workbook, settings.source), force)
    stage(_("reading {workbook}").format(workbook=quoted(workbook)))
    html_text, parsed, plan = html(
        workbook, settings, paper or ("A5" if booklet else "A4"), bleed_mm, region, governorates, all_clusters
    )
    if plan.scope_label and not (region or governorates):
        stage(
            _(
                "the conference is in {city}: fact sheets of {scope} only ({n}); --all-clusters for every cluster"
            ).format(city=quoted(parsed.dataset.settings.city), scope=plan.scope_label, n=len(plan.sheets))
        )
    missing = check_glyphs(printed_text(html_text), workbook, settings)
    stage(_("laying out the pages"))
    job = pdf_job(html_text, parsed.dataset, settings)
    data = render_in_worker(job, settings, Path(out).name)
    warnings = list(parsed.warnings) + missing + _overflowing_sheets(plan, imposition.anchor_pages(data))
    if booklet:
        stage(_("imposing the booklet"))
        warnings += _too_thick(imposition.page_count(data))
        data = imposition.booklet(data)
    elif bleed_mm:
        stage(_("adding the bleed and crop marks"))
        data = imposition.crop_marks(data, bleed_mm)
    stage(_("writing {path}").format(path=quoted(out)))
    write_bytes(out, data)
    return Outcome(written=[Path(out)], warnings=warnings)


SADDLE_STITCH_PAGES = 64  # 16 sheets folded: about what a saddle stitch holds on ordinary paper


def _too_thick(pages: int) -> list[Problem]:
    """Return a warning when a booklet has more pages than saddle stitching holds."""
    from reportgen.model.problems import WARNING

    if pages <= SADDLE_STITCH_PAGES:
        return []
    printed = pages + (-pages % 4)
    return [
        Problem(
            _(
                "the booklet has {pages} pages ({sheets} sheets folded): saddle stitching holds about {most}; "
                "narrow it with --region or --governorate, or have it bound another way"
            ).format(pages=printed, sheets=printed // 4, most=SADDLE_STITCH_PAGES),
            severity=WARNING,
        )
    ]


def _overflowing_sheets(plan, pages: dict[str, int]) -> list[Problem]:
    """Return a warning for each fact sheet that did not keep to its one page."""
    from reportgen.model.problems import WARNING

    anchors = [s.anchor for s in plan.sheets] + ["axes"]
    return [
        Problem(
            _("the fact sheet of {cluster} runs over one page; please report this").format(
                cluster=quoted(sheet.cluster.id)
            ),
            severity=WARNING,
        )
        for sheet, this, after in zip(plan.sheets, anchors, anchors[1:], strict=False)
        if this in pages and after in pages and pages[after] - pages[this] != 1
    ]
