"""What every chart shares: colours, the bundled fonts in matplotlib, text measured and fitted, figures as SVG."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from reportgen.documents.common import PT_PER_MM
from reportgen.fonts.metrics import ELLIPSIS

Fmt = Callable[[float], str]

FAMILY = ["Noto Sans Arabic", "Noto Sans"]  # Arabic first; Latin letters fall back to Noto Sans
PT_PER_CM = 10 * PT_PER_MM
INK = "#1d2b30"
MUTED = "#66737a"
BAR = "#1f6f78"
ZERO = "#ededea"  # no value: lighter than every class colour, in greyscale too
OUTSIDE = "#ffffff"  # a governorate outside the document's scope: the paper, within light grey borders
OUTSIDE_EDGE = "#c9d0d1"
PALE = "#d8dddc"
ACCENT = "#c0502f"
SEQUENTIAL = LinearSegmentedColormap.from_list(
    "reportgen_teal", ["#bfe0db", "#7cbab4", "#3f918e", "#1d6673", "#0c3f52"]
)
SCORE_COLORS = ("#b5d3cf", "#5b9e9a", "#1d6673")  # below, between, at or above the thresholds
RLM = "\u200f"  # makes a label a right-to-left paragraph, whatever its first word
LINE = 1.45  # line pitch, in font sizes
GAP_PT = 6.0
VALUE_PT = 8.0

_RC: Any = {  # matplotlib types its keys as literals; these are checked by matplotlib when used
    "svg.fonttype": "path",
    "svg.hashsalt": "reportgen",  # stable clip-path ids
    "svg.image_inline": True,
    "font.family": FAMILY,
    "text.color": INK,
    "text.language": "ar",
    "path.simplify": False,
}
_METADATA = {"Date": None, "Creator": None}
_TTP = TextToPath()


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
        # Private (no public way to reorder or reset it): pinned matplotlib<4, checked by test_private_apis.py.
        manager._findfont_cached.cache_clear()  # type: ignore[attr-defined]  # its results depend on the list's order
    for family in FAMILY:
        for weight in ("normal", "bold"):
            prop = FontProperties(family=family, weight=weight)
            if Path(font_manager.findfont(prop, fallback_to_default=False)).parent != fonts_dir:
                raise FileNotFoundError(f"{family} ({weight}) is missing from {fonts_dir}")


@contextmanager
def style(fonts_dir: Path) -> Iterator[None]:
    """Use the bundled fonts and the SVG settings for the duration of one chart."""
    _use_fonts(Path(fonts_dir).resolve())
    with matplotlib.rc_context(_RC):
        yield


def font(size: float, bold: bool = False) -> FontProperties:
    """Return the charts' font stack at a size."""
    return FontProperties(family=FAMILY, size=size, weight="bold" if bold else "normal")


def text_size(text: str, prop: FontProperties) -> tuple[float, float]:
    """Return the width and height of a text in points, as matplotlib lays it out (shaped)."""
    if not text:
        return 0.0, 0.0
    width, height, _ = _TTP.get_text_width_height_descent(text, prop, ismath=False)
    return width, height


def fit(text: str, prop: FontProperties, max_pt: float) -> str:
    """Return a label shortened to max_pt, at a word boundary when possible, ending with an ellipsis."""
    if text_size(text, prop)[0] <= max_pt:
        return text
    words = text.split()
    while len(words) > 1 and text_size(" ".join(words) + ELLIPSIS, prop)[0] > max_pt:
        words.pop()
    cut = " ".join(words)
    while cut and text_size(cut + ELLIPSIS, prop)[0] > max_pt:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def wrap(text: str, prop: FontProperties, max_pt: float) -> list[str]:
    """Return a text broken into lines no wider than max_pt (an overlong word keeps a line to itself)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and text_size(trial, prop)[0] > max_pt:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def figure(width_pt: float, height_pt: float) -> tuple[Figure, Axes]:
    """Return a transparent figure, and an invisible axes over it in points (origin top left)."""
    fig = Figure(figsize=(width_pt / 72, height_pt / 72))
    fig.patch.set_visible(False)
    canvas = fig.add_axes((0, 0, 1, 1))
    canvas.set_xlim(0, width_pt)
    canvas.set_ylim(height_pt, 0)
    canvas.set_axis_off()
    canvas.set_zorder(3)
    return fig, canvas


def add_axes(fig: Figure, box: tuple[float, float, float, float]) -> Axes:
    """Return an invisible axes at box = (left, top, width, height), in points from the top left."""
    left, top, width, height = box
    fig_w, fig_h = fig.get_size_inches() * 72
    ax = fig.add_axes((left / fig_w, 1 - (top + height) / fig_h, width / fig_w, height / fig_h))
    ax.set_axis_off()
    return ax


def svg(fig: Figure) -> str:
    """Return a figure as SVG text without the XML prolog."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata=_METADATA)
    text = buffer.getvalue().decode("utf-8")
    return text[text.index("<svg") :]


def text_lines(canvas: Axes, lines: Sequence[str], right: float, top: float, prop: FontProperties) -> float:
    """Draw right-aligned RTL lines from `top` down; return the height used in points."""
    pitch = prop.get_size_in_points() * LINE
    for i, line in enumerate(lines):
        canvas.text(right, top + (i + 0.5) * pitch, RLM + line, ha="right", va="center", fontproperties=prop)
    return pitch * len(lines)
