"""Charts and maps as deterministic SVG strings, all text as outlines (the only matplotlib user)."""

from __future__ import annotations

import functools
import io
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextToPath

__all__ = ["ATTRIBUTION", "area_scores_chart", "bar_chart", "choropleth", "locator_map"]

# Every function returns an <svg> element (no XML prolog) to inline in HTML or wrap in a data: URI.
# Text is drawn as outlines (svg.fonttype "path"), shaped and ordered by matplotlib (≥ 3.11, raqm):
# WeasyPrint would draw SVG <text> in Arabic unshaped and mirrored. Numbers are formatted by the
# caller's `fmt`, so the caller picks Arabic-Indic or Latin digits. Matplotlib settings are global:
# render charts from one thread per process.

Fmt = Callable[[float], str]

# Maps carry no attribution: the caller prints this line (in HTML) under every map.
ATTRIBUTION = "Boundaries © OpenStreetMap contributors (ODbL), via geoBoundaries."

FAMILY = ["Noto Sans Arabic", "Noto Sans"]  # Arabic first; Latin letters fall back to Noto Sans
PT_PER_CM = 72 / 2.54
INK = "#1d2b30"
MUTED = "#66737a"
BAR = "#1f6f78"
ZERO = "#ededea"  # no value: lighter than every class colour, in greyscale too
PALE = "#d8dddc"
ACCENT = "#c0502f"
SEQUENTIAL = LinearSegmentedColormap.from_list(
    "reportgen_teal", ["#bfe0db", "#7cbab4", "#3f918e", "#1d6673", "#0c3f52"]
)
SCORE_COLORS = ("#b5d3cf", "#5b9e9a", "#1d6673")  # below, between, at or above the thresholds
RLM = "\u200f"  # makes a label a right-to-left paragraph, whatever its first word
ELLIPSIS = "…"

_RC = {
    "svg.fonttype": "path",
    "svg.hashsalt": "reportgen",  # stable clip-path ids
    "svg.image_inline": True,
    "font.family": FAMILY,
    "text.color": INK,
    "text.language": "ar",
    "path.simplify": False,
}
_METADATA = {"Date": None, "Creator": None}
_LABEL_PT, _VALUE_PT, _TITLE_PT, _SMALL_PT, _MAP_VALUE_PT = 9.0, 8.0, 10.0, 7.5, 6.5
_LINE = 1.45  # line pitch, in font sizes
_ROW_PT = 17.0  # bar pitch: 30 bars make a chart about 19 cm tall
_GAP_PT = 6.0
_SWATCH_PT, _LEGEND_ROW_PT = 11.0, 15.0
_HIGHLIGHT_PT = 1.6  # outline of the highlighted governorate
_MAP_PAD_PT = 2.0  # room round the map for the country's outline
_SIMPLIFY_DEG = 0.005  # about 500 m, a tenth of a millimetre on a 16 cm map; halves the SVG
_TTP = TextToPath()


# ----------------------------------------------------------------------------- fonts and text


@functools.cache
def _font_files(fonts_dir: Path) -> frozenset[str]:
    """Register the folder's fonts with matplotlib, once."""
    files = sorted(fonts_dir.glob("*.ttf"))
    if not files:
        raise FileNotFoundError(f"no .ttf fonts in {fonts_dir}")
    for file in files:
        font_manager.fontManager.addfont(file)
    return frozenset(str(file) for file in files)


def _use_fonts(fonts_dir: Path) -> None:
    """Put the folder's fonts ahead of system copies of the same families, and check they win."""
    bundled = _font_files(fonts_dir)
    manager = font_manager.fontManager
    if manager.ttflist[0].fname not in bundled:
        manager.ttflist.sort(key=lambda entry: entry.fname not in bundled)  # stable: ours win ties
        manager._findfont_cached.cache_clear()  # its results depend on the list's order
    for family in FAMILY:
        for weight in ("normal", "bold"):
            prop = FontProperties(family=family, weight=weight)
            if Path(font_manager.findfont(prop, fallback_to_default=False)).parent != fonts_dir:
                raise FileNotFoundError(f"{family} ({weight}) is missing from {fonts_dir}")


@contextmanager
def _style(fonts_dir: Path) -> Iterator[None]:
    """Use the bundled fonts and the SVG settings for the duration of one chart."""
    _use_fonts(Path(fonts_dir).resolve())
    with matplotlib.rc_context(_RC):
        yield


def _font(size: float, bold: bool = False) -> FontProperties:
    return FontProperties(family=FAMILY, size=size, weight="bold" if bold else "normal")


def _size(text: str, prop: FontProperties) -> tuple[float, float]:
    """Width and height of a text in points, as matplotlib lays it out (shaped)."""
    if not text:
        return 0.0, 0.0
    width, height, _ = _TTP.get_text_width_height_descent(text, prop, ismath=False)
    return width, height


def _fit(text: str, prop: FontProperties, max_pt: float) -> str:
    """Shorten a label to max_pt, at a word boundary when possible, ending it with an ellipsis."""
    if _size(text, prop)[0] <= max_pt:
        return text
    words = text.split()
    while len(words) > 1 and _size(" ".join(words) + ELLIPSIS, prop)[0] > max_pt:
        words.pop()
    cut = " ".join(words)
    while cut and _size(cut + ELLIPSIS, prop)[0] > max_pt:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def _wrap(text: str, prop: FontProperties, max_pt: float) -> list[str]:
    """Break a text into lines no wider than max_pt (an overlong word keeps a line to itself)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and _size(trial, prop)[0] > max_pt:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


# ----------------------------------------------------------------------------- figures


def _figure(width_pt: float, height_pt: float) -> tuple[Figure, Axes]:
    """A transparent figure, and an invisible axes over it in points (origin top left)."""
    fig = Figure(figsize=(width_pt / 72, height_pt / 72))
    fig.patch.set_visible(False)
    canvas = fig.add_axes((0, 0, 1, 1))
    canvas.set_xlim(0, width_pt)
    canvas.set_ylim(height_pt, 0)
    canvas.set_axis_off()
    canvas.set_zorder(3)
    return fig, canvas


def _add_axes(fig: Figure, box: tuple[float, float, float, float]) -> Axes:
    """An invisible axes at box = (left, top, width, height), in points from the top left."""
    left, top, width, height = box
    fig_w, fig_h = fig.get_size_inches() * 72
    ax = fig.add_axes((left / fig_w, 1 - (top + height) / fig_h, width / fig_w, height / fig_h))
    ax.set_axis_off()
    return ax


def _svg(fig: Figure) -> str:
    """Render a figure to SVG text without the XML prolog."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata=_METADATA)
    text = buffer.getvalue().decode("utf-8")
    return text[text.index("<svg") :]


def _text_lines(canvas: Axes, lines: Sequence[str], right: float, top: float, prop: FontProperties) -> float:
    """Draw right-aligned RTL lines from `top` down; return the height used in points."""
    pitch = prop.get_size_in_points() * _LINE
    for i, line in enumerate(lines):
        canvas.text(right, top + (i + 0.5) * pitch, RLM + line, ha="right", va="center", fontproperties=prop)
    return pitch * len(lines)


# ----------------------------------------------------------------------------- horizontal bars


@dataclass(frozen=True)
class _Bars:
    fig: Figure
    canvas: Axes
    ax: Axes
    right: float  # x of the bars' baseline (value 0), in points
    length: float  # room for a bar and its value label, in points
    top: float  # y of the first row's top, in points


def _bars_frame(labels: Sequence[str], width_cm: float, title: str | None, head_pt: float) -> _Bars:
    """Lay out the title, category labels flush right, and an axes for bars growing leftwards."""
    width = width_cm * PT_PER_CM
    label_prop, title_prop = _font(_LABEL_PT), _font(_TITLE_PT, bold=True)
    fitted = [_fit(label, label_prop, 0.4 * width) for label in labels]
    label_w = max(_size(label, label_prop)[0] for label in fitted)
    title_lines = _wrap(title, title_prop, width) if title else []
    top = len(title_lines) * _TITLE_PT * _LINE + (6.0 if title_lines else 0.0) + head_pt
    fig, canvas = _figure(width, top + len(labels) * _ROW_PT + 3.0)
    _text_lines(canvas, title_lines, width, 0.0, title_prop)
    for i, label in enumerate(fitted):
        canvas.text(width, top + (i + 0.5) * _ROW_PT, RLM + label, ha="right", va="center", fontproperties=label_prop)
    right = width - label_w - _GAP_PT
    ax = _add_axes(fig, (1.0, top, right - 1.0, len(labels) * _ROW_PT))
    ax.set_ylim(len(labels), 0)
    return _Bars(fig, canvas, ax, right, right - 1.0, top)


def _draw_bars(
    frame: _Bars, values: Sequence[float], texts: Sequence[str], colors: Sequence[str], x_max: float
) -> float:
    """Draw bars from 0 (right) leftwards, value labels past their ends; return the axis maximum."""
    prop = _font(_VALUE_PT)
    pad = 3.0
    for value, text in zip(values, texts, strict=True):  # room for each label past its bar
        room = frame.length - pad - _size(text, prop)[0]
        x_max = max(x_max, value * frame.length / room if room > 0 else 2 * value)
    x_max = x_max or 1.0
    ax = frame.ax
    ax.set_xlim(x_max, 0)
    rows = np.arange(len(values)) + 0.5
    ax.barh(rows, values, height=0.64, color=colors, linewidth=0)
    for row, value, text in zip(rows, values, texts, strict=True):
        ax.annotate(
            text,
            (value, row),
            xytext=(-pad, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontproperties=prop,
            annotation_clip=False,
        )
    ax.axvline(0, color=MUTED, linewidth=0.6)
    return x_max


def _check_series(labels: Sequence[str], values: Sequence[float]) -> None:
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values")
    if not labels:
        raise ValueError("nothing to chart")
    if any(not math.isfinite(v) or v < 0 for v in values):
        raise ValueError("values must be finite and not negative")


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    fmt: Fmt,
    fonts_dir: Path,
    title: str | None = None,
    width_cm: float = 16.0,
    color: str = BAR,
) -> str:
    """Horizontal bars for an RTL page: labels flush right, bars growing leftwards, values."""
    _check_series(labels, values)
    with _style(fonts_dir):
        frame = _bars_frame(labels, width_cm, title, head_pt=0.0)
        _draw_bars(frame, values, [fmt(v) for v in values], [color] * len(values), 0.0)
        return _svg(frame.fig)


def area_scores_chart(
    areas: Sequence[str],
    scores: Sequence[float],
    *,
    fmt: Fmt,
    fonts_dir: Path,
    thresholds: tuple[float, float] = (65, 80),
    title: str | None = None,
    width_cm: float = 16.0,
) -> str:
    """Scores 0–100 as bars shaded by band, with the two thresholds drawn and labelled on top."""
    _check_series(areas, scores)
    low, high = sorted(thresholds)
    colors = [SCORE_COLORS[(s >= low) + (s >= high)] for s in scores]
    with _style(fonts_dir):
        frame = _bars_frame(areas, width_cm, title, head_pt=_SMALL_PT * 1.6)
        x_max = _draw_bars(frame, scores, [fmt(s) for s in scores], colors, 100.0)
        frame.ax.axvline(100.0, color=PALE, linewidth=0.6, zorder=0)
        for mark in (low, high):
            frame.ax.axvline(mark, color=INK, linewidth=0.7, linestyle=(0, (3, 2)), zorder=3)
        for mark in (0.0, low, high, 100.0):
            limit = mark in (low, high)
            frame.canvas.text(
                frame.right - mark / x_max * frame.length,
                frame.top - 2.5,
                fmt(mark),
                ha="center",
                va="bottom",
                color=INK if limit else MUTED,
                fontproperties=_font(_SMALL_PT, bold=limit),
            )
        return _svg(frame.fig)


# ----------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class _Region:
    code: str
    path: MplPath  # projected: x = lon·cos(lat0), y = lat
    anchor: tuple[float, float]  # a point deep inside the largest part, for a value label
    radius: float  # distance from the anchor to the nearest edge, projected units


@dataclass(frozen=True)
class _Geo:
    regions: dict[str, _Region]
    bounds: tuple[float, float, float, float]  # x0, y0, x1, y1, projected


def _signed_area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _simplify(xy: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker: drop the points within tolerance of the simplified line."""
    keep = np.zeros(len(xy), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(xy) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        ab, ap = xy[j] - xy[i], xy[i + 1 : j] - xy[i]
        norm = math.hypot(*ab)
        distance = np.abs(ab[0] * ap[:, 1] - ab[1] * ap[:, 0]) / norm if norm else np.hypot(*ap.T)
        k = i + 1 + int(distance.argmax())
        if distance[k - i - 1] > tolerance:
            keep[k] = True
            stack += [(i, k), (k, j)]
    return xy[keep]


def _edge_distance(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Distance from each point to the nearest segment of a closed ring."""
    a, ab = ring[:-1], ring[1:] - ring[:-1]
    ap = points[:, None, :] - a[None]
    t = np.clip((ap * ab[None]).sum(2) / np.maximum((ab**2).sum(1), 1e-18), 0.0, 1.0)
    return np.sqrt(((ap - t[..., None] * ab[None]) ** 2).sum(2)).min(1)


def _anchor(ring: np.ndarray) -> tuple[tuple[float, float], float]:
    """Approximate pole of inaccessibility of a ring: a grid search, then two finer ones."""
    outline = MplPath(ring)
    (x0, y0), (x1, y1) = ring.min(0), ring.max(0)
    best, radius = ring[:-1].mean(0), 0.0
    for _ in range(3):
        gx, gy = np.meshgrid(np.linspace(x0, x1, 25), np.linspace(y0, y1, 25))
        points = np.column_stack([gx.ravel(), gy.ravel()])
        points = points[outline.contains_points(points)]
        if len(points):
            distance = _edge_distance(points, ring)
            if distance.max() > radius:
                best, radius = points[distance.argmax()], float(distance.max())
        half_w, half_h = (x1 - x0) / 12, (y1 - y0) / 12
        x0, x1, y0, y1 = best[0] - half_w, best[0] + half_w, best[1] - half_h, best[1] + half_h
    return (float(best[0]), float(best[1])), radius


def _region(code: str, polygons: list, k: float, tolerance: float) -> _Region:
    """Project and simplify a feature's polygons into one path (outer rings CCW, holes CW)."""
    vertices, codes, outers = [], [], []
    for rings in polygons:
        for j, ring in enumerate(rings):
            xy = _simplify(np.asarray(ring, dtype=float)[:, :2] * (k, 1.0), tolerance)
            if len(xy) < 4:
                continue
            if (_signed_area(xy) < 0) == (j == 0):
                xy = xy[::-1]
            vertices.append(xy)
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
            if j == 0:
                outers.append(xy)
    anchor, radius = _anchor(max(outers, key=_signed_area))
    return _Region(code, MplPath(np.concatenate(vertices), codes), anchor, radius)


@functools.cache
def _load_geo(geojson_path: Path, tolerance: float = _SIMPLIFY_DEG) -> _Geo:
    """Parse and project the governorates, once per file and tolerance (x scaled by cos of the mid-latitude)."""
    parts = {}
    for feature in json.loads(geojson_path.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        parts[feature["properties"]["code"]] = polygons if geometry["type"] == "MultiPolygon" else [polygons]
    lats = [pt[1] for polygons in parts.values() for rings in polygons for r in rings for pt in r]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    regions = {code: _region(code, polygons, k, tolerance) for code, polygons in parts.items()}
    every = np.concatenate([region.path.vertices for region in regions.values()])
    (x0, y0), (x1, y1) = every.min(0), every.max(0)
    return _Geo(regions, (float(x0), float(y0), float(x1), float(y1)))


def _geo(geojson_path: Path, codes: Sequence[str], tolerance: float = _SIMPLIFY_DEG) -> _Geo:
    geo = _load_geo(Path(geojson_path).resolve(), tolerance)
    unknown = sorted(set(codes) - set(geo.regions))
    if unknown:
        raise ValueError(f"unknown governorate code(s): {', '.join(unknown)}")
    return geo


# ----------------------------------------------------------------------------- maps


def _map_height(geo: _Geo, width_pt: float) -> float:
    x0, y0, x1, y1 = geo.bounds
    return (width_pt - 2 * _MAP_PAD_PT) * (y1 - y0) / (x1 - x0) + 2 * _MAP_PAD_PT


def _map_axes(fig: Figure, geo: _Geo, width_pt: float) -> tuple[Axes, float]:
    """An axes at the figure's top left showing the country; returns it and points per unit."""
    x0, y0, x1, y1 = geo.bounds
    scale = (width_pt - 2 * _MAP_PAD_PT) / (x1 - x0)
    ax = _add_axes(fig, (0.0, 0.0, width_pt, _map_height(geo, width_pt)))
    pad = _MAP_PAD_PT / scale
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    return ax, scale


def _draw_regions(ax: Axes, geo: _Geo, fills: Mapping[str, str], border_pt: float) -> None:
    """One patch per governorate (SVG id: its code), white borders, a grey line round Egypt."""
    codes = sorted(geo.regions)
    country = MplPath.make_compound_path(*(geo.regions[code].path for code in codes))
    ax.add_patch(
        PathPatch(country, facecolor="none", edgecolor=MUTED, zorder=0.5, linewidth=2 * border_pt + 0.3)
    )  # the fills hide all but its outer half
    for code in codes:
        ax.add_patch(
            PathPatch(
                geo.regions[code].path,
                facecolor=fills[code],
                edgecolor="white",
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


def _legend_entries(classes: list[tuple[float, float]], colors: list[str], fmt: Fmt) -> list[tuple[str, str]]:
    """Legend rows (colour, label), zero first.

    A range is drawn as its logical text "low–high" under the bidi algorithm, as a browser would
    show it: with Arabic-Indic digits it reads right to left (١ on the right of ٣), with Latin
    digits left to right (1–3); either way the low number is read first.
    """
    rows = [(ZERO, fmt(0))]
    for (low, high), color in zip(classes, colors, strict=True):
        rows.append((color, fmt(low) if low == high else f"{fmt(low)}–{fmt(high)}"))
    return rows


def _legend_size(title: str, entries: list[tuple[str, str]], max_w: float) -> tuple[float, float]:
    """Width and height of the legend, its title wrapped to max_w."""
    title_prop, prop = _font(8.5, bold=True), _font(_VALUE_PT)
    label_w = max(_size(label, prop)[0] for _, label in entries) + _SWATCH_PT + 5.0
    width = min(max_w, max(_size(title, title_prop)[0], label_w))
    lines = len(_wrap(title, title_prop, width))
    return width, lines * 8.5 * _LINE + 4.0 + _LEGEND_ROW_PT * len(entries)


def _legend(canvas: Axes, right: float, width: float, title: str, entries: list[tuple[str, str]]) -> None:
    """Draw the legend top right: bold title, then a swatch per class, its label to the left."""
    title_prop = _font(8.5, bold=True)
    top = _text_lines(canvas, _wrap(title, title_prop, width), right, 0.0, title_prop) + 4.0
    prop = _font(_VALUE_PT)
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
    geo: _Geo,
    values: Mapping[str, float],
    fills: Mapping[str, str],
    fmt: Fmt,
    scale: float,
    highlight: str | None,
) -> None:
    """Print each positive value in its governorate where it fits (scale: points per unit)."""
    prop = _font(_MAP_VALUE_PT, bold=True)
    for code, value in sorted(values.items()):
        region, text = geo.regions[code], fmt(value)
        margin = 0.6 + (_HIGHLIGHT_PT / 2 if code == highlight else 0.0)
        if value <= 0 or region.radius * scale < math.hypot(*_size(text, prop)) / 2 + margin:
            continue  # the label's box must fit in the largest circle inside the governorate
        ax.text(
            *region.anchor,
            text,
            ha="center",
            va="center",
            fontproperties=prop,
            zorder=4,
            color="white" if _is_dark(fills[code]) else INK,
        )


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
) -> str:
    """Governorates shaded by value class (0 or absent: grey), legend on the right; ATTRIBUTION."""
    if classes < 1 or any(not math.isfinite(v) or v < 0 for v in values.values()):
        raise ValueError("values must be finite and not negative, classes at least 1")
    geo = _geo(geojson_path, [*values, *([highlight] if highlight else [])])
    bins = _classes([v for v in values.values() if v > 0], classes)
    colors = _class_colors(len(bins))
    full = {code: float(values.get(code, 0.0)) for code in geo.regions}
    fills = {code: _fill(value, bins, colors) for code, value in full.items()}
    with _style(fonts_dir):
        width = width_cm * PT_PER_CM
        entries = _legend_entries(bins, colors, fmt)
        legend_w, legend_h = _legend_size(legend_title, entries, 0.3 * width)
        map_w = width - legend_w - 3 * _GAP_PT
        fig, canvas = _figure(width, max(_map_height(geo, map_w), legend_h))
        ax, scale = _map_axes(fig, geo, map_w)
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
            _value_labels(ax, geo, full, fills, fmt, scale, highlight)
        _legend(canvas, width, legend_w, legend_title, entries)
        return _svg(fig)


def locator_map(code: str, *, fonts_dir: Path, geojson_path: Path, width_cm: float = 5.0) -> str:
    """Small map of Egypt, `code` in the accent colour (ringed if tiny), the rest pale; no text."""
    # The same tenth of a millimetre on paper as a 16 cm map: a 5 cm map needs a third of the points,
    # and a handout draws one per fact sheet (WeasyPrint draws each SVG anew).
    geo = _geo(geojson_path, [code], _SIMPLIFY_DEG * 16 / max(width_cm, 1.0))
    with _style(fonts_dir):
        width = width_cm * PT_PER_CM
        fig, _ = _figure(width, _map_height(geo, width))
        ax, scale = _map_axes(fig, geo, width)
        _draw_regions(ax, geo, {other: PALE for other in geo.regions} | {code: ACCENT}, 0.35)
        _ring_if_tiny(ax, geo.regions[code], scale)
        return _svg(fig)


def _ring_if_tiny(ax: Axes, region: _Region, scale: float) -> None:
    """Circle a governorate under 8 pt across, the circle kept inside the map's frame."""
    low, high = region.path.vertices.min(0), region.path.vertices.max(0)
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
