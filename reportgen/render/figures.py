"""Charts and maps for each document, as data: URIs its template can place."""

from __future__ import annotations

import base64
from pathlib import Path

from reportgen.model.reference import governorates
from reportgen.render import charts
from reportgen.render.formatting import Formatter
from reportgen.settings import data_dir, fonts_dir

MAP_ATTRIBUTION = charts.ATTRIBUTION  # the line a template prints under every map


def data_uri(svg: str) -> str:
    """Return an SVG document as a data: URI."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def boundaries_path(size: str) -> Path:
    """Return the governorate boundaries simplified for a "map" (16 cm) or a "locator" map (about 5 cm)."""
    return data_dir() / f"egypt_governorates.{size}.geojson"


def for_brief(brief, fmt: Formatter) -> dict[str, str]:
    """Return the brief's charts: clusters by region and sector, and the governorate map."""
    number = fmt.integer
    out = {
        "map": data_uri(
            charts.choropleth(
                brief.governorate_counts,
                fmt=number,
                fonts_dir=fonts_dir(),
                geojson_path=boundaries_path("map"),
                legend_title="عدد التجمعات",
                names={g.code: g.name_ar for g in governorates()},
                scope=brief.scope_codes if brief.outside_label else None,
                outside_label=brief.outside_label,
            )
        ),
    }
    for name, groups in (("regions", brief.regions), ("sectors", brief.sectors)):
        # One bar says nothing a table row does not: a chart only when there is something to compare.
        out[name] = (
            data_uri(
                charts.bar_chart(
                    [g.label for g in groups],
                    [g.clusters for g in groups],
                    fmt=number,
                    fonts_dir=fonts_dir(),
                )
            )
            if len(groups) > 1
            else ""
        )
    return out


def for_handout(handout, inline: bool = True) -> tuple[dict[str, str], dict[str, bytes]]:
    """Return the handout's locator maps, one per governorate with a fact sheet: ({code: URL}, {URL: SVG}).

    Inline, each URL is a data: URI (the second dict empty); otherwise a short URL the PDF job serves
    (render.pdf.FIGURE_URL), so that the map is written once per governorate, not once per fact sheet, and
    WeasyPrint parses it once per document.
    """
    from reportgen.render.pdf import FIGURE_URL

    width_cm = handout.metrics.map_w_mm / 10
    codes = sorted({s.cluster.governorate.code for s in handout.sheets})
    svgs = {
        code: charts.locator_map(
            code, fonts_dir=fonts_dir(), geojson_path=boundaries_path("locator"), width_cm=width_cm
        )
        for code in codes
    }
    if inline:
        return {code: data_uri(svg) for code, svg in svgs.items()}, {}
    urls = {code: f"{FIGURE_URL}locator-{code}.svg" for code in codes}
    return urls, {urls[code]: svg.encode("utf-8") for code, svg in svgs.items()}
