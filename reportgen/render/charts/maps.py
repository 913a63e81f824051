"""Maps of Egypt's governorates: a choropleth with its legend, and a small locator map."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from reportgen.render.charts.base import (
    ACCENT,
    GAP_PT,
    INK,
    LINE,
    MUTED,
    OUTSIDE,
    OUTSIDE_EDGE,
    PALE,
    PT_PER_CM,
    RLM,
    SEQUENTIAL,
    VALUE_PT,
    ZERO,
    Fmt,
    add_axes,
    figure,
    font,
    style,
    svg,
    text_lines,
    text_size,
    wrap,
)
from reportgen.render.charts.boundaries import Boundaries, Region, boundaries

_MAP_VALUE_PT = 6.5
_SWATCH_PT, _LEGEND_ROW_PT = 11.0, 15.0
_HIGHLIGHT_PT = 1.6  # outline of the highlighted governorate
_MAP_PAD_PT = 2.0  # room round the map for the country's outline
_NAME_PT = 7.0  # governorate names
_CALLOUT_PITCH = _NAME_PT * LINE + 1.0  # between the names set beside the map
_CALLOUT_W = 0.2  # of the figure's width: the column of names too small to print inside their governorate


def _map_height(geo: Boundaries, width_pt: float) -> float:
    x0, y0, x1, y1 = geo.bounds
    return (width_pt - 2 * _MAP_PAD_PT) * (y1 - y0) / (x1 - x0) + 2 * _MAP_PAD_PT


def _map_axes(fig: Figure, geo: Boundaries, width_pt: float, left: float = 0.0) -> tuple[Axes, float]:
    """An axes at the figure's top (left points from its left) showing the country; returns it and points per unit."""
    x0, y0, x1, y1 = geo.bounds
    scale = (width_pt - 2 * _MAP_PAD_PT) / (x1 - x0)
    ax = add_axes(fig, (left, 0.0, width_pt, _map_height(geo, width_pt)))
    pad = _MAP_PAD_PT / scale
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    return ax, scale


def _draw_regions(ax: Axes, geo: Boundaries, fills: Mapping[str, str], border_pt: float) -> None:
    """One patch per governorate (SVG id: its code), white borders, a grey line round Egypt.

    A governorate outside the scope (filled OUTSIDE, the paper) is drawn first within light grey borders: white
    ones would not show on it, and the scope's white borders are drawn over them."""
    codes = sorted(geo.regions)
    country = MplPath.make_compound_path(*(geo.regions[code].path for code in codes))
    ax.add_patch(
        PathPatch(country, facecolor="none", edgecolor=MUTED, zorder=0.5, linewidth=2 * border_pt + 0.3)
    )  # the fills hide all but its outer half
    for code in sorted(codes, key=lambda c: fills[c] != OUTSIDE):
        outside = fills[code] == OUTSIDE
        ax.add_patch(
            PathPatch(
                geo.regions[code].path,
                facecolor=fills[code],
                edgecolor=OUTSIDE_EDGE if outside else "white",
                linewidth=border_pt,
                joinstyle="round",
                gid=code,
            )
        )


def _classes(values: Sequence[float], count: int) -> list[tuple[float, float]]:
    """Equal-interval classes (low, high) over the positive values; whole ranges for counts."""
    if not values:
        return []
    low, high = min(values), max(values)
    if all(float(v).is_integer() for v in values):
        span = int(high - low) + 1
        n = min(count, span)
        uppers = [int(low) - 1 + round(span * (i + 1) / n) for i in range(n)]
        return list(zip([int(low)] + [u + 1 for u in uppers[:-1]], uppers, strict=True))
    edges = np.linspace(low, high, (count if high > low else 1) + 1)
    return [(float(a), float(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _class_colors(n: int) -> list[str]:
    return [to_hex(SEQUENTIAL(t)) for t in (np.linspace(0, 1, n) if n != 1 else [0.6])]


def _fill(value: float, classes: list[tuple[float, float]], colors: list[str]) -> str:
    if value <= 0:
        return ZERO
    return colors[next((i for i, (_, hi) in enumerate(classes) if value <= hi), -1)]


def _is_dark(color: str) -> bool:
    r, g, b = to_rgb(color)
    return 0.299 * r + 0.587 * g + 0.114 * b < 0.5


def _legend_entries(
    classes: list[tuple[float, float]], colors: list[str], fmt: Fmt, zero: bool = True, outside_label: str = ""
) -> list[tuple[str, str]]:
    """Legend rows (colour, label): zero first (when a governorate in scope has none), the governorates outside
    the scope last (when outside_label is given).

    A range is drawn as its logical text "low–high" under the bidi algorithm, as a browser would
    show it: with Arabic-Indic digits it reads right to left (١ on the right of ٣), with Latin
    digits left to right (1–3); either way the low number is read first.
    """
    rows = [(ZERO, fmt(0))] if zero else []
    for (low, high), color in zip(classes, colors, strict=True):
        rows.append((color, fmt(low) if low == high else f"{fmt(low)}–{fmt(high)}"))
    if outside_label:
        rows.append((OUTSIDE, RLM + outside_label))
    return rows


def _legend_size(title: str, entries: list[tuple[str, str]], max_w: float) -> tuple[float, float]:
    """Width and height of the legend, its title wrapped to max_w."""
    title_prop, prop = font(8.5, bold=True), font(VALUE_PT)
    label_w = max(text_size(label, prop)[0] for _, label in entries) + _SWATCH_PT + 5.0
    width = min(max_w, max(text_size(title, title_prop)[0], label_w))
    lines = len(wrap(title, title_prop, width))
    return width, lines * 8.5 * LINE + 4.0 + _LEGEND_ROW_PT * len(entries)


def _legend(
    canvas: Axes, right: float, width: float, title: str, entries: list[tuple[str, str]], top: float = 0.0
) -> None:
    """Draw the legend at the right from top: bold title, then a swatch per class, its label to the left."""
    title_prop = font(8.5, bold=True)
    top += text_lines(canvas, wrap(title, title_prop, width), right, top, title_prop) + 4.0
    prop = font(VALUE_PT)
    for i, (color, label) in enumerate(entries):
        y = top + i * _LEGEND_ROW_PT
        canvas.add_patch(
            Rectangle(
                (right - _SWATCH_PT, y + 2.0), _SWATCH_PT, _SWATCH_PT, facecolor=color, edgecolor=MUTED, linewidth=0.4
            )
        )
        canvas.text(
            right - _SWATCH_PT - 5.0, y + 2.0 + _SWATCH_PT / 2, label, ha="right", va="center", fontproperties=prop
        )


def _value_labels(
    ax: Axes,
    geo: Boundaries,
    values: Mapping[str, float],
    fills: Mapping[str, str],
    fmt: Fmt,
    scale: float,
    highlight: str | None,
    names: Mapping[str, str],
) -> list[str]:
    """Print each positive value in its governorate where it fits (scale: points per unit), under its name when
    names are given and the name fits too; return the codes whose name did not fit (set beside the map)."""
    prop, name_prop = font(_MAP_VALUE_PT, bold=True), font(_NAME_PT)
    outside = []
    for code, value in sorted(values.items()):
        region, text = geo.regions[code], fmt(value)
        margin = 0.6 + (_HIGHLIGHT_PT / 2 if code == highlight else 0.0)
        color = "white" if _is_dark(fills[code]) else INK
        name = names.get(code, "")
        if name and value > 0:
            name_w, name_h = text_size(name, name_prop)
            value_w, value_h = text_size(text, prop)
            block = math.hypot(max(name_w, value_w), name_h * LINE + value_h) / 2
            if region.radius * scale >= block + margin:
                x, y = region.anchor
                lift = (name_h * LINE) / 2 / scale  # name above, value below, the pair centred on the anchor
                ax.text(x, y + lift, RLM + name, ha="center", va="center", fontproperties=name_prop, zorder=4,
                        color=color)  # fmt: skip
                ax.text(x, y - lift, text, ha="center", va="center", fontproperties=prop, zorder=4, color=color)
                continue
            outside.append(code)
            continue
        if value <= 0 or region.radius * scale < math.hypot(*text_size(text, prop)) / 2 + margin:
            continue  # the label's box must fit in the largest circle inside the governorate
        ax.text(*region.anchor, text, ha="center", va="center", fontproperties=prop, zorder=4, color=color)
    return outside


def _callouts(
    canvas: Axes,
    points: list[tuple[tuple[float, float], str]],
    x: float,
    left_side: bool,
    bottom: float,
) -> None:
    """Set names (beside the map, edge at x) each joined to its place by a thin line, from 0 down to bottom.

    points are ((x, y) on the canvas, name); names keep the north-to-south order of their places and sit as
    near their height as the pitch allows.
    """
    prop = font(_NAME_PT)
    points = sorted(points, key=lambda p: p[0][1])
    ys: list[float] = []
    # The first name's centre half a pitch and 1.5 pt below the top: at half a pitch its Arabic letters
    # rose to the figure's edge. Then push down past the one above, and back up from the foot if needed.
    top = _CALLOUT_PITCH / 2 + 1.5
    for (_, y), _name in points:
        ys.append(max(y, (ys[-1] + _CALLOUT_PITCH) if ys else top))
    for i in range(len(ys) - 1, -1, -1):
        ceiling = bottom - _CALLOUT_PITCH / 2 if i == len(ys) - 1 else ys[i + 1] - _CALLOUT_PITCH
        ys[i] = min(ys[i], ceiling)
    if len(ys) > 1 and ys[0] < top < ys[-1]:  # a full column: spread from the top's room to the last, a little closer
        ys = [top + (ys[-1] - top) * i / (len(ys) - 1) for i in range(len(ys))]
    gap = 2.0 if left_side else -2.0
    for ((px, py), name), label_y in zip(points, ys, strict=True):
        canvas.text(x, label_y, RLM + name, ha="right" if left_side else "left", va="center", fontproperties=prop)
        canvas.plot([x + gap, px], [label_y, py], color=MUTED, linewidth=0.4, zorder=5)
        canvas.add_patch(Circle((px, py), 0.9, facecolor=INK, edgecolor="none", zorder=5))


def choropleth(
    values: Mapping[str, float],
    *,
    fmt: Fmt,
    fonts_dir: Path,
    legend_title: str,
    geojson_path: Path,
    highlight: str | None = None,
    width_cm: float = 16.0,
    classes: int = 5,
    show_values: bool = True,
    names: Mapping[str, str] | None = None,
    scope: Collection[str] | None = None,
    outside_label: str = "",
) -> str:
    """Governorates shaded by value class (0 or absent: grey), legend on the right; ATTRIBUTION.

    With names (code → name), each governorate with a value is named: inside it where name and value fit,
    else in a column on the left joined to it by a line, with its value. With scope (the codes the values
    cover), the other governorates are left white under their own key, outside_label («خارج الإقليم»): they
    are not counted as zero, and the zero key shows only when a governorate in scope has none.
    """
    if classes < 1 or any(not math.isfinite(v) or v < 0 for v in values.values()):
        raise ValueError("values must be finite and not negative, classes at least 1")
    if scope is not None and (not outside_label or any(v > 0 and c not in scope for c, v in values.items())):
        raise ValueError("a scope needs an outside_label, and every governorate with a value in it")
    geo = boundaries(geojson_path, [*values, *([highlight] if highlight else []), *(scope or ())])
    inside = set(geo.regions if scope is None else scope)
    bins = _classes([v for v in values.values() if v > 0], classes)
    colors = _class_colors(len(bins))
    full = {code: float(values.get(code, 0.0)) for code in geo.regions}
    fills = {code: _fill(value, bins, colors) if code in inside else OUTSIDE for code, value in full.items()}
    with style(fonts_dir):
        width = width_cm * PT_PER_CM
        zero = any(full[code] <= 0 for code in inside)
        entries = _legend_entries(bins, colors, fmt, zero, outside_label if inside < set(geo.regions) else "")
        legend_w, legend_h = _legend_size(legend_title, entries, 0.3 * width)
        # With names: a column of names each side of the map, the legend at the foot of the right-hand one.
        column = _CALLOUT_W * width if names else 0.0
        side = max(column, legend_w)
        map_w = width - side - 3 * GAP_PT - column
        height = max(_map_height(geo, map_w), legend_h)
        fig, canvas = figure(width, height)
        ax, scale = _map_axes(fig, geo, map_w, column)
        _draw_regions(ax, geo, fills, 0.5)
        if highlight:
            ax.add_patch(
                PathPatch(
                    geo.regions[highlight].path,
                    facecolor="none",
                    edgecolor=ACCENT,
                    linewidth=_HIGHLIGHT_PT,
                    zorder=3,
                    gid=f"{highlight}-highlight",
                )
            )
        if show_values:
            outside = _value_labels(ax, geo, full, fills, fmt, scale, highlight, names or {})
            if outside and names:
                xl, yt = ax.get_xlim()[0], ax.get_ylim()[1]
                points = [
                    ((column + (x - xl) * scale, (yt - y) * scale), f"{names[c]} {fmt(full[c])}")
                    for c in outside
                    for x, y in [geo.regions[c].anchor]
                ]
                middle = sum(p[0][0] for p in points) / len(points)
                west = [p for p in points if p[0][0] <= middle]
                east = [p for p in points if p[0][0] > middle]
                _callouts(canvas, west, column - GAP_PT, True, height)
                _callouts(canvas, east, column + map_w + GAP_PT, False, height - legend_h - 2 * GAP_PT)
        _legend(canvas, width, legend_w, legend_title, entries, height - legend_h if names else 0.0)
        return svg(fig)


def locator_map(code: str, *, fonts_dir: Path, geojson_path: Path, width_cm: float = 5.0) -> str:
    """Small map of Egypt, `code` in the accent colour (ringed if tiny), the rest pale; no text.

    Give it the boundaries simplified for small maps (a 16 cm map's would triple its points, and a handout
    draws one per fact sheet: WeasyPrint draws each SVG anew).
    """
    geo = boundaries(geojson_path, [code])
    with style(fonts_dir):
        width = width_cm * PT_PER_CM
        fig, _ = figure(width, _map_height(geo, width))
        ax, scale = _map_axes(fig, geo, width)
        _draw_regions(ax, geo, {other: PALE for other in geo.regions} | {code: ACCENT}, 0.35)
        _ring_if_tiny(ax, geo.regions[code], scale)
        return svg(fig)


def _ring_if_tiny(ax: Axes, region: Region, scale: float) -> None:
    """Circle a governorate under 8 pt across, the circle kept inside the map's frame."""
    vertices = np.asarray(region.path.vertices)
    low, high = vertices.min(0), vertices.max(0)
    if max(high - low) * scale >= 8.0:
        return
    radius = max(6.0, math.hypot(*(high - low)) * scale / 2 + 2.5) / scale
    margin = radius + 0.6 / scale
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    lowest, highest = (left + margin, bottom + margin), (right - margin, top - margin)
    centre = np.clip((low + high) / 2, lowest, highest)
    ax.add_patch(
        Circle(tuple(centre), radius, facecolor="none", edgecolor=ACCENT, linewidth=1.0, gid=f"{region.code}-ring")
    )
