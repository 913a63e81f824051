"""`reportgen handout`: workbook → plan with fitted fact sheets → HTML → PDF (imposed or bled), written atomically."""

from __future__ import annotations

from dataclasses import dataclass
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
from reportgen.output.atomic import atomic_path
from reportgen.output.ownership import check_target
from reportgen.render.html import environment, render_html
from reportgen.settings import Settings

SHEETS_PER_PART = 30  # fact sheets laid out together in a long handout (output/chunks.py): about 40 MiB
INDEX_ROWS_PER_PART = 100  # rows of a long index laid out together (output/rows.py): more than two pages' worth


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
    render, parsed, plan, _figures = prepare(workbook, settings, paper, bleed_mm, region, governorates, all_clusters)
    return render(None), parsed, plan


def prepare(
    workbook: Path,
    settings: Settings,
    paper: str = "A4",
    bleed_mm: float = 0,
    region: str | None = None,
    governorates: tuple[str, ...] = (),
    all_clusters: bool = False,
    inline_maps: bool = True,
):
    """Return (a function part → HTML, the parsed workbook, the plan, the pictures the HTML refers to by URL).

    part None is the whole handout; see templates/ar/handout.html and parts() for the others (notes=True: with a
    notes page before the back cover, for an even page count). inline_maps
    False: each locator map once per governorate, served by the PDF job, instead of a data: URI per sheet.
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
    maps, svgs = figures.for_handout(plan, inline=inline_maps)
    context = {
        "doc": plan,
        "maps": maps,
        "settings": settings,
        "bleed_mm": bleed_mm,
        "attribution": figures.MAP_ATTRIBUTION,
        "logo_url": logo_url(parsed.dataset),
        "fmt_range": fmt.date_range(first, last) if first else "",
    }
    env = environment(settings, fmt)

    def render(part, notes: bool = False) -> str:  # notes: a notes page before the back cover (an even page count)
        return render_html(env, "handout.html", {**context, "part": part, "notes": notes})

    return render, parsed, plan, svgs


@dataclass(frozen=True)
class Sheets:
    """What part of the handout handout.html lays out (its fact sheets: those of kind "sheets")."""

    kind: str  # "front", "sheets", "back" (output/chunks.py) or "notes" (a booklet's filler page)
    sheets: tuple = ()


def parts(render, plan, job_for, size: int = SHEETS_PER_PART, rows: int = INDEX_ROWS_PER_PART, even: bool = False):
    """Return the handout as a chunks.PartedJob: its front (its index rows at a time), its fact sheets size at a
    time, its back (even: and the back with a notes page before the back cover, for an even page count)."""
    from reportgen.output import chunks

    groups = [plan.sheets[i : i + size] for i in range(0, len(plan.sheets), size)]
    return chunks.PartedJob(
        front=job_for(render(Sheets("front"))),
        parts=[chunks.Part(tuple(s.anchor for s in g), job_for(render(Sheets("sheets", tuple(g))))) for g in groups],
        back=job_for(render(Sheets("back"))),
        front_table=("index", rows),
        padded_back=job_for(render(Sheets("back"), notes=True)) if even else None,
    )


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
    from reportgen.output.finishing import Finished, FinishingJob
    from reportgen.output.finishing import render as finish

    check_target(out, (workbook, settings.source), force)
    stage(_("reading {workbook}").format(workbook=quoted(workbook)))
    paper = paper or ("A5" if booklet else "A4")
    render, parsed, plan, svgs = prepare(
        workbook, settings, paper, bleed_mm, region, governorates, all_clusters, inline_maps=False
    )
    if plan.scope_label and not (region or governorates):
        stage(
            _(
                "the conference is in {city}: fact sheets of {scope} only ({n}); --all-clusters for every cluster"
            ).format(city=quoted(parsed.dataset.settings.city), scope=plan.scope_label, n=len(plan.sheets))
        )
    # one message: the worker lays out and imposes (or bleeds) in one task, so no second stage is seen to start
    if booklet:
        stage(_("laying out the pages and imposing the booklet"))
    elif bleed_mm:
        stage(_("laying out the pages and adding the bleed and crop marks"))
    else:
        stage(_("laying out the pages"))
    # a booklet's blanks before the back cover: a notes page each, laid out by the worker when there are any
    notes = pdf_job(render(Sheets("notes")), parsed.dataset, settings) if booklet else None
    with atomic_path(out) as target:  # the worker writes it; it replaces out once the run has succeeded

        def finished(job, padded=None) -> Finished:  # laid out, imposed or bled, and written in the worker
            task = FinishingJob(job, booklet, bleed_mm, target, notes, padded)  # (output/finishing.py)
            return render_in_worker(task, settings, Path(out).name, task=finish)

        def job_for(text: str):
            return pdf_job(text, parsed.dataset, settings, svgs)

        # printed on both sides, a plain handout ends on a verso: a notes page before the back cover when its page
        # count would be odd (a booklet pads to a multiple of four with notes pages already)
        even = not booklet
        done, missing = Finished(None), []
        if len(plan.sheets) > SHEETS_PER_PART:  # laid out in parts: memory bounded by a part (output/chunks.py)
            job = parts(render, plan, job_for, even=even)
            texts = (job.front.html, *(p.job.html for p in job.parts), job.back.html)
            missing = check_glyphs((t for text in texts for t in printed_text(text)), workbook, settings)
            done = finished(job)
            del job, texts
        if not done.written:  # short, or a sheet ran over its page: laid out whole (the warning below says which)
            html_text = render(None)
            missing = missing or check_glyphs(printed_text(html_text), workbook, settings)
            done = finished(job_for(html_text), job_for(render(None, notes=True)) if even else None)
            del html_text
        stage(_("writing {path}").format(path=quoted(out)))
    warnings = [*parsed.warnings, *missing, *_left_out(plan)]
    if done.anchors is not None:  # None: laid out in parts, which keep each fact sheet to its page
        warnings += _overflowing_sheets(plan, done.anchors)
    if booklet:
        warnings += _too_thick(done.pages)
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


def _left_out(plan) -> list[Problem]:
    """Return a warning for each fact sheet that left context rows out for want of room, naming them.

    The rows give way in the order of documents/factsheet.context_facts (its last first), after the sheet set
    them closer; a user learns which, and where (--paper A4 has more room)."""
    from reportgen.model.problems import WARNING

    return [
        Problem(
            _(
                "the fact sheet of {cluster} ({paper}) has no room for: {rows}; "
                "they are left out (least important first)"
            ).format(cluster=quoted(sheet.cluster.id), paper=plan.paper.name, rows="؛ ".join(sheet.omitted))
            + (_("; A4 paper has room for more") if plan.paper.name != "A4" else ""),
            sheet=sheet.cluster.source.sheet if sheet.cluster.source else "",
            cell=f"A{sheet.cluster.source.row}" if sheet.cluster.source else "",
            severity=WARNING,
        )
        for sheet in plan.sheets
        if sheet.left_out
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
