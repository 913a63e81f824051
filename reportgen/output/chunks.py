"""Long documents laid out in parts, so that memory is bounded by a part and not by the document's length.

WeasyPrint keeps every page's layout (boxes, styles, text layouts) until it writes the PDF: about 1.3 MiB per
fact sheet page. A parted document (the handout) is a front, runs of pages of one page each (the fact sheets)
and a back, each laid out alone and numbered as in the whole (render.pdf.Numbering): the fact sheets' page
numbers are known from the front's page count (sheet i is on page front + i + 1), which the front's index
prints (PdfJob.targets); the running heads each part begins with are those the one before ends with. The join
(output.imposition.join_documents) puts the pages one after the other, merges the parts' named destinations
(the index's links name them) and writes the bookmarks WeasyPrint would give the whole. Each part embeds its
own font subsets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import BinaryIO

from reportgen.output import imposition, rows
from reportgen.render import pdf

FRONT_TRIES = 3  # drawings of the front until it lays out to the page count its index was given


@dataclass
class Part:
    """A run of pages laid out alone, one page for each of its anchors (the HTML ids its pages begin with)."""

    anchors: tuple[str, ...]
    job: pdf.PdfJob


@dataclass
class PartedJob:
    """A document as its front, its parts of one page per anchor and its back, in page order."""

    front: pdf.PdfJob  # links to the parts' anchors and prints their page numbers (target-counter)
    parts: list[Part]
    back: pdf.PdfJob
    front_table: tuple[str, int] | None = None  # (class, rows): the front's long table in parts of rows (rows.py)
    # the back with one page more (a notes page before the back cover), laid out instead of back when the document
    # would otherwise have an odd page count: printed on both sides, its back cover then falls on a verso
    padded_back: pdf.PdfJob | None = None


def render(job: PartedJob, to: BinaryIO | None = None) -> bytes | None:
    """Return the document's PDF; None when a part did not lay out to the pages it was given.

    to: a file to write the PDF to as it is joined (b"" is returned; what was written is void when None is).

    (None: a fact sheet ran over its page; the caller lays the document out whole, which reports it.)
    """
    anchors = [anchor for part in job.parts for anchor in part.anchors]
    back = pdf.pages_of(job.back)

    def total_of(front: int) -> int:  # the document's page count, made even by padded_back when there is one
        pages = front + len(anchors) + back
        return pages + pages % 2 if job.padded_back is not None else pages

    front, drawn = _front(job, anchors, total_of)
    if drawn is None:
        return None
    total = total_of(front)
    back_job = job.padded_back if job.padded_back is not None and total > front + len(anchors) + back else job.back
    back = total - front - len(anchors)
    bookmarks: list = []

    def pieces():
        strings: tuple[tuple[str, str], ...] = ()
        for piece, first, kept in drawn(total):
            bookmarks.extend(piece.bookmarks[first : first + kept])
            strings = piece.end
            yield piece.pdf, first, kept
        number = front + 1
        for part_job, pages in [*((part.job, len(part.anchors)) for part in job.parts), (back_job, back)]:
            piece = pdf.render_piece(part_job, pdf.Numbering(number, total, strings))
            if piece.pages != pages:
                raise rows.PagesDiffer
            bookmarks.extend(piece.bookmarks)
            number, strings = number + pages, piece.end
            yield piece.pdf, 0, pages

    try:
        return imposition.join_documents(pieces(), lambda: pdf.bookmark_tree(bookmarks), to)
    except rows.PagesDiffer:
        return None


def _drawn(head: pdf.Piece, total: int):
    """Yield the front laid out whole, drawn already (numbered with the same total), all its pages kept."""
    yield head, 0, head.pages


def _targets(anchors: list[str], front: int) -> dict[str, int]:
    """Return the page number of each anchor's page, one page each after the front's."""
    return {anchor: front + number for number, anchor in enumerate(anchors, start=1)}


def _front(job: PartedJob, anchors: list[str], total_of: Callable[[int], int]):
    """Return the front's page count and a function total → its pieces drawn (Piece, first kept, pages kept).

    total_of: the front's page count → the document's.

    The front's index prints the page numbers its page count gives: their widths could move that count, so it
    is laid out again until the count it was given is the one it lays out to ((0, None) when it does not hold).
    Its long table (front_table) is laid out in parts of rows when it has more than two parts' rows.
    """
    if job.front_table is not None:
        table, size = job.front_table
        front = 0
        for _ in range(FRONT_TRIES):
            planned = rows.plan(rows.RowsJob(replace(job.front, targets=_targets(anchors, front)), table, size))
            if planned is None:
                break
            if planned.pages == front:
                return front, partial(rows.draw, planned, 1)
            front = planned.pages
        else:
            return 0, None
    front = pdf.pages_of(replace(job.front, targets=_targets(anchors, 0)))
    for _ in range(FRONT_TRIES):
        total = total_of(front)
        head = pdf.render_piece(replace(job.front, targets=_targets(anchors, front)), pdf.Numbering(1, total))
        if head.pages == front:
            return front, partial(_drawn, head)
        front = head.pages
    return 0, None
