"""Booklet imposition bound on the right: page order on paper, as folded and read, and sheet sizes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream, DictionaryObject, NameObject, StreamObject

from reportgen.commands import handout as handout_command
from reportgen.output import imposition
from reportgen.render.pdf import PdfJob, render_pdf
from reportgen.settings import Settings
from tests.helpers_handout import write_handout_workbook

A4_LANDSCAPE = (297 * 72 / 25.4, 210 * 72 / 25.4)  # points


def reading_order(sides: list[imposition.Side]) -> list[int | None]:
    """Return the pages in the order a reader meets them once the sheets are folded and stapled.

    Modelled on paper, not on the formula: sheet 0 is the outermost; sides alternate outside, inside,
    each as (left half, right half) seen from that face. Bound on the right, the cover is the outside's
    left half; opening it shows the inside's right half on the right and the next sheet's outside left
    half on the left, down to the centre spread, then back out through the right halves.
    """
    outside, inside = sides[0::2], sides[1::2]
    order = []
    for s in range(len(outside)):
        order += [outside[s][0], inside[s][1]]
    for s in reversed(range(len(outside))):
        order += [inside[s][0], outside[s][1]]
    return order


@pytest.mark.parametrize("pages", range(1, 41))
def test_folded_booklet_reads_in_order(pages):
    sides = imposition.booklet_sides(pages)
    assert len(sides) % 2 == 0 and len(sides) * 2 % 4 == 0
    assert reading_order(sides) == imposition.padded(pages)


@pytest.mark.parametrize("pages, blanks", [(1, 3), (4, 0), (5, 3), (6, 2), (7, 1), (8, 0), (153, 3)])
def test_padding_goes_before_the_back_cover(pages, blanks):
    seq = imposition.padded(pages)
    assert len(seq) % 4 == 0 and seq.count(None) == blanks
    assert [p for p in seq if p is not None] == list(range(pages))
    if pages > 1:
        assert seq[-1] == pages - 1  # the closing page stays the back cover


def test_eight_pages_bound_on_the_right():
    # Outside of sheet 1: cover (1) on the left, back cover (8) on the right; its inside: 7 | 2 ...
    assert imposition.booklet_sides(8) == [(0, 7), (6, 1), (2, 5), (4, 3)]


def _half_texts(pdf: bytes) -> list[tuple[str, str]]:
    """Return (left half text, right half text) of each imposed side, read from the placed forms."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for page in reader.pages:
        width = float(page.mediabox.width)
        halves = {"L": "", "R": ""}
        forms = page["/Resources"]["/XObject"]
        x = 0.0
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"cm":
                x = float(operands[4])
            elif operator == b"Do":  # the placed page alone, on a page of its own, says its text
                alone = PageObject.create_blank_page(reader, width, float(page.mediabox.height))
                alone[NameObject("/Resources")] = DictionaryObject(
                    {NameObject("/XObject"): DictionaryObject({operands[0]: forms.raw_get(operands[0])})}
                )
                stream = StreamObject()
                stream.set_data(f"{operands[0]} Do".encode())
                alone.replace_contents(stream)
                halves["R" if x >= width / 2 - 1 else "L"] += alone.extract_text().strip()
        out.append((halves["L"], halves["R"]))
    return out


@pytest.fixture(scope="module")
def stamped():
    """Return a 6-page A5 PDF, each page saying its number (P1…P6)."""
    html = (
        '<html lang="en"><head><title>stamped</title><style>@page { size: A5; margin: 20mm }</style></head><body>'
        + "".join(f"<p style=\"break-before: page; font: 30pt 'RG Latin'\">P{i}</p>" for i in range(1, 7))
        + "</body></html>"
    )
    return render_pdf(PdfJob(html=html, base_dir=Path(".").resolve()))


def test_imposed_pages_land_in_the_right_halves(stamped):
    booklet = imposition.booklet(stamped)
    reader = PdfReader(io.BytesIO(booklet))
    assert len(reader.pages) == 4  # 6 pages + 2 blanks = 8 = 2 sheets, both sides
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_LANDSCAPE, abs=0.01)
    # sheet 1 outside: cover | back cover; inside: blank (page 7) | 2; sheet 2 outside: 3 | blank (6);
    # inside: 5 | 4 — read folded: 1 2 3 4 5 [6] [7] 8, with P6 the last page, kept as back cover.
    assert _half_texts(booklet) == [("P1", "P6"), ("", "P2"), ("P3", ""), ("P5", "P4")]


def test_handout_booklet_is_a5_on_a4_landscape(tmp_path):
    workbook = write_handout_workbook(tmp_path / "conf.xlsx")
    out = tmp_path / "booklet.pdf"
    outcome = handout_command.run(workbook, out, Settings(), booklet=True, all_clusters=True)
    assert [w for w in outcome.warnings if "runs over one page" in w.message] == []
    sheets = PdfReader(str(out)).pages
    single = handout_command.html(workbook, Settings(), "A5", all_clusters=True)[2]
    # cover, 2 programme days, index, 3 fact sheets, closing page, back cover = 9 A5 pages (3 blanks before the
    # back cover) = 3 sheets = 6 sides
    assert len(single.sheets) == 3 and len(sheets) == 6
    for page in sheets:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_LANDSCAPE, abs=1)
