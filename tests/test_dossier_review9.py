"""The dossier after the independent review (issue 10, ninth round): the non-conformities table gives its cause and
treatment column the width its texts need (no last short word alone on a line), the close-by dates on one line."""

from __future__ import annotations

import pymupdf
import pytest

from tests.documents import WORDING_DOSSIERS

BRAND = (0x0F / 255, 0x4C / 255, 0x5C / 255)  # --c-brand: the fill of a table's head cells
HEADS = ("#", "crit", "grade", "treat", "due", "status")  # table.nc's columns, right to left
TOLERANCE = 0.5  # points
PADDING = 1.2 * 72 / 25.4  # table.nc's cells: 1.2mm each side


def _nc_table(pdf: bytes) -> tuple[pymupdf.Page, dict[str, pymupdf.Rect]]:
    """Return the page of the non-conformities table and its head cells by column, read from the drawn fills."""
    for page in pymupdf.open(stream=pdf, filetype="pdf"):
        heading = [w for w in page.get_text("words") if w[4] == "والمعالجة"]
        if not heading:
            continue
        top = heading[0][1]
        cells = [
            d["rect"]
            for d in page.get_drawings()
            if d.get("fill") is not None
            and max(abs(a - b) for a, b in zip(d["fill"], BRAND, strict=True)) < 0.01
            and d["rect"].y0 <= top <= d["rect"].y1
        ]
        assert len(cells) == len(HEADS), [tuple(c) for c in cells]
        return page, dict(zip(HEADS, sorted(cells, key=lambda r: -r.x1), strict=True))
    raise AssertionError("no non-conformities table")


def _column_lines(page: pymupdf.Page, column: pymupdf.Rect) -> list[list[tuple]]:
    """Return the words set in a column of the table body, one list per line (words sharing a baseline)."""
    # The body ends at the next heading (set larger than the table's 8pt), else above the folio.
    spans = [s for b in page.get_text("dict")["blocks"] for line in b.get("lines", []) for s in line["spans"]]
    bottom = min([s["bbox"][1] for s in spans if s["size"] > 12 and s["bbox"][1] > column.y1], default=page.rect.y1)
    bottom = min(bottom, page.rect.y1 - 60)
    lines: dict[int, list[tuple]] = {}
    for w in page.get_text("words"):
        if column.y1 < w[1] < bottom and column.x0 <= (w[0] + w[2]) / 2 <= column.x1:
            lines.setdefault(round(w[3]), []).append(w)
    return [lines[y] for y in sorted(lines)]


@pytest.mark.parametrize("cid", WORDING_DOSSIERS)
def test_the_cause_and_treatment_column_is_the_widest(pdfs, cid):
    _, cells = _nc_table(pdfs[cid])
    width = sum(c.width for c in cells.values())
    assert cells["treat"].width >= 0.335 * width  # 31% when «بعد» was left alone
    assert cells["treat"].width == max(c.width for c in cells.values())


def test_no_word_is_left_alone_on_a_line_of_the_treatment_or_the_finding(pdfs):
    # EG-DK-001's correction «مراجعة الطلبيات المقبولة ولم تنفذ بعد» left «بعد» alone on the column's third line.
    page, cells = _nc_table(pdfs["EG-DK-001"])
    lines = _column_lines(page, cells["treat"])
    text = [" ".join(w[4] for w in sorted(line, key=lambda w: -w[2])) for line in lines]
    assert any("تنفذ" in t and "بعد" in t for t in text), text
    for cid in WORDING_DOSSIERS:  # nor any other word, in the treatment or the criterion and finding beside it
        page, cells = _nc_table(pdfs[cid])
        for column in ("treat", "crit"):
            for line in _column_lines(page, cells[column]):
                assert len(line) > 1 or line[0][4] == "—", (cid, column, line[0][4])


@pytest.mark.parametrize("cid", WORDING_DOSSIERS)
def test_a_close_by_date_stays_on_one_line_inside_its_column(pdfs, cid):
    # EG-LX-001's «٢٧ أغسطس ٢٠٢٦» is the widest month the samples hold.
    page, cells = _nc_table(pdfs[cid])
    due = cells["due"]
    lines = _column_lines(page, due)
    assert lines, cid
    for line in lines:
        assert len(line) == 3 or [w[4] for w in line] == ["—"], [w[4] for w in line]  # day, month, year
        inside = due.x0 + PADDING - TOLERANCE <= min(w[0] for w in line) and max(w[2] for w in line) <= due.x1
        assert inside, ([w[:5] for w in line], tuple(due))
