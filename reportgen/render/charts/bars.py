"""Horizontal bar charts for a right-to-left page: labels flush right, bars growing leftwards."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reportgen.render.charts.base import (
    BAR,
    GAP_PT,
    INK,
    LINE,
    MUTED,
    PALE,
    PT_PER_CM,
    RLM,
    SCORE_COLORS,
    VALUE_PT,
    Fmt,
    add_axes,
    figure,
    fit,
    font,
    style,
    svg,
    text_lines,
    text_size,
    wrap,
)

_LABEL_PT, _TITLE_PT, _SMALL_PT = 9.0, 10.0, 7.5
VALUE_GAP_PT = 5.0  # between a bar's end and its value: 3 pt read as touching in print
LINE_CLEAR_PT = 1.5  # a value label this close to a threshold line is moved past it
_ROW_PT = 17.0  # bar pitch: 30 bars make a chart about 19 cm tall


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
    label_prop, title_prop = font(_LABEL_PT), font(_TITLE_PT, bold=True)
    fitted = [fit(label, label_prop, 0.4 * width) for label in labels]
    label_w = max(text_size(label, label_prop)[0] for label in fitted)
    title_lines = wrap(title, title_prop, width) if title else []
    top = len(title_lines) * _TITLE_PT * LINE + (6.0 if title_lines else 0.0) + head_pt
    fig, canvas = figure(width, top + len(labels) * _ROW_PT + 3.0)
    text_lines(canvas, title_lines, width, 0.0, title_prop)
    for i, label in enumerate(fitted):
        canvas.text(width, top + (i + 0.5) * _ROW_PT, RLM + label, ha="right", va="center", fontproperties=label_prop)
    right = width - label_w - GAP_PT
    ax = add_axes(fig, (1.0, top, right - 1.0, len(labels) * _ROW_PT))
    ax.set_ylim(len(labels), 0)
    return _Bars(fig, canvas, ax, right, right - 1.0, top)


def _label_start(value: float, width: float, scale: float, lines: Sequence[float]) -> float:
    """Return where a value label's right edge sits, in points from the baseline: VALUE_GAP_PT past its bar's end,
    or as far past a line it would cross (a threshold struck through a value reads as a crossed-out number)."""
    start = value * scale + VALUE_GAP_PT
    for line in sorted(lines):
        at = line * scale
        if start - LINE_CLEAR_PT <= at <= start + width + LINE_CLEAR_PT:
            start = at + VALUE_GAP_PT
    return start


def _draw_bars(
    frame: _Bars,
    values: Sequence[float],
    texts: Sequence[str],
    colors: Sequence[str],
    x_max: float,
    lines: Sequence[float] = (),
) -> float:
    """Draw bars from 0 (right) leftwards, value labels past their ends and clear of the vertical `lines` (data
    values); return the axis maximum."""
    prop = font(VALUE_PT)
    pad = VALUE_GAP_PT
    for value, text in zip(values, texts, strict=True):  # room for each label past its bar
        room = frame.length - pad - text_size(text, prop)[0]
        x_max = max(x_max, value * frame.length / room if room > 0 else 2 * value)
    x_max = x_max or 1.0
    ax = frame.ax
    ax.set_xlim(x_max, 0)
    rows = np.arange(len(values)) + 0.5
    ax.barh(rows, values, height=0.64, color=colors, linewidth=0)
    scale = frame.length / x_max  # points per unit
    for row, value, text in zip(rows, values, texts, strict=True):
        start = _label_start(value, text_size(text, prop)[0], scale, lines)
        ax.annotate(
            text,
            (value, row),
            xytext=(value * scale - start, 0),
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
    with style(fonts_dir):
        frame = _bars_frame(labels, width_cm, title, head_pt=0.0)
        _draw_bars(frame, values, [fmt(v) for v in values], [color] * len(values), 0.0)
        return svg(frame.fig)


def area_scores_chart(
    areas: Sequence[str],
    scores: Sequence[float],
    *,
    fmt: Fmt,
    fonts_dir: Path,
    thresholds: tuple[float, float] = (65, 80),
    title: str | None = None,
    width_cm: float = 16.0,
    mark_fmt: Fmt | None = None,
) -> str:
    """Scores 0–100 as bars shaded by band (SCORE_COLORS: below, between, at or above the thresholds), with the
    two thresholds drawn and labelled on top. fmt: the bars' values (as the page's table prints them);
    mark_fmt: the scale's marks, 0, the thresholds and 100 (fmt when not given)."""
    _check_series(areas, scores)
    mark_fmt = mark_fmt or fmt
    low, high = sorted(thresholds)
    colors = [SCORE_COLORS[(s >= low) + (s >= high)] for s in scores]
    with style(fonts_dir):
        # Room above the bars for the threshold labels' full height (Arabic digits rise above the cap height).
        frame = _bars_frame(areas, width_cm, title, head_pt=_SMALL_PT * 2.2)
        x_max = _draw_bars(frame, scores, [fmt(s) for s in scores], colors, 100.0, lines=(low, high))
        frame.ax.axvline(100.0, color=PALE, linewidth=0.6, zorder=0)
        for mark in (low, high):
            frame.ax.axvline(mark, color=INK, linewidth=0.7, linestyle=(0, (3, 2)), zorder=3)
        for mark in (0.0, low, high, 100.0):
            limit = mark in (low, high)
            frame.canvas.text(
                frame.right - mark / x_max * frame.length,
                frame.top - 2.5,
                mark_fmt(mark),
                ha="left" if mark == 100.0 else "center",  # the left end: centred, half of it falls off the figure
                va="bottom",
                color=INK if limit else MUTED,
                fontproperties=font(_SMALL_PT, bold=limit),
            )
        return svg(frame.fig)
