"""One rule for every document's numeric columns (base.css, td.n): flush right, in figures of one width.

The brief's columns are read by test_brief_figures.py and the dossier's by test_dossier_review8.py; here the rule's
one home, and the handout, whose index and closing page took it from a copy of their own (`.axes td.money`) or not
at all (the index's page numbers were flush left, in Noto Sans Arabic's proportional figures)."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest

from reportgen.commands import handout as handout_command
from tests.documents import settings

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "clusters.xlsx"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "ar"
ARABIC_DIGITS = set("٠١٢٣٤٥٦٧٨٩٫٬")


def test_the_numeric_column_rule_is_set_once_in_base_css():
    """base.css sets td.n flush right in tabular figures; no document's stylesheet sets its own copy."""
    base = (TEMPLATES / "base.css").read_text("utf-8")
    assert re.search(r"^td\.n, th\.n \{ text-align: right;", base, re.MULTILINE)
    assert re.search(r"^td\.n \{ font-family: .*font-variant-numeric: tabular-nums; \}", base, re.MULTILINE)
    for sheet in ("brief.css", "dossier.css", "handout.css"):
        css = (TEMPLATES / sheet).read_text("utf-8")
        assert "tabular-nums" not in css, sheet
        assert not re.search(r"td\.(n|money)\b[^{]*\{[^}]*(text-align|font-family)", css), sheet


@pytest.fixture(scope="module", params=["A4", "A5"])
def handout(request, tmp_path_factory) -> pymupdf.Document:
    out = tmp_path_factory.mktemp("handout") / "handout.pdf"
    handout_command.run(SAMPLE, out, settings(), paper=request.param)
    return pymupdf.open(out)


def _spans(page) -> list[dict]:
    return [s for b in page.get_text("dict")["blocks"] for line in b.get("lines", []) for s in line["spans"]]


def test_the_handouts_index_sets_its_page_numbers_as_every_numeric_column(handout):
    """The index's page numbers (٦ to ٥٢): flush right under their head, each in Amiri's tabular figures."""
    pages = [p for p in handout if "الصفحة" in p.get_text() and "بطاقات التجمعات" in p.get_text()]
    assert pages
    numbers = 0
    for page in pages:
        spans = _spans(page)
        head = next(s for s in spans if s["text"].strip() == "الصفحة")
        column = [s for s in spans if set(s["text"].strip()) <= ARABIC_DIGITS and s["bbox"][2] < head["bbox"][2] + 5]
        column = [s for s in column if s["text"].strip() and s["origin"][1] > head["origin"][1] + 1]
        assert {len(s["text"].strip()) for s in column} >= {2}
        assert {s["font"] for s in column} == {"RG-Naskh"}
        rights = [s["bbox"][2] for s in column]
        assert max(rights) - min(rights) <= 0.5, rights
        assert abs(max(rights) - head["bbox"][2]) <= 1.0  # flush right, as its head
        # ... in a column as narrow as its head, so the numbers stand at the outer edge, as on a contents page (a
        # wide column left them floating mid-table once flush right)
        block_left = min(s["bbox"][0] for s in spans if s["origin"][1] < head["origin"][1] - 1)
        assert head["bbox"][0] - block_left <= 8, (head["bbox"], block_left)
        numbers += len(column)
    assert numbers == 46  # a fact sheet per cluster of Upper Egypt, each listed once


def test_the_handouts_axes_counts_stay_centred_in_tabular_figures(handout):
    """The closing page's counts under منجز، قيد التنفيذ، مخطط: still centred (a dash and a figure share a centre),
    now in Amiri's figures like the budgets beside them."""
    page = next(p for p in handout if "باختصار" in p.get_text())
    spans = _spans(page)
    heads = [s for s in spans if s["text"].strip() in ("منجز", "التنفيذ", "مخطط") and "Bold" in s["font"]]
    assert len(heads) == 3
    for head in heads:
        middle = (head["bbox"][0] + head["bbox"][2]) / 2
        cells = [
            s
            for s in spans
            if s["origin"][1] > head["origin"][1] + 1
            and abs((s["bbox"][0] + s["bbox"][2]) / 2 - middle) < 6
            and set(s["text"].strip()) <= ARABIC_DIGITS | {"—"}
            and s["text"].strip()
        ]
        assert len(cells) == 9, head["text"]  # one per axis, and the totals row (test_handout_review8)
        centres = [(s["bbox"][0] + s["bbox"][2]) / 2 for s in cells]
        assert max(centres) - min(centres) <= 0.5, (head["text"], centres)
        assert {s["font"].removesuffix("-Bold") for s in cells if s["text"].strip() != "—"} == {"RG-Naskh"}
