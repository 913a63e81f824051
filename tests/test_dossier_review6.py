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
