"""Marks drawn across a page (the specimen's «نموذج / SPECIMEN»), as outlines: never part of the text layer."""

from __future__ import annotations

from pathlib import Path

from matplotlib.patches import PathPatch
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

from reportgen.render.charts.base import RLM, font, style, svg
from reportgen.render.charts.base import figure as new_figure

_MARGIN_PT = 4.0  # room around the turned text, so no outline touches the picture's edge


def page_mark(
    text: str, *, fonts_dir: Path, size_pt: float, color: str, alpha: float = 1.0, angle: float = 30.0
) -> str:
    """Return text turned by angle degrees (counter-clockwise) as an SVG of glyph outlines, sized to fit it.

    Drawn as paths, the mark is seen but not read: copying, searching or a screen reader gets the page's
    own words, not the mark's. The SVG's size is the turned outlines' box in points, plus a small margin.
    """
    with style(fonts_dir):
        glyphs = TextPath((0, 0), RLM + text, prop=font(size_pt, bold=True))  # shaped and ordered (raqm)
        outline = glyphs.transformed(Affine2D().rotate_deg(angle).scale(1, -1))  # y down, as the canvas
        box = outline.get_extents()
        width, height = box.width + 2 * _MARGIN_PT, box.height + 2 * _MARGIN_PT
        fig, canvas = new_figure(width, height)
        outline = outline.transformed(Affine2D().translate(_MARGIN_PT - box.x0, _MARGIN_PT - box.y0))
        canvas.add_patch(PathPatch(outline, facecolor=color, edgecolor="none", alpha=alpha))
        return svg(fig)
