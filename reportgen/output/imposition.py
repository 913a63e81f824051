"""Finished PDFs with pypdf: saddle-stitch booklets bound on the right, crop marks, parts joined, page checks."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence

from reportgen.documents.common import PT_PER_MM

Side = tuple[int | None, int | None]  # (left half, right half): a source page index, or None for blank


def padded(pages: int) -> list[int | None]:
    """Return the booklet's page sequence: the pages, blanks before the last (the back cover) to a multiple of 4."""
    if pages < 1:
        raise ValueError("a booklet needs at least one page")
    blanks = -pages % 4
    if pages == 1:
        return [0, *([None] * blanks)]
    return [*range(pages - 1), *([None] * blanks), pages - 1]


def booklet_sides(pages: int) -> list[Side]:
    """Return each printed side in print order (sheet 1 outside, sheet 1 inside, sheet 2 outside, …).

    Bound on the right, as an Arabic booklet is: the outside of the outermost sheet carries the
    front cover (page 1) on its left half and the back cover on its right, so that once folded the
    spine is on the right of the cover; the inside carries page 2 on the right and page n−1 on the
    left. Each nested sheet repeats this two pages further in, and the innermost inside is the centre
    spread (pages n/2 on the right, n/2+1 on the left).
    """
    seq = padded(pages)
    n = len(seq)
    sides: list[Side] = []
    for s in range(n // 4):
        sides.append((seq[2 * s], seq[n - 1 - 2 * s]))  # outside: left, right
        sides.append((seq[n - 2 - 2 * s], seq[2 * s + 1]))  # inside: left, right
    return sides


def impose(pdf: bytes, sides: Sequence[Side]) -> bytes:
    """Return a PDF of sheets, each side two source pages wide, the pages placed as sides says."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, StreamObject

    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    width, height = float(box.width), float(box.height)
    sheet_width = _sheet_width(width, height)
    gutter = (sheet_width - 2 * width) / 2  # the pages meet at the sheet's centre, where it is folded
    writer = PdfWriter()
    for left, right in sides:
        sheet = writer.add_blank_page(sheet_width, height)
        names, ops = DictionaryObject(), []
        for index, x in ((left, gutter), (right, gutter + width)):
            if index is None:
                continue
            page = reader.pages[index]
            name = NameObject(f"/P{index}")
            names[name] = _indirect(_form(page, writer), writer)
            ops.append(
                f"q 1 0 0 1 {x - float(page.mediabox.left):.4f} {-float(page.mediabox.bottom):.4f} cm {name} Do Q"
            )
        content = StreamObject()
        content.set_data("\n".join(ops).encode("ascii"))
        sheet.replace_contents(content)  # type: ignore[arg-type]  # pypdf's hint is narrower than what it takes
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): names})
    if reader.metadata:
        writer.add_metadata({k: v for k, v in reader.metadata.items() if isinstance(v, str)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _sheet_width(width: float, height: float) -> float:
    """Return the sheet's width: the next ISO A size up for A pages (A5 → A4: 2 × 148 < 297 mm), else twice the page."""
    if abs(height / width - math.sqrt(2)) < 0.01:  # ISO sizes are whole millimetres: A4 is 297 mm wide
        return max(2 * width, round(height / PT_PER_MM * math.sqrt(2)) * PT_PER_MM)
    return 2 * width


def _form(page, writer):
    """Return the page as a form XObject for writer: its drawing untouched, so nothing is re-parsed."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject, StreamObject

    contents = page.get("/Contents")
    parts = contents.get_object() if contents is not None else []
    parts = parts if isinstance(parts, list) else [parts]
    form = StreamObject()
    form.set_data(b"\n".join(p.get_object().get_data() for p in parts))
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
            NameObject("/Resources"): page["/Resources"].clone(writer),  # shared fonts are cloned once
        }
    )
    if "/Group" in page:
        form[NameObject("/Group")] = page["/Group"].clone(writer)
    return form.flate_encode()


def _indirect(obj, writer):
    """Return a reference to obj added to writer as an object of its own (a form XObject must be one).

    pypdf's public clone() adds an object to the writer when the object has an indirect_reference
    attribute (None: not yet in any file), as pypdf's own tests of cloning do.
    """
    obj.indirect_reference = None
    return obj.clone(writer).indirect_reference


def booklet(pdf: bytes, filler: bytes | None = None) -> bytes:
    """Return the PDF imposed as a saddle-stitched booklet bound on the right (two pages per sheet side).

    filler: a one-page PDF of the same size printed in place of each blank before the back cover (a notes page).
    """
    from pypdf import PdfReader, PdfWriter

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    sides = booklet_sides(pages)
    if filler is None or not any(None in side for side in sides):
        return impose(pdf, sides)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_page(PdfReader(io.BytesIO(filler)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    fill = [(pages if left is None else left, pages if right is None else right) for left, right in sides]
    return impose(out.getvalue(), fill)


def anchor_pages(pdf: bytes) -> dict[str, int]:
    """Return {HTML id: 0-based page index} from the PDF's named destinations."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages = {str(name): reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    return {name: page for name, page in pages.items() if page is not None}


MARK_OFFSET_MM = 1.0  # crop marks begin this far outside the bleed, so no trim can show them
MARK_LENGTH_MM = 5.0
SLUG_MM = MARK_OFFSET_MM + MARK_LENGTH_MM + 2.0  # room beyond the bleed for the marks (and a printer's slug)
MARK_WIDTH_PT = 0.25


def crop_marks(pdf: bytes, bleed_mm: float) -> bytes:
    """Return the bled PDF with room beyond its bleed and crop marks there, at each corner of the trim box.

    WeasyPrint's own marks sit inside the bleed, printed over a background that runs to the edge (the
    cover's colour); a press wants them outside it, on white. Each page's media box grows by SLUG_MM on
    every side and the marks are drawn there; pages, links and outline are otherwise left as they were.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject, StreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    bleed, slug = bleed_mm * PT_PER_MM, SLUG_MM * PT_PER_MM
    for page in writer.pages:
        trim = page.trimbox
        left, bottom, right, top = (float(v) for v in (trim.left, trim.bottom, trim.right, trim.top))
        page.bleedbox = RectangleObject([left - bleed, bottom - bleed, right + bleed, top + bleed])
        page.trimbox = RectangleObject([left, bottom, right, top])
        page.mediabox = RectangleObject(
            [left - bleed - slug, bottom - bleed - slug, right + bleed + slug, top + bleed + slug]
        )
        page.cropbox = page.mediabox
        drawing = page.get_contents()
        content = StreamObject()
        marks = _marks(left, bottom, right, top, bleed)
        # the page's drawing is clipped to the bleed box: what runs further (the cover's band) stays off the slug
        width, height = right - left + 2 * bleed, top - bottom + 2 * bleed
        clip = f"q {left - bleed:.3f} {bottom - bleed:.3f} {width:.3f} {height:.3f} re W n\n"
        content.set_data(clip.encode("ascii") + (drawing.get_data() if drawing is not None else b"") + b"\nQ\n" + marks)
        page.replace_contents(content)  # type: ignore[arg-type]  # pypdf's hint is narrower than what it takes
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _marks(left: float, bottom: float, right: float, top: float, bleed: float) -> bytes:
    """Return the drawing of eight crop marks: two per trim corner, in line with its edges, outside the bleed."""
    near = bleed + MARK_OFFSET_MM * PT_PER_MM
    far = near + MARK_LENGTH_MM * PT_PER_MM
    ops = [f"q 0 0 0 1 K {MARK_WIDTH_PT} w"]  # registration black, hairline
    for x, dx in ((left, -1), (right, 1)):
        for y, dy in ((bottom, -1), (top, 1)):
            ops.append(f"{x + dx * near:.3f} {y:.3f} m {x + dx * far:.3f} {y:.3f} l S")  # along the horizontal edge
            ops.append(f"{x:.3f} {y + dy * near:.3f} m {x:.3f} {y + dy * far:.3f} l S")  # along the vertical edge
    ops.append("Q")
    return "\n".join(ops).encode("ascii")


def page_count(pdf: bytes) -> int:
    """Return the number of pages of a PDF."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def join_documents(parts: Iterable[tuple[bytes, int, int]], outline: Callable[[], list]) -> bytes:
    """Return the kept pages of each PDF one after the other as one document, bookmarks and destinations merged.

    parts: (PDF, first page kept, pages kept), consumed one at a time; the first PDF's pages are kept from its
    first, and its catalog (metadata, viewer preferences, file identifier) is the document's. Every PDF's named
    destinations on kept pages are kept, pointing at the same place on the same page (a link of one PDF may name
    an anchor of another: output/chunks.py). outline, called once every PDF is consumed, returns the bookmark
    tree (render.pdf.bookmark_tree: (label, (page, x, y), children, state), pages counted in the joined
    document), written as WeasyPrint writes one.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, Fit, FloatObject, NameObject, NumberObject
    from pypdf.generic import TextStringObject as Text

    writer = None
    names: list[tuple[str, int, float, float]] = []
    for data, first, kept in parts:
        source = PdfReader(io.BytesIO(data))
        if first + kept > len(source.pages):
            raise ValueError(f"{kept} pages from page {first + 1} of a part of {len(source.pages)}")
        offset = 0 if writer is None else len(writer.pages)
        for name, destination in source.named_destinations.items():
            number = source.get_destination_page_number(destination)
            if number is not None and first <= number < first + kept:
                place = (float(destination.left or 0), float(destination.top or 0))
                names.append((str(name), offset + number - first, *place))
        if writer is None:
            if first:
                raise ValueError("the first part's pages are kept from its first")
            writer = PdfWriter(clone_from=source)
            for number in range(len(writer.pages) - 1, kept - 1, -1):
                writer.remove_page(number)
        else:
            for page in source.pages[first : first + kept]:
                writer.add_page(page)
    if writer is None:
        raise ValueError("no parts")
    catalog = writer.root_object
    dests = ArrayObject()
    for name, number, x, y in sorted(names):  # a name tree is sorted
        target = ArrayObject([writer.pages[number].indirect_reference, NameObject("/XYZ"), FloatObject(x)])
        dests.extend([Text(name), ArrayObject([*target, FloatObject(y), NumberObject(0)])])
    tree = catalog.get("/Names")
    tree = tree.get_object() if tree is not None else DictionaryObject()
    tree[NameObject("/Dests")] = DictionaryObject({NameObject("/Names"): dests})
    catalog[NameObject("/Names")] = tree
    if "/Outlines" in catalog:
        del catalog[NameObject("/Outlines")]

    def add(items, parent) -> None:
        for label, (page, x, y), children, state in items:
            fit, is_open = Fit.xyz(left=x, top=y, zoom=0), state != "closed"
            item = writer.add_outline_item(title=label, page_number=page, parent=parent, fit=fit, is_open=is_open)
            add(children, item)

    add(outline(), None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def join_pages(parts: Iterable[tuple[bytes, int, int]]) -> bytes:
    """Return the first part's PDF cut to its kept pages, followed by the kept pages of the others.

    parts: (PDF, first page kept, pages kept), consumed one at a time. The first part's catalog (bookmarks,
    named destinations, metadata) is the document's: its kept pages must be from its first on, and the pages
    cut must hold nothing the catalog points at.
    """
    from pypdf import PdfReader, PdfWriter

    writer = None
    for data, first, kept in parts:
        source = PdfReader(io.BytesIO(data))
        if first + kept > len(source.pages):
            raise ValueError(f"{kept} pages from page {first + 1} of a part of {len(source.pages)}")
        if writer is None:
            if first:
                raise ValueError("the first part's pages are kept from its first")
            writer = PdfWriter(clone_from=source)
            for number in range(len(writer.pages) - 1, kept - 1, -1):
                writer.remove_page(number)
        else:
            for page in source.pages[first : first + kept]:
                writer.add_page(page)
    if writer is None:
        raise ValueError("no parts")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
