"""A document ending in a long table, laid out in parts of rows, so that memory is bounded by a part.

WeasyPrint keeps every page's layout until it writes the PDF (about 220 KB per row of the brief's annex). Here
the head (the document up to its table's first rows) and then the table's rows, size at a time, are each laid
out alone, and their pages joined. What keeps each part's pages those of the whole:

- column widths: an automatic table layout sizes its columns from every row's widest content; each part also
  holds the rows with each column's widest min- and max-content cells (measured first, in parts), on pages
  that are dropped, so its columns come out as the whole's (checked: each part's widths equal the whole's);
- page breaks: a part keeps its pages up to the one with its last rows; the next part starts at that page's
  first row, on a new page (the table's header repeated as on any page it continues on); rows for widths only
  follow or precede the kept ones after a forced page break, so no kept row is the table's first or last (the
  break rules for those stay the whole's) and the zebra stripes keep their parity;
- "page X of Y", running heads: a first pass lays every part out (not drawn) for its page count; the second
  draws each numbered as in the whole (render.pdf.Numbering), the running heads as they stand after the head.
The head's PDF keeps the bookmarks, links, destinations and metadata: the table holds none. What follows the
table (the handout index's map attribution) is in the last part. plan() and draw() give the parts to a caller
that joins them with more (output/chunks.py: the handout's front, its index's rows in parts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from reportgen.output import imposition
from reportgen.render import pdf


@dataclass
class RowsJob:
    """A document whose last table, of table_class, is laid out size rows at a time."""

    whole: pdf.PdfJob
    table_class: str
    size: int


@dataclass
class _Pieces:
    """The whole HTML cut around the table's rows."""

    prefix: str  # up to the table's tbody, opened
    rows: list[str]
    suffix: str  # from the tbody's end
    open: str  # the document up to <body> and the table up to its tbody, opened
    close: str  # the tbody's and table's ends and the document's (the last part ends with the suffix)

    def row(self, number: int, label: int | None = None, page_break: bool = False) -> str:
        """Return row number marked with its label (its number unless given), after a page break if asked."""
        mark = f' data-row="{number if label is None else label}"' + (' style="break-before: page"' * page_break)
        return self.rows[number].replace("<tr", "<tr" + mark, 1)


class PagesDiffer(Exception):
    """A part drawn to fewer pages than it was laid out to."""


_TABLE = re.compile(r'<table class="([^"]*)">')


def _cut(html: str, table_class: str) -> _Pieces | None:
    """Return the HTML's pieces around the last table of table_class's single tbody; None when it has no such."""
    tables = [m.start() for m in _TABLE.finditer(html) if table_class in m.group(1).split()]
    table = tables[-1] if tables else -1
    body = html.find("<body>")
    if table < 0 or body < 0:
        return None
    opening = html.find("<tbody", table)  # the tbody may carry attributes (the running head's "(تابع)")
    start = html.find(">", opening) + 1 if opening >= 0 else 0
    end = html.find("</tbody>", start)
    after = html.find("</table>", end) + len("</table>")
    closing = html.rfind("</body>")
    if start <= 0 or end < 0 or html.find("<tbody", start, after) >= 0 or closing < after:
        return None
    rows = [r.strip() + "</tr>" for r in html[start:end].split("</tr>")[:-1]]
    if not rows or any(not r.startswith("<tr>") for r in rows) or html[start:end].split("</tr>")[-1].strip():
        return None
    head = html[: body + len("<body>")]
    return _Pieces(html[:start], rows, html[end:], head + html[table:start], html[end:after] + html[closing:])


def worth_parting(job: RowsJob) -> bool:
    """Return whether job's table has more than two parts' rows (the head's and the last are laid out anyway)."""
    pieces = _cut(job.whole.html, job.table_class)
    return pieces is not None and len(pieces.rows) > 2 * job.size


def render(job: RowsJob, kept: list[range] | None = None) -> bytes | None:
    """Return the document's PDF; None when it is not worth parting or a part would not read as the whole.

    (None: the caller lays the document out whole.) A part's rows must fill more than a page. kept, when
    given, gets each drawn part's pages that the PDF keeps (the layout inspector composes them).
    """
    planned = plan(job)
    if planned is None:
        return None

    def drawn():
        for piece, first_kept, pages in draw(planned, 1, planned.pages):
            if kept is not None:
                kept.append(range(first_kept, first_kept + pages))
            yield piece.pdf, first_kept, pages

    try:
        return imposition.join_pages(drawn())
    except PagesDiffer:
        return None


@dataclass
class Plan:
    """A document's parts of rows, laid out but not drawn: what drawing them needs."""

    job: RowsJob
    whole: pdf.PdfJob  # the job, its date and file identifier fixed (every part carries the whole's)
    html_for: Callable[[int, int], str]  # the HTML of the part holding rows start to end (exclusive)
    parts: list[tuple[int, int, int, int]]  # (first row, end row, first kept page, pages kept)
    strings: tuple[tuple[str, str], ...]  # the named strings as the head ends (where the other parts begin)
    pages: int  # the pages the parts keep, together


def plan(job: RowsJob) -> Plan | None:
    """Return job's parts, laid out but not drawn; None when it is not worth parting or a part would differ."""
    pieces = _cut(job.whole.html, job.table_class)
    if pieces is None or len(pieces.rows) <= 2 * job.size:
        return None
    whole = pdf.stamped(job.whole)
    count = len(pieces.rows)

    def job_for(html: str) -> pdf.PdfJob:
        return replace(whole, html=html)

    # 1. the widest cells of each column, size rows at a time
    best: list[list[tuple[float, int]]] = []
    for first in range(0, count, job.size):
        html = pieces.open + "".join(pieces.row(n) for n in range(first, min(first + job.size, count))) + pieces.close
        found = pdf.survey(job_for(html), job.table_class, widths_only=True)
        for column, (widths, rows) in enumerate(zip(found.columns, found.widest, strict=True)):
            if len(best) <= column:
                best.append([(0.0, -1), (0.0, -1)])
            for which in (0, 1):
                best[column][which] = max(best[column][which], (widths[which], rows[which]))
    columns = [(a[0], b[0]) for a, b in best]
    widest = sorted({row for pair in best for _, row in pair if row >= 0})
    if not widest:
        return None

    def html_for(start: int, end: int) -> str:
        """Return the HTML of the part holding rows start to end (exclusive), with the rows for widths."""
        marks = [pieces.row(n, -1 - n, page_break=i == 0 and start == 0) for i, n in enumerate(widest)]
        rows = [pieces.row(n, page_break=n == start and start > 0) for n in range(start, end)]
        if start == 0:
            return pieces.prefix + "".join(rows + marks) + pieces.suffix
        pad = [pieces.row(widest[0], -1 - widest[0])] * ((len(widest) - start) % 2)  # the stripes' parity
        after = [pieces.row(widest[0], -1 - widest[0], page_break=True)] if end < count else []
        return pieces.open + "".join(marks + pad + rows + after) + (pieces.close if end < count else pieces.suffix)

    # 2. every part laid out, not drawn: which of its pages are kept, where the next starts
    parts: list[tuple[int, int, int, int]] = []  # (first row, end row, first kept page, pages kept)
    start = 0
    strings: tuple[tuple[str, str], ...] = ()
    while start < count:
        end = min(start + job.size, count)
        found = pdf.survey(job_for(html_for(start, end)), job.table_class)
        if found.columns != columns:
            return None
        pages = [p for p, row in enumerate(found.rows) if row is not None]
        if not pages or (start > 0 and found.rows[pages[0]] != start):
            return None
        first_kept = 0 if start == 0 else pages[0]
        if end == count:
            parts.append((start, end, first_kept, len(found.rows) - first_kept))
            break
        last = pages[-1]
        following = found.rows[last]
        if following is None or following <= start or pages != list(range(pages[0], last + 1)):
            return None
        parts.append((start, end, first_kept, last - first_kept))
        if start == 0:
            strings = tuple(sorted(found.entries[last].items()))
        start = following
    return Plan(job, whole, html_for, parts, strings, sum(kept for *_, kept in parts))


def draw(planned: Plan, first: int, total: int):
    """Yield each part of planned drawn (a render.pdf.Piece), the first page it keeps and how many.

    first: the number the head's first page prints; total: the whole document's page count. Raises PagesDiffer
    when a part draws to fewer pages than it was laid out to (render() then gives None).
    """
    done = 0
    for start, end, first_kept, kept in planned.parts:
        numbering = pdf.Numbering(first + done - first_kept, total, planned.strings if start else ())
        piece = pdf.render_piece(replace(planned.whole, html=planned.html_for(start, end)), numbering)
        if piece.pages < first_kept + kept:
            raise PagesDiffer
        yield piece, first_kept, kept
        done += kept
