"""The dossier after the independent review (issue 10, eighth round): the certificate's table stands clear of the
paragraph above it, at the paragraph's width; the file's numeric columns are set flush right in figures of one
width."""

from __future__ import annotations

import pymupdf
import pytest

from tests.documents import SAMPLES

MM = 72 / 25.4
# the head cells' fills of the certificate's tables: the sites (--c-tint) and the conditions (--c-minor-bg)
GOLD = (0xC8 / 255, 0xA2 / 255, 0x4A / 255)  # --c-gold, the dates block's rules
HEAD_FILLS = ((0xEE / 255, 0xF4 / 255, 0xF5 / 255), (0xF6 / 255, 0xEE / 255, 0xDB / 255))
INK = 110  # a pixel darker than this in every channel is text (the specimen and draft marks are pale)
ZOOM = 3


@pytest.fixture(scope="module")
def certificates(planned) -> dict[str, pymupdf.Page]:
    """Return {cluster id: the certificate page} of every certified sample dossier."""
    from reportgen.commands import issuing

    pages = {}
    for cid, d in planned.items():
        if d.certified:
            pages[cid] = pymupdf.open(stream=issuing.render(d, SAMPLES).pdf or b"")[0]
    return pages


def _first_table_head(page: pymupdf.Page) -> pymupdf.Rect | None:
    """Return the head row of the certificate's first table (two or more head cells side by side), if it has one."""
    cells = [
        d["rect"]
        for d in page.get_drawings()
        if d.get("fill") is not None
        and d["rect"].width > 20 * MM
        and any(max(abs(a - b) for a, b in zip(d["fill"], fill, strict=True)) < 0.01 for fill in HEAD_FILLS)
    ]
    rows: dict[float, list[pymupdf.Rect]] = {}
    for r in cells:
        rows.setdefault(round(r.y0, 1), []).append(r)
    heads = [cells for cells in rows.values() if len(cells) >= 2]
    if not heads:
        return None
    cells = min(heads, key=lambda cells: cells[0].y0)
    return pymupdf.Rect(min(r.x0 for r in cells), cells[0].y0, max(r.x1 for r in cells), max(r.y1 for r in cells))


def _ink_above(page: pymupdf.Page, head: pymupdf.Rect) -> float:
    """Return the foot, in points, of the lowest text drawn above `head` across its width."""
    pix = page.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), clip=pymupdf.Rect(head.x0, 0, head.x1, head.y0 - 0.2))
    for y in range(pix.height - 1, -1, -1):
        for x in range(pix.width):
            if all(channel < INK for channel in pix.pixel(x, y)[:3]):
                return (y + 1) / ZOOM
    raise AssertionError("no text above the table")


def test_the_certificates_table_stands_clear_of_the_paragraph_above_it(certificates):
    """EG-DK-001: the statement's last line almost touched the sites table's shaded head (about 0.4 mm): at least
    3 mm of white now lies between them on every sample certificate, and the table is as wide as the dates block
    under it (and the statement: the three span the frame)."""
    measured = 0
    for cid, page in certificates.items():
        head = _first_table_head(page)
        if head is None:
            continue
        measured += 1
        gap = (head.y0 - _ink_above(page, head)) / MM
        assert gap >= 3.0, f"{cid}: {gap:.1f} mm between the paragraph and the table"
        rules = [
            d["rect"]
            for d in page.get_drawings()
            if d.get("color") is not None
            and d["rect"].y0 > head.y1
            and max(abs(a - b) for a, b in zip(d["color"], GOLD, strict=True)) < 0.01
        ]
        top = min(r.y0 for r in rules)
        dates = [r for r in rules if abs(r.y0 - top) < 0.5]
        left, right = min(r.x0 for r in dates), max(r.x1 for r in dates)
        assert abs(head.x0 - left) < 1 and abs(head.x1 - right) < 1, f"{cid}: the table is not as wide as the dates"
    assert measured >= 3


def test_the_files_numeric_columns_end_their_figures_at_one_edge(pdfs):
    """EG-KB-001's domain table set its figures flush left, so ٪٣٠ and ٪١٠٠ did not line up: as in the brief, the
    numeric columns (the domain table, the criteria's weights and scores) are set flush right in Amiri's figures of
    one width, so every number of a column ends at one x."""
    from tests.test_brief_figures import MARKS, characters, columns, last_digit_edge, numbers, text

    digits, decimal, grouping, percent = MARKS["arabic"]
    checked = 0
    for cid in ("EG-KB-001", "EG-DK-001"):
        with pymupdf.open(stream=pdfs[cid]) as doc:
            for page in doc:
                chars = characters(page)
                for column in columns(page, chars, numbers(chars, digits, {decimal, grouping, percent})):
                    edges = [last_digit_edge(n, digits) for n in column]
                    where = f"{cid} page {page.number + 1}: " + " / ".join(text(n) for n in column)
                    assert max(edges) - min(edges) <= 0.5, f"last digits not aligned, {where}"
                    checked += 1
    # each dossier's domain table (criteria, weight, score) and its criteria table (weight, score)
    assert checked >= 10, checked
