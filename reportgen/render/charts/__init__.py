"""Charts and maps as deterministic SVG strings, all text as outlines (the only matplotlib and numpy user).

Every function returns an <svg> element (no XML prolog) to inline in HTML or wrap in a data: URI.
Text is drawn as outlines (svg.fonttype "path"), shaped and ordered by matplotlib (≥ 3.11, raqm):
WeasyPrint would draw SVG <text> in Arabic unshaped and mirrored. Numbers are formatted by the
caller's `fmt`, so the caller picks Arabic-Indic or Latin digits. Matplotlib settings are global:
render charts from one thread per process. `base` sets matplotlib up and measures text, `bars` and
`maps` draw, `marks` draws the specimen mark, `boundaries` reads the governorates simplified ahead of
time (reportgen/data).
"""

from reportgen.render.charts.bars import area_scores_chart, bar_chart
from reportgen.render.charts.base import SCORE_COLORS
from reportgen.render.charts.boundaries import ATTRIBUTION
from reportgen.render.charts.maps import choropleth, locator_map
from reportgen.render.charts.marks import page_mark

__all__ = ["ATTRIBUTION", "SCORE_COLORS", "area_scores_chart", "bar_chart", "choropleth", "locator_map", "page_mark"]
