"""Text metrics: widths and line counts agree with what WeasyPrint (Pango) lays out with the same fonts."""

from __future__ import annotations

import html

import pytest
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from reportgen.documents.factsheet import NASKH, SANS
from reportgen.fonts.files import font_face_css
from reportgen.fonts.metrics import ELLIPSIS, Font

PX_TO_PT = 0.75
TEXTS = [
    "الصناعات اليدوية التقليدية",
    "ڈڊڋڍڎڐڑړڕڗڙ",  # U+0688–U+0699: right-joining dal and reh forms next to dual-joining letters
    "ڈاڈ ڍبڍ ڑبڑ ڙسڙ ڊنڊ",
    "لا إله الأعلى السلام فلا",  # lam-alef ligatures
    "ISO 9001:2015 معتمد",
    "Hello, World — AVATAR",
    "تجمع ٣٠٪ ≥ ٢٠ ± ٥",  # ≥ and ± only in RG Symbols: fallback down the stack
    "ـــ",
    "فخار الفيوم 2024-09-02",
    "اللّٰه مُحَمَّد",
]
STACKS = [(NASKH, False), (NASKH, True), (SANS, False), (SANS, True)]


def _render(body: str):
    config = FontConfiguration()
    css = CSS(
        string=font_face_css() + "@page { size: 3000pt 3000pt; margin: 0 } p { margin: 0 }",
        font_config=config,
    )
    page = HTML(string=f'<html dir="rtl" lang="ar"><body>{body}</body></html>').render(
        stylesheets=[css], font_config=config
    )
    return page.pages[0]._page_box


def _style(font: Font) -> str:
    families = ", ".join(f"'{family}'" for family in font.families)
    return f"font-family: {families}; font-size: {font.size_pt}pt; font-weight: {'bold' if font.bold else 'normal'}"


def _boxes(box, kind: str) -> list:
    found = [box] if type(box).__name__ == kind else []
    for child in getattr(box, "children", []):
        found += _boxes(child, kind)
    return found


def laid_out_widths(items: list[tuple[Font, str]]) -> list[float]:
    """Return the width WeasyPrint gives each text, set on a line of its own, in points."""
    body = "".join(
        f'<p style="white-space: pre"><span style="{_style(f)}">{html.escape(t)}</span></p>' for f, t in items
    )
    return [box.width * PX_TO_PT for box in _boxes(_render(body), "InlineBox")]


def laid_out_lines(font: Font, text: str, widths: list[float]) -> list[int]:
    """Return how many lines WeasyPrint breaks text into in boxes of the given widths (points)."""
    body = "".join(f'<p style="{_style(font)}; width: {w}pt">{html.escape(text)}</p>' for w in widths)
    paragraphs = [b for b in _boxes(_render(body), "BlockBox") if b.element_tag == "p"]
    return [len(_boxes(p, "LineBox")) for p in paragraphs]


@pytest.mark.parametrize(("families", "bold"), STACKS)
def test_widths_agree_with_weasyprint(families, bold):
    font = Font(families, 10.5, bold)
    items = [(font, text) for text in TEXTS]
    for text, expected in zip(TEXTS, laid_out_widths(items), strict=True):
        assert font.width(text) == pytest.approx(expected, rel=0.01), text


def test_widths_scale_with_the_size():
    text = TEXTS[3]
    small, large = Font(SANS, 8.5), Font(SANS, 20, bold=True)
    assert [small.width(text), large.width(text)] == pytest.approx(
        laid_out_widths([(small, text), (large, text)]), rel=0.01
    )


def test_joining_forms_change_the_width():
    # Isolated, joined and lam-alef forms differ in width; a table of isolated advances would not see it.
    font = Font(NASKH, 10)
    assert font.width("ببب") != pytest.approx(3 * font.width("ب"), rel=0.02)
    assert font.width("لا") != pytest.approx(font.width("ل") + font.width("ا"), rel=0.02)


def test_line_counts_agree_with_weasyprint():
    font = Font(NASKH, 10.5)
    text = " ".join(TEXTS[:6] * 3)
    widths = [90.0, 150.0, 230.0, 400.0]
    assert [font.lines(text, w) for w in widths] == laid_out_lines(font, text, widths)


def test_fitted_text_fits_when_laid_out():
    font = Font(SANS, 8.5, bold=True)
    text = " ".join(TEXTS * 2)
    fitted = font.fit(text, 120.0, 2)
    assert fitted.endswith(ELLIPSIS) and laid_out_lines(font, fitted, [120.0]) == [font.lines(fitted, 120.0)] == [2]
