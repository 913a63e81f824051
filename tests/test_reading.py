"""What an Arabic reader reads on every document: no English word in the text, totals that add up as printed."""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation

import lxml.html
import openpyxl
import pymupdf
import pytest

from reportgen.model.arabic import ascii_digits
from tests.documents import NAMES, SAMPLES

# Latin words an Arabic document may print of its own: the map data's credit (the names stay as their owners write
# them), the specimen mark (bilingual by design), a web address's scheme and the file format the dossier's record is
# attached to. The others are the data's (data_words): a sample cluster's text needs no edit here.
ALLOWED = {"OpenStreetMap", "ODbL", "geoBoundaries", "SPECIMEN", "https", "PDF"}
_CODE = re.compile(r"[0-9/@:_]|[A-Za-z][.-][A-Za-z0-9]")  # ids, dates, addresses, file names: codes, not words
_HEX = re.compile(r"^[0-9a-f]+$")  # a fingerprint's groups
_WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
_ARABIC_OR_DIGIT = re.compile(r"[\u0600-\u06ff0-9]")


@functools.cache
def data_words() -> frozenset[str]:
    """Return the Latin words the sample workbooks' users wrote: those of text cells with an Arabic letter or a digit.

    An Arabic sentence keeps its names, standards and units as the trade writes them (Dr. Maria López (AECID), IRR ≥
    18%, ISO 9001:2015); a cell of Latin words alone is a vocabulary term or a column's name ("planned", "Luxor",
    "Technology transfer", "cluster_id") that the documents translate, and must not print as typed.
    """
    words: set[str] = set()
    for workbook in sorted(SAMPLES.glob("*.xlsx")):
        book = openpyxl.load_workbook(workbook, read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for cell in row:
                    if isinstance(cell, str) and _ARABIC_OR_DIGIT.search(cell):
                        words.update(latin_words(cell))
        book.close()
    return frozenset(words)


def latin_words(text: str) -> list[str]:
    """Return the Latin words of a text, codes left out (ids, dates, addresses, file names, a fingerprint's groups)."""
    words = []
    for token in text.split():
        token = token.strip("()[]«»,.;:،؛!?\"'")
        if not (_CODE.search(token) or _HEX.match(token)):
            words += _WORD.findall(token)
    return words


def english_words(pdf: bytes) -> dict[str, int]:
    """Return the Latin words of the PDF's text (MuPDF) neither ALLOWED nor the data's, with the page of each."""
    found: dict[str, int] = {}
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for number, page in enumerate(doc, 1):
            for word in latin_words(page.get_text()):
                if word not in ALLOWED and word not in data_words():
                    found.setdefault(word, number)
    return found


@pytest.mark.parametrize("name", [n for n in NAMES if n != "handout-a5-booklet"])  # the booklet: handout-a5's pages
def test_no_english_word_in_the_arabic_text(documents, name):
    assert english_words(documents[name].pdf) == {}


def test_the_data_lends_its_names_not_its_vocabulary():
    """The small workbook types its statuses, axes, governorates and column names in English: the documents translate
    them, so they are not the data's words; the names and standards inside the Arabic text are."""
    assert {"AECID", "López", "ISO", "HACCP", "ppm"} <= data_words()
    vocabulary = {"planned", "progress", "done", "Luxor", "Aswan", "Technology", "marketing", "major", "initial", "yes"}
    assert not vocabulary & data_words()
    assert not {"EG", "LX", "ALX", "IS"} & data_words()  # the parts of a cluster's id are a code's


def test_an_english_word_is_caught():
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 50), "5 million USD, EG-LX-001, ISO 9001:2015, OpenStreetMap (ODbL) via planned")
    assert english_words(doc.tobytes()) == {"million": 1, "USD": 1, "via": 1, "planned": 1}


# ---- totals --------------------------------------------------------------------------------------------------

ROUNDING_NOTE = "قد لا يساوي الإجمالي مجموع الأرقام المعروضة بسبب التقريب."


def _number(text: str) -> tuple[Decimal, int] | None:
    """Return a printed cell's number and its decimals ("١٬٢٣٤٫٥" → 1234.5, 1; "٤٠٪" → 40, 0), else None."""
    text = ascii_digits(re.sub("[\u2066-\u2069\u200e\u200f\u061c\u00a0 ]", "", text))
    text = text.replace("٬", "").replace(",", "").replace("٫", ".").replace("٪", "").replace("%", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text), len(text.split(".")[1]) if "." in text else 0
    except InvalidOperation:
        return None


def rounding_differences(html: str) -> list[tuple[int, int, str]]:
    """Return (table, column, what) for each totals row whose column, as printed, does not add up to its total
    by no more than rounding explains and has no rounding note under its table. A total that is not a sum (a
    mean) differs by more than rounding could, and is not a sum to check."""
    out = []
    root = lxml.html.fromstring(html)
    for t, table in enumerate(root.iter("table")):
        total = table.xpath(".//tr[contains(concat(' ', @class, ' '), ' total ')]")
        if not total:
            continue
        body = [r for r in table.xpath("./tbody/tr") if r not in total]
        noted = (nxt := table.getnext()) is not None and ROUNDING_NOTE in nxt.text_content()
        for c, cell in enumerate(total[0].xpath("./td")):
            printed_total = _number(cell.text_content())
            cells = [_number(r.xpath("./td")[c].text_content()) for r in body if len(r.xpath("./td")) > c]
            if printed_total is None or not cells or any(x is None for x in cells):
                continue
            places = printed_total[1]
            added = sum((x[0] for x in cells if x), Decimal(0))
            explained = Decimal(len(cells)) * Decimal(5).scaleb(-places - 1)  # half a unit of the last place each
            if added != printed_total[0] and abs(added - printed_total[0]) <= explained and not noted:
                out.append((t, c, f"cells add up to {added}, the total prints {printed_total[0]}"))
    return out


def _totals_cases():
    for name in NAMES:
        if name != "handout-a5-booklet":  # the booklet: handout-a5's pages
            yield pytest.param(name, id=name)


@pytest.mark.parametrize("name", list(_totals_cases()))
def test_totals_add_up_as_printed_or_say_why(documents, name):
    doc = documents[name]
    assert rounding_differences(doc.html) == []
    if ROUNDING_NOTE in doc.html:  # and the note is printed, not only in the HTML
        with pymupdf.open(stream=doc.pdf, filetype="pdf") as pdf:
            assert any(ROUNDING_NOTE[:20] in page.get_text() for page in pdf)


def test_the_sample_brief_needs_its_rounding_notes(documents):
    """The national brief's progress table prints ٦٤٣٫٨ as the total of cells adding up to 643.9: the check sees
    it without the note, and the brief prints the note."""
    html = documents["brief-national"].html
    assert html.count(ROUNDING_NOTE) >= 1
    assert rounding_differences(html.replace(ROUNDING_NOTE, "")) != []


def test_a_total_that_does_not_add_up_is_caught():
    rows = "".join(f"<tr><td>س</td><td>{v}</td></tr>" for v in ("١٫٢", "٢٫٢"))
    table = f"<table><tbody>{rows}</tbody><tbody><tr class='total'><td>الإجمالي</td><td>٣٫٥</td></tr></tbody></table>"
    expected = [(0, 1, "cells add up to 3.4, the total prints 3.5")]
    assert rounding_differences(f"<html><body>{table}</body></html>") == expected
    noted = f"<html><body>{table}<p class='table-note'>{ROUNDING_NOTE}</p></body></html>"
    assert rounding_differences(noted) == []
    mean = table.replace("٣٫٥", "١٫٧")  # a mean, not a sum: not checked
    assert rounding_differences(f"<html><body>{mean}</body></html>") == []


def test_the_dossier_planner_knows_when_its_weights_need_the_note(documents):
    """`weights_rounded` is what the areas table's note hangs on: the note is printed exactly where the weights as
    printed do not add up."""
    from reportgen.commands.common import load_clean
    from reportgen.documents import dossier
    from tests.documents import SAMPLES, settings

    seen = set()
    for prefix, workbook in (("dossier-", "clusters.xlsx"), ("dossier-small-", "small.xlsx")):
        for d in dossier.plan(load_clean(SAMPLES / workbook, settings()).dataset, settings()).dossiers:
            if (doc := documents.get(prefix + d.cluster.id)) is not None:
                unnoted = doc.html.replace(ROUNDING_NOTE, "")
                assert d.weights_rounded == bool(rounding_differences(unnoted)), prefix + d.cluster.id
                assert d.weights_rounded == (ROUNDING_NOTE in doc.html), prefix + d.cluster.id
                seen.add(d.weights_rounded)
    assert seen == {True, False}  # both cases among the rendered dossiers
