"""`reportgen brief`: workbook → plan → charts and map → HTML → PDF, written atomically."""

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
from reportgen.documents import brief as brief_doc
from reportgen.documents.common import scope
from reportgen.errors import quoted
from reportgen.i18n import _
from reportgen.input.validation import Parsed
from reportgen.output.atomic import write_bytes
from reportgen.output.ownership import check_target
from reportgen.render.html import environment, render_html
from reportgen.settings import Settings

ANNEX_ROWS_PER_PART = 100  # annex rows laid out together in a long brief (2 to 3 pages, output/rows.py)


def html(
    workbook: Path, settings: Settings, region: str | None = None, governorates: tuple[str, ...] = ()
) -> tuple[str, Parsed]:
    """Return the brief's HTML and the parsed workbook (InvalidWorkbook on errors)."""
    sc = scope(region, governorates)
    parsed = load_clean(workbook, settings)
    from reportgen.render import figures  # matplotlib: imported once the workbook is known to be good

    plan = brief_doc.plan(parsed.dataset, settings, sc)
    fmt = formatter_for(settings)
    env = environment(settings, fmt)
    context = {
        "doc": plan,
        "figures": figures.for_brief(plan, fmt),
        "settings": settings,
        "attribution": figures.MAP_ATTRIBUTION,
        "logo_url": logo_url(parsed.dataset),
    }
    return render_html(env, "brief.html", context), parsed


def run(
    workbook: Path,
    out: Path,
    settings: Settings,
    region: str | None = None,
    governorates: tuple[str, ...] = (),
    stage: Stage = no_stage,
    force: bool = False,
) -> Outcome:
    """Render the strategy brief of the workbook (narrowed by region/governorates) to out."""
    check_target(out, (workbook, settings.source), force)
    stage(_("reading {workbook}").format(workbook=quoted(workbook)))
    html_text, parsed = html(workbook, settings, region, governorates)
    missing = check_glyphs(printed_text(html_text), workbook, settings)
    stage(_("laying out the pages"))
    from reportgen.output import rows

    job = pdf_job(html_text, parsed.dataset, settings)
    data = None
    parted = rows.RowsJob(job, "annex", ANNEX_ROWS_PER_PART)
    if rows.worth_parting(parted):  # the annex laid out in parts: memory bounded by a part (output/rows.py)
        data = render_in_worker(parted, settings, Path(out).name, task=rows.render)
    if data is None:
        data = render_in_worker(job, settings, Path(out).name)
    stage(_("writing {path}").format(path=quoted(out)))
    write_bytes(out, data)
    return Outcome(written=[Path(out)], warnings=parsed.warnings + missing)
