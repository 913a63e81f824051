"""Long documents laid out in parts, so that memory is bounded by a part and not by the document's length.

WeasyPrint keeps every page's layout (boxes, styles, text layouts) until it writes the PDF: about 1.3 MiB per
fact sheet page. A parted document is laid out first as an outline, the whole document with each part's pages
stubbed (for the handout: every fact sheet's head and name on a page of its own), which gives the page count,
every page number, the bookmarks, the links, the index's page numbers and the running heads; then each part
alone, numbered as in the whole (render.pdf.Numbering), its pages drawn in place of its stubs
(output.imposition.replace_pages). Each part embeds its own font subsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.output import imposition
from reportgen.render import pdf


@dataclass
class Part:
    """A run of pages laid out alone: its job, the HTML id on its first page, the outline's pages it stands for."""

    anchor: str
    job: pdf.PdfJob
    pages: int


@dataclass
class PartedJob:
    """A document as its outline and its parts, in page order."""

    outline: pdf.PdfJob
    parts: list[Part] = field(default_factory=list)


class _PagesDiffer(Exception):
    """A part laid out to more or fewer pages than its stubs in the outline."""


def render(job: PartedJob) -> bytes | None:
    """Return the document's PDF; None when a part did not lay out to the pages the outline gave it.

    (None: a fact sheet ran over its page; the caller lays the document out whole, which reports it.)
    """
    outline, entries = pdf.render_outline(job.outline)
    anchors = imposition.anchor_pages(outline)
    total = len(entries)

    def parts():
        for part in job.parts:
            first = anchors[part.anchor]
            numbering = pdf.Numbering(first + 1, total, tuple(sorted(entries[first].items())))
            data, pages = pdf.render_part(part.job, numbering)
            if pages != part.pages:
                raise _PagesDiffer
            yield first, data

    try:
        return imposition.replace_pages(outline, parts())
    except _PagesDiffer:
        return None
