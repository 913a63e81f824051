"""Mixed Arabic, Latin and digit runs as laid out: percent signs, units, amounts and year ranges in order and whole."""

from __future__ import annotations

import pymupdf
import pytest
from markupsafe import Markup

from reportgen.render.formatting import Formatter
from reportgen.render.html import environment
from reportgen.settings import Settings
from tests.layout import render

ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def _filters(digits: str = "arabic"):
    return environment(Settings(), Formatter(digits=digits)).filters


def _page(paragraphs: list[Markup], tmp_path, width: str = "180mm") -> tuple[pymupdf.Document, list]:
    """Render one right-to-left paragraph per item; return the PDF and WeasyPrint's laid-out pages."""
    body = "".join(Markup('<p style="width: {}">{}</p>').format(width, p) for p in paragraphs)
    html = (
        '<html lang="ar" dir="rtl"><head><meta charset="utf-8"><style>@page { size: 210mm 2000mm; margin: 10mm }'
        " p { font-size: 14pt; margin: 0 0 6pt } .nw { white-space: nowrap }</style></head><body>"
        f"{body}</body></html>"
    )
    doc = render("runs", html, tmp_path)
    return pymupdf.open(stream=doc.pdf, filetype="pdf"), doc.pages


def _visual_lines(pdf: pymupdf.Document) -> list[list[tuple[float, str]]]:
    """Return each printed line of the first page as its glyphs (x, character), left to right."""
    lines: dict[int, list[tuple[float, str]]] = {}
    for block in pdf[0].get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for char in span["chars"]:
                    lines.setdefault(round(char["bbox"][3]), []).append((char["bbox"][0], char["c"]))
    return [sorted(glyphs) for _, glyphs in sorted(lines.items())]


PERCENT_CONTEXTS = [
    "تبلغ نسبة النساء بينهم في المتوسط {}، وتقدر القيمة",  # a comma after it
    "ومتوسط نسبة التصدير {}.",  # a full stop
    "يعمل بها {} من العاملين",  # "من" after it
    "نسبة {} (تقديرية)",  # a bracket
    "{}",  # alone, as in a table cell
]


@pytest.mark.parametrize("value", [0.4, 0.22, 0.314])
def test_an_arabic_percentage_prints_its_sign_left_of_its_digits_whatever_follows(value, tmp_path):
    pct = _filters()["pct"]
    paragraphs = [Markup(context).format(pct(value, 1 if value == 0.314 else 0)) for context in PERCENT_CONTEXTS]
    pdf, _ = _page(paragraphs, tmp_path)
    lines = _visual_lines(pdf)
    assert len(lines) == len(PERCENT_CONTEXTS)
    for context, glyphs in zip(PERCENT_CONTEXTS, lines, strict=True):
        sign = [x for x, c in glyphs if c == "٪"]
        digits = [x for x, c in glyphs if c in ARABIC_DIGITS]
        assert sign and digits, context
        assert sign[0] < min(digits), f"٪ right of its digits in {context!r}"


def test_a_latin_percentage_keeps_its_sign_after_the_digits(tmp_path):
    pdf, _ = _page([Markup("نسبة {} من العاملين").format(_filters("latin")["pct"](0.4))], tmp_path)
    (glyphs,) = _visual_lines(pdf)
    assert "40%" in "".join(c for _, c in glyphs)


@pytest.mark.parametrize(
    ("text", "arabic", "latin"),
    [
        ("قياسات الكروم في الصرف أقل من 0.5 mg/L", "mg/L٠٫٥", "0.5mg/L"),
        ("قياسات الكروم أقل من 0.5 mg/L.", "mg/L٠٫٥", "0.5mg/L"),
        ("تركيز 2 g/kg في العينة", "g/kg٢", "2g/kg"),
        ("3 أفران بدقة ±10 °C", "°C±١٠", "±10°C"),
    ],
)
def test_a_measure_prints_whole_in_the_order_its_digits_read(text, arabic, latin, tmp_path):
    """In Arabic digits a measure is read from the right, number first (the unit on its left, itself whole: mg/L,
    °C); in Latin digits it reads left to right as typed. Left to right on the page, glyph by glyph."""
    for digits, reads in (("arabic", arabic), ("latin", latin)):
        pdf, _ = _page([_filters(digits)["bidi"](text)], tmp_path)
        (glyphs,) = _visual_lines(pdf)
        assert reads in "".join(c for _, c in glyphs if not c.isspace()), digits


def test_a_year_range_before_a_colon_prints_in_order_with_the_colon_after_it(tmp_path):
    title = "الاستراتيجية الوطنية لتنمية التجمعات الإنتاجية الطبيعية 2019–2030: أين نحن؟"
    filters = _filters()
    pdf, _ = _page([filters["bidi"](title), filters["nowidow"](title)], tmp_path)
    lines = _visual_lines(pdf)
    assert len(lines) == 2
    for glyphs in lines:
        # Left to right on the page: the colon, then the range read from the right (٢٠١٩ first), nothing between.
        assert "".join(c for _, c in glyphs if c in ARABIC_DIGITS + "–:") == ":٢٠٣٠–٢٠١٩"


def _line_texts(pages) -> list[list[str]]:
    """Return, per paragraph, the logical text of each of its lines (WeasyPrint's layout tree)."""
    from weasyprint.formatting_structure.boxes import BlockBox, LineBox, TextBox

    paragraphs = []
    for page in pages:
        for box in page._page_box.descendants():
            if isinstance(box, BlockBox) and box.element_tag == "p":
                lines = [line for line in box.descendants() if isinstance(line, LineBox)]
                paragraphs.append(
                    ["".join(t.text for t in line.descendants() if isinstance(t, TextBox)) for line in lines]
                )
    return paragraphs


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("900 عارض ومبيعات 50 مليون ج.م", ("٥٠", "مليون", "ج.م")),
        ("صفقات تصديرية بقيمة 5 ملايين USD", ("٥", "ملايين", "USD")),
        ("خطة عمل موحدة لـ 10 تجمعات", ("لـ", "١٠")),
        ("150 منحة بحد أقصى 150,000 ج.م للمنحة", ("١٥٠٬٠٠٠", "ج.م")),
    ],
)
def test_an_amount_its_unit_and_a_clitic_before_a_number_never_break_apart(text, phrase, tmp_path):
    # The same phrase after ever longer openings: a line ends at every place in it that allows one.
    openings = ["كلمة " * n for n in range(12)]
    paragraphs = [_filters()["bidi"](opening + text) for opening in openings]
    _, pages = _page(paragraphs, tmp_path, width="32mm")
    laid_out = _line_texts(pages)
    assert len(laid_out) == len(openings)
    assert any(len(lines) > 2 for lines in laid_out)  # the column is narrow enough to break the text
    for lines in laid_out:
        whole = [line for line in lines if all(word in line for word in phrase)]
        assert whole, f"{phrase} split across lines: {lines}"
