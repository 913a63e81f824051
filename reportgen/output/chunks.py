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

from dataclasses import dataclass, replace

from reportgen.output import imposition
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


class _PagesDiffer(Exception):
    """A part laid out to more or fewer pages than it was given."""


def render(job: PartedJob) -> bytes | None:
    """Return the document's PDF; None when a part did not lay out to the pages it was given.

    (None: a fact sheet ran over its page; the caller lays the document out whole, which reports it.)
    """
    anchors = [anchor for part in job.parts for anchor in part.anchors]
    back = pdf.pages_of(job.back)

    def targets(front: int) -> dict[str, int]:
        return {anchor: front + number for number, anchor in enumerate(anchors, start=1)}

    # the front's page count, its index printing the numbers that count gives: the numbers' widths could move it,
    # so it is laid out again until the count it was given is the one it lays out to
    front = pdf.pages_of(replace(job.front, targets=targets(0)))
    for _ in range(FRONT_TRIES):
        total = front + len(anchors) + back
        head = pdf.render_piece(replace(job.front, targets=targets(front)), pdf.Numbering(1, total))
        if head.pages == front:
            break
        front = head.pages
    else:
        return None
    bookmarks = list(head.bookmarks)

    def pieces():
        yield head.pdf
        first, strings = front + 1, head.end
        for part_job, pages in [*((part.job, len(part.anchors)) for part in job.parts), (job.back, back)]:
            piece = pdf.render_piece(part_job, pdf.Numbering(first, total, strings))
            if piece.pages != pages:
                raise _PagesDiffer
            bookmarks.extend(piece.bookmarks)
            first, strings = first + pages, piece.end
            yield piece.pdf

    try:
        return imposition.join_documents(pieces(), lambda: pdf.bookmark_tree(bookmarks))
    except _PagesDiffer:
        return None
