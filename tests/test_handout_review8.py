"""Review 8 of the handout (issue 10): the axes page's totals row and zeros, the axis name kept with what follows."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest

from reportgen.commands import handout as handout_command
from reportgen.documents.common import printed, unit_places
from reportgen.model.reference import AXES
from reportgen.settings import Settings
from tests.conftest import SAMPLES
from tests.pdftext import pages_text

SETTINGS = Settings(today=dt.date(2026, 11, 19))
ARABIC = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")
FIGURE = re.compile(r"^(?:[٠-٩][٠-٩٫]*|—)$")


@pytest.fixture(scope="module", params=["A4", "A5"])
def sample(request, tmp_path_factory):
    """Return (paper, plan, the PDF) of the sample's handout as `reportgen handout` makes it."""
    out = tmp_path_factory.mktemp("review8") / f"handout-{request.param}.pdf"
    handout_command.run(SAMPLES / "clusters.xlsx", out, SETTINGS, paper=request.param)
    plan = handout_command.html(SAMPLES / "clusters.xlsx", SETTINGS, request.param)[2]
    return request.param, plan, pymupdf.open(out)


def _lines(page: pymupdf.Page) -> list[tuple[float, float, str]]:
    """Return each line's top, right edge and text (MuPDF reads a run of some lines twice: «ا الابتكار»)."""
    return [
        (line["bbox"][1], line["bbox"][2], "".join(span["text"] for span in line["spans"]).strip())
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
    ]


def _figures(lines: list[tuple[float, float, str]], top: float) -> list[str]:
    """Return the figures of the table row whose first line is at top, right to left as the row reads (MuPDF gives a
    number's digits in the order they are drawn: reversed)."""
    cells = [(right, text) for y, right, text in lines if abs(y - top) < 3 and FIGURE.match(text)]
    return [text[::-1] for _right, text in sorted(cells, reverse=True)]


def _amount(amount: Decimal, scale: int) -> str:
    return str(printed(amount / scale, unit_places(scale))).translate(ARABIC)


def test_the_axes_table_ends_with_its_totals_and_prints_a_zero_as_the_brief_does(sample):
    """Review 8: no totals row although the brief has one, and «—» for a count of none where the brief and the KPI
    tiles print «٠»: «—» is left for a budget there is none of (an axis without interventions)."""
    paper, plan, doc = sample
    [page] = [p for p in doc if "لمزيد من المعلومات" in p.get_text()]
    lines = _lines(page)
    scale = plan.axes_budget_scale
    assert plan.axes_by_status  # the sample's interventions have a status: the columns count done, doing, planned
    rows = []
    for key, (_en, label) in AXES.items():
        axis = next(a for a in plan.axes if a.key == key)
        [top] = [y for y, _right, text in lines if label in text]
        budget = _amount(axis.budget_egp, scale) if axis.interventions else "—"
        expected = [str(n).translate(ARABIC) for n in plan.axis_counts(axis)] + [budget]
        assert _figures(lines, top) == expected, (paper, label)
        rows.append(axis)
    assert any(not a.interventions for a in rows) and any(0 in plan.axis_counts(a) for a in rows)  # the sample's
    [top] = [y for y, _right, text in lines if text.endswith("الإجمالي") and "يساوي" not in text]  # not the note
    counts = [sum(column) for column in zip(*(plan.axis_counts(a) for a in rows), strict=True)]
    total = _amount(sum((a.budget_egp for a in rows), Decimal(0)), scale)
    assert _figures(lines, top) == [str(n).translate(ARABIC) for n in counts] + [total], paper
    assert top > max(y for y, _right, text in lines if AXES["coordination"][1] in text)  # the table's last row
    # as the brief: the budgets as printed do not add up to the total printed, and a line under the table says why
    shown = sum(printed(a.budget_egp / scale, unit_places(scale)) for a in rows if a.interventions)
    assert shown != printed(sum(a.budget_egp for a in rows) / scale, unit_places(scale))
    note = "قد لا يساوي الإجمالي مجموع الأرقام المعروضة بسبب التقريب."
    assert note in pages_text(Path(doc.name))[page.number]


def test_no_line_of_an_intervention_holds_only_its_axis_name(sample):
    """Review 8, A5 p30 (EG-SHG-001): «تطوير مهارات العاملين،» ended a line alone, the lead body on the next: the axis
    name is kept with the word after it, as the fitter measures it (documents/factsheet.py AXIS_SEPARATOR)."""
    paper, plan, doc = sample
    labels = {label + "،" for _en, label in AXES.values()}
    lines = [
        (number, line.strip()) for number, text in enumerate(pages_text(Path(doc.name))) for line in text.splitlines()
    ]
    metas = [line for _number, line in lines if any(line.startswith(label[:-1]) for label in labels)]
    assert len(metas) >= sum(len(s.interventions) for s in plan.sheets) / 2  # the interventions' lines, read
    alone = [(number + 1, line) for number, line in lines if line in labels]
    assert not alone, (paper, alone)
