"""The dossier after the independent review (issue 10, sixth round): the score chart says what its colours mean and
prints its values as the table beside it does; the certificate's spare height shared, not left as one empty band."""

from __future__ import annotations

import re

import lxml.html
import pymupdf
import pytest

from tests.documents import SAMPLES
from tests.layout import svg_clipped

ISOLATES = re.compile("[\u2066-\u2069\u200e\u200f]")


def _areas_table(html: str) -> list[str]:
    """Return the area scores as the areas table prints them (its last column, the total row left out)."""
    root = lxml.html.fromstring(html)
    rows = root.xpath("//table[contains(@class, 'areas')]/tbody/tr[not(contains(@class, 'total'))]")
    return [ISOLATES.sub("", row.xpath("./td")[-1].text_content()).strip() for row in rows]


def test_the_charts_value_labels_are_the_tables_numbers(planned, monkeypatch):
    """The chart printed ٦٦ beside a table's ٦٦٫٠: the bars' labels come from the table's formatter."""
    from reportgen.commands import issuing
    from reportgen.render import charts

    drawn: list[list[str]] = []
    original = charts.area_scores_chart

    def recording(areas, scores, *, fmt, **kwargs):
        drawn.append([fmt(s) for s in scores])
        return original(areas, scores, fmt=fmt, **kwargs)

    monkeypatch.setattr(charts, "area_scores_chart", recording)
    whole = 0
    for d in planned.values():
        drawn.clear()
        html = issuing.html_of(d, SAMPLES)
        assert drawn == [_areas_table(html)], d.cluster.id
        whole += sum(float(a.score).is_integer() for a in d.areas)
    assert whole, "a whole score among the samples (where the two formats once differed)"


def test_a_chart_of_decimal_labels_keeps_them_inside_its_picture():
    from reportgen.render import charts
    from reportgen.render.formatting import Formatter
    from reportgen.settings import fonts_dir

    fmt = Formatter(locale="ar", digits="arabic")
    svg = charts.area_scores_chart(
        ["متطلبات العملاء", "الخامات", "العمليات"],
        [100.0, 64.0, 80.0],
        fmt=lambda v: fmt.decimal(v, 1),
        mark_fmt=fmt.integer,
        fonts_dir=fonts_dir(),
        width_cm=15.5,
    )
    assert not svg_clipped(svg)


def test_the_score_charts_colours_are_explained_in_its_own_terms(planned):
    """Under the chart, a key names each bar colour with the thresholds' names the caption uses, in the colours
    the bars are drawn in (read from the finished PDF's drawings)."""
    from reportgen.commands import issuing
    from reportgen.render import charts

    d = planned["EG-KN-002"]
    html = issuing.html_of(d, SAMPLES)
    caption = lxml.html.fromstring(html).xpath("//figure[contains(@class, 'chart')]/figcaption")[0].text_content()
    for words in ("أقل من حد الرفض", "من حد الرفض إلى ما دون حد المنح", "حد المنح فأكثر"):
        assert words in caption
    assert "حد الرفض" in caption and "حد المنح" in caption
    pdf = pymupdf.open(stream=issuing.render(d, SAMPLES).pdf or b"", filetype="pdf")
    page = next(p for p in pdf if "حد المنح فأكثر" in p.get_text() or "فأكثر" in p.get_text())
    swatches = {
        "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in drawing["fill"]))
        for drawing in page.get_drawings()
        if drawing.get("fill") and 5 < drawing["rect"].width < 12 and 4 < drawing["rect"].height < 9
    }
    assert set(charts.SCORE_COLORS) <= swatches, swatches


@pytest.mark.parametrize("colour", range(3))
def test_the_key_follows_the_charts_colours(planned, colour):
    from reportgen.commands import issuing
    from reportgen.render import charts

    html = issuing.html_of(planned["EG-LX-001"], SAMPLES)
    name = ("low", "mid", "high")[colour]
    assert f"--band-{name}: {charts.SCORE_COLORS[colour]};" in html


# ----------------------------------------------------------------------------- the certificate's spare height

MM = 72 / 25.4
BAND_MM = 15.0  # a gap between two blocks of the framed page this tall reads as a missing block


def _largest_gap(page) -> tuple[float, str]:
    """Return the tallest empty band (mm) between two text lines of a certificate, from its number to its dates."""
    lines = sorted(
        (line["bbox"][1], line["bbox"][3], "".join(s["text"] for s in line["spans"]).strip())
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
    )
    lines = [line for line in lines if line[2]]
    top = next(bottom for _, bottom, text in lines if text.startswith("EG-"))
    end = next(bottom for _, bottom, text in lines if "رقم الإصدار" in text)
    gaps, reach = [(0.0, "")], top
    for y0, y1, text in lines:
        if top - 1 <= y0 and y1 <= end + 1:
            if y0 > reach:
                gaps.append(((y0 - reach) / MM, text[:30]))
            reach = max(reach, y1)
    return max(gaps)


def test_no_sample_certificate_leaves_a_band_between_its_blocks(planned):
    """EG-DK-001's certificate, set closest by a guess at its text lengths, left a 20 mm band between its scope and
    its sites: the density is now read from the layout, and every gap stays under BAND_MM."""
    from reportgen.commands import issuing

    bands = {}
    for d in planned.values():
        if d.certified:
            page = pymupdf.open(stream=issuing.render(d, SAMPLES).pdf or b"", filetype="pdf")[0]
            gap, before = _largest_gap(page)
            if gap > BAND_MM:
                bands[d.cluster.id] = f"{gap:.1f} mm before «{before}»"
    assert bands == {}


def _laid(certificate_pages: int, spare: float, last_filled: float = 0.9):
    from reportgen.render.pdf import Laid, PageFill

    pages = [PageFill("certificate", 0.7)] * certificate_pages + [PageFill("", 0.9), PageFill("", last_filled)]
    return Laid(job=None, pages=pages, room={"space": spare, "inner": 0.0}, _laid=())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("layouts", "chosen"),
    [
        ({"normal": (1, 18.0)}, "normal"),  # room between the blocks: the most generous sizes
        ({"normal": (1, 0.0), "compact": (1, 8.4)}, "compact"),  # blocks touching: one step closer
        ({"normal": (2, 180.0), "compact": (1, 1.7), "tight": (1, 56.4)}, "compact"),  # none spaced: the first fitting
        ({"normal": (2, 0.0), "compact": (2, 0.0), "tight": (2, 0.0)}, "tight"),  # none fits: the tightest
        ({"normal": (1, 60.0), "compact": (1, 70.0), "tight": (1, 90.0)}, "normal"),  # short texts: room to spare
    ],
)
def test_the_certificates_density_is_read_from_its_layout(planned, layouts, chosen):
    from reportgen.commands import issuing

    asked = []

    def laid(setting):
        asked.append(setting.density)
        return _laid(*layouts[setting.density])

    setting, _ = issuing._set(planned["EG-LX-001"], laid)
    assert setting.density == chosen and not setting.close
    assert asked == list(layouts)  # laid out only as far as needed


def test_the_file_is_set_closer_only_when_its_last_page_is_nearly_empty(planned):
    from reportgen.commands import issuing

    def laid(setting):
        return _laid(1, 18.0, 0.97 if setting.close else 0.26)

    assert issuing._set(planned["EG-LX-001"], laid)[0] == issuing.Setting("normal", close=True)
    assert issuing._set(planned["EG-LX-001"], lambda s: _laid(1, 18.0, 0.26))[0] == issuing.Setting("normal")
    assert issuing._set(planned["EG-C-002"], lambda s: _laid(0, 0.0))[0] == issuing.Setting("normal")  # a letter
