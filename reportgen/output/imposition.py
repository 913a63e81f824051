"""Finished PDFs with pypdf: saddle-stitch booklets bound on the right, crop marks, parts joined, page checks."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from typing import BinaryIO

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


SIDES_PER_CACHE = 32  # sheet sides imposed between two clearings of the pypdf reader's parsed objects


def impose(
    pdf: bytes | BinaryIO, sides: Sequence[Side], filler: bytes | None = None, to: BinaryIO | None = None
) -> bytes:
    """Return a PDF of sheets, each side two source pages wide, the pages placed as sides says.

    A page index equal to pdf's page count is filler's first page (a booklet's notes page). The sheets are written
    out one by one (join_documents' _Out) and the reader forgets the objects it parsed every SIDES_PER_CACHE
    sides, so memory is bounded by a few sheets, not by the document (a 1,500-page handout: about 200 MiB).
    pdf may be a file (read as needed); to: a file to write the PDF to (b"" is returned).
    """
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, NumberObject

    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    count = len(reader.pages)
    extra = PdfReader(io.BytesIO(filler)) if filler is not None else None
    box = reader.pages[0].mediabox
    width, height = float(box.width), float(box.height)
    sheet_width = _sheet_width(width, height)
    gutter = (sheet_width - 2 * width) / 2  # the pages meet at the sheet's centre, where it is folded
    out = _Out(to)
    tree = out.reserve()
    copiers = {False: _Copier(out, reader, range(count))}
    if extra is not None:
        copiers[True] = _Copier(out, extra, range(1))
    forms: dict[int, object] = {}
    kids = []
    for number, (left, right) in enumerate(sides):
        names, ops = DictionaryObject(), []
        for index, x in ((left, gutter), (right, gutter + width)):
            if index is None:
                continue
            is_filler = index >= count
            if is_filler and extra is None:
                raise ValueError(f"no page {index + 1} in a document of {count}")
            page = extra.pages[0] if is_filler and extra is not None else reader.pages[index]
            name = NameObject(f"/P{index}")
            if index not in forms:
                forms[index] = out.add(_form(page, copiers[is_filler]))
                copiers[is_filler].finish()
            names[name] = forms[index]
            ops.append(
                f"q 1 0 0 1 {x - float(page.mediabox.left):.4f} {-float(page.mediabox.bottom):.4f} cm {name} Do Q"
            )
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode("ascii"))
        sheet = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Page"),
                NameObject("/Parent"): _ref(tree),
                NameObject("/MediaBox"): ArrayObject(FloatObject(v) for v in (0, 0, sheet_width, height)),
                NameObject("/Contents"): out.add(content),
                NameObject("/Resources"): DictionaryObject({NameObject("/XObject"): names}),
            }
        )
        kids.append(out.add(sheet))
        if number % SIDES_PER_CACHE == SIDES_PER_CACHE - 1:
            reader.resolved_objects.clear()  # parsed again when needed; what was copied is written already
    out.put(
        tree,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(kids),
                NameObject("/Count"): NumberObject(len(kids)),
            }
        ),
    )
    catalog = out.add(DictionaryObject({NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): _ref(tree)}))
    metadata = {k: v for k, v in (reader.metadata or {}).items() if isinstance(v, str)}
    info = out.add(DictionaryObject({NameObject(k): _text(v) for k, v in metadata.items()})) if metadata else None
    return out.close(catalog, info, None)


def _text(value: str):
    """Return a string as a PDF text string."""
    from pypdf.generic import TextStringObject

    return TextStringObject(value)


def _sheet_width(width: float, height: float) -> float:
    """Return the sheet's width: the next ISO A size up for A pages (A5 → A4: 2 × 148 < 297 mm), else twice the page."""
    if abs(height / width - math.sqrt(2)) < 0.01:  # ISO sizes are whole millimetres: A4 is 297 mm wide
        return max(2 * width, round(height / PT_PER_MM * math.sqrt(2)) * PT_PER_MM)
    return 2 * width


def _form(page, copier: _Copier):
    """Return the page as a form XObject, its resources copied by copier: its drawing untouched, nothing re-parsed."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    contents = page.get("/Contents")
    parts = contents.get_object() if contents is not None else []
    parts = parts if isinstance(parts, list) else [parts]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(p.get_object().get_data() for p in parts))
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
            NameObject("/Resources"): copier.copy(page.raw_get("/Resources")),  # shared fonts are copied once
        }
    )
    if "/Group" in page:
        form[NameObject("/Group")] = copier.copy(page.raw_get("/Group"))
    return form.flate_encode()


def booklet(pdf: bytes | BinaryIO, filler: bytes | None = None, to: BinaryIO | None = None) -> bytes:
    """Return the PDF imposed as a saddle-stitched booklet bound on the right (two pages per sheet side).

    filler: a one-page PDF of the same size printed in place of each blank before the back cover (a notes page).
    pdf may be a file; to: a file to write the booklet to (b"" is returned).
    """
    pages = page_count(pdf)
    sides = booklet_sides(pages)
    if filler is None or not any(None in side for side in sides):
        return impose(pdf, sides, to=to)
    fill = [(pages if left is None else left, pages if right is None else right) for left, right in sides]
    return impose(pdf, fill, filler, to)


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


def page_count(pdf: bytes | BinaryIO) -> int:
    """Return the number of pages of a PDF (or a PDF file): its page tree's count, not every page read (pypdf's)."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    if not isinstance(pdf, bytes):
        pdf.seek(0)
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    tree = reader.root_object.get("/Pages")
    count = tree.get("/Count") if isinstance(tree, DictionaryObject) else None
    return count if isinstance(count, int) and count >= 0 else len(reader.pages)


def join_documents(
    parts: Iterable[tuple[bytes, int, int]], outline: Callable[[], list], to: BinaryIO | None = None
) -> bytes:
    """Return the kept pages of each PDF one after the other as one document, bookmarks and destinations merged.

    parts: (PDF, first page kept, pages kept), consumed one at a time; the first PDF's pages are kept from its
    first, and its catalog (language, viewer preferences, metadata), document information and file identifier
    are the document's. Every PDF's named destinations on kept pages are kept, pointing at the same place on the
    same page (a link of one PDF may name an anchor of another: output/chunks.py). outline, called once every PDF
    is consumed, returns the bookmark tree (render.pdf.bookmark_tree: (label, (page, x, y), children, state),
    pages counted in the joined document), written as WeasyPrint writes one.

    Each part's objects are written out as soon as it is read (_Out), so memory is bounded by a part and not by
    the document: a pypdf PdfWriter would hold every page of a 1,500-page handout (about 150 MiB). to: a file
    to write the PDF to (b"" is returned).
    """
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

    out = _Out(to)
    tree = out.reserve()  # the page tree: every page's parent
    pages: list = []  # every page's reference, in order
    names: list[tuple[str, int, float, float]] = []
    head = None  # the first PDF's catalog, information and identifier, written once the rest is known
    for data, first, kept in parts:
        source = PdfReader(io.BytesIO(data))
        if first + kept > len(source.pages) or (head is None and first):
            raise ValueError(f"{kept} pages from page {first + 1} of a part of {len(source.pages)}")
        for name, destination in source.named_destinations.items():
            number = source.get_destination_page_number(destination)
            if number is not None and first <= number < first + kept:
                place = (float(destination.left or 0), float(destination.top or 0))
                names.append((str(name), len(pages) + number - first, *place))
        copier = _Copier(out, source, range(first, first + kept))
        pages.extend(copier.page(number, tree) for number in range(first, first + kept))
        if head is None:
            root = source.root_object
            kept_keys = [k for k in root if k not in ("/Pages", "/Outlines", "/Names", "/Type")]
            catalog = DictionaryObject({NameObject(k): copier.copy(root.raw_get(k)) for k in kept_keys})
            names_tree = root.get("/Names")
            other_names = {k: copier.copy(v) for k, v in (names_tree.get_object() if names_tree else {}).items()}
            info = source.trailer.raw_get("/Info") if "/Info" in source.trailer else None
            head = (catalog, other_names, copier.copy(info) if info is not None else None, source.trailer.get("/ID"))
        copier.finish()
        del source, copier
    if head is None:
        raise ValueError("no parts")
    catalog, other_names, info, identifier = head
    out.put(
        tree,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(pages),
                NameObject("/Count"): NumberObject(len(pages)),
            }
        ),
    )
    dests = ArrayObject()
    for name, number, x, y in sorted(names):  # a name tree is sorted
        where = [FloatObject(x), FloatObject(y), NumberObject(0)]
        dests.extend([TextStringObject(name), ArrayObject([pages[number], NameObject("/XYZ"), *where])])
    catalog[NameObject("/Type")] = NameObject("/Catalog")
    catalog[NameObject("/Pages")] = _ref(tree)
    catalog[NameObject("/Names")] = DictionaryObject(
        {**other_names, NameObject("/Dests"): DictionaryObject({NameObject("/Names"): dests})}
    )
    items = outline()
    if items:
        catalog[NameObject("/Outlines")] = _outlines(out, items, pages)
    return out.close(out.add(catalog), info, identifier)


class _Out:
    """A PDF written object by object: what has been written is bytes, no longer pypdf objects."""

    def __init__(self, to: BinaryIO | None = None) -> None:
        self.file = to if to is not None else io.BytesIO()  # to: an empty file, written from its start
        self.start = self.file.tell()
        self.file.write(b"%PDF-1.7\n%\xb5\xed\xae\xfb\n")
        self.offsets: dict[int, int] = {}
        self.count = 0

    def reserve(self) -> int:
        """Return a new object number, its object written later (put)."""
        self.count += 1
        return self.count

    def put(self, number: int, obj) -> None:
        """Write obj as object number."""
        self.offsets[number] = self.file.tell() - self.start
        self.file.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(self.file)
        self.file.write(b"\nendobj\n")

    def add(self, obj):
        """Write obj as a new object and return a reference to it."""
        number = self.reserve()
        self.put(number, obj)
        return _ref(number)

    def close(self, root, info, identifier) -> bytes:
        """Write the cross-reference table and the trailer; return the PDF (b"" when written to a file given)."""
        from pypdf.generic import DictionaryObject, NameObject, NumberObject

        start = self.file.tell() - self.start
        self.file.write(b"xref\n0 %d\n0000000000 65535 f \n" % (self.count + 1))
        for number in range(1, self.count + 1):
            self.file.write(b"%010d 00000 n \n" % self.offsets[number])
        trailer = DictionaryObject({NameObject("/Size"): NumberObject(self.count + 1), NameObject("/Root"): root})
        if info is not None:
            trailer[NameObject("/Info")] = info
        if identifier is not None:
            trailer[NameObject("/ID")] = identifier
        self.file.write(b"trailer\n")
        trailer.write_to_stream(self.file)
        self.file.write(b"\nstartxref\n%d\n%%%%EOF\n" % start)
        return self.file.getvalue() if isinstance(self.file, io.BytesIO) else b""


def _ref(number: int):
    """Return a reference to object number of the PDF being written."""
    from pypdf.generic import IndirectObject

    return IndirectObject(number, 0, None)


class _Copier:
    """Copies the objects one part's kept pages use into the PDF being written, each once, renumbered."""

    def __init__(self, out: _Out, source, kept: range) -> None:
        self.out, self.source = out, source
        self.numbers: dict[int, int] = {}  # the part's object number → the written one's
        self.pages = {source.pages[n].indirect_reference.idnum: n for n in range(len(source.pages))}
        self.kept = kept
        self.waiting: list = []

    def page(self, number: int, tree: int):
        """Write the part's page number, its parent the page tree numbered tree; return a reference to it."""
        from pypdf.generic import DictionaryObject, NameObject

        page = self.source.pages[number]  # pypdf puts the inherited attributes on it
        written = self.numbers.setdefault(page.indirect_reference.idnum, self.out.reserve())
        copied = self.copy(DictionaryObject({k: v for k, v in page.items() if k != "/Parent"}))
        copied[NameObject("/Parent")] = _ref(tree)
        self.out.put(written, copied)
        self.finish()
        return _ref(written)

    def copy(self, obj):
        """Return obj with its references renumbered, the objects they name written (finish)."""
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NullObject, StreamObject

        if isinstance(obj, IndirectObject):
            if obj.idnum in self.pages and self.pages[obj.idnum] not in self.kept:
                return NullObject()  # a page this part does not keep
            if obj.idnum not in self.numbers:
                self.numbers[obj.idnum] = self.out.reserve()
                self.waiting.append(obj)
            return _ref(self.numbers[obj.idnum])
        if isinstance(obj, StreamObject):
            stream = obj.__class__()
            stream._data = obj._data  # the encoded bytes, as they are (private: tests/test_private_apis.py)
            for key, value in obj.items():
                if key != "/Length":
                    stream[NameObject(key)] = self.copy(value)
            return stream
        if isinstance(obj, DictionaryObject):
            return DictionaryObject({NameObject(k): self.copy(v) for k, v in obj.items()})
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.copy(v) for v in obj)
        return obj

    def finish(self) -> None:
        """Write every object copied references have named."""
        while self.waiting:
            reference = self.waiting.pop()
            self.out.put(self.numbers[reference.idnum], self.copy(reference.get_object()))


def _outlines(out: _Out, items: list, pages: list):
    """Write the bookmark tree as WeasyPrint does (render.pdf.bookmark_tree's items) and return its root."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

    root = out.reserve()

    def write(entries: list, parent: int) -> tuple[list[int], int]:
        numbers = [out.reserve() for _ in entries]
        count = len(entries)
        for i, (label, (page, x, y), children, state) in enumerate(entries):
            kids, kids_count = write(children, numbers[i])
            place = [FloatObject(x), FloatObject(y), NumberObject(0)]
            item = DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(label),
                    NameObject("/Dest"): ArrayObject([pages[page], NameObject("/XYZ"), *place]),
                    NameObject("/Parent"): _ref(parent),
                    NameObject("/Count"): NumberObject(-kids_count if state == "closed" else kids_count),
                }
            )
            count += 0 if state == "closed" else kids_count
            if i:
                item[NameObject("/Prev")] = _ref(numbers[i - 1])
            if i + 1 < len(entries):
                item[NameObject("/Next")] = _ref(numbers[i + 1])
            if kids:
                item[NameObject("/First")], item[NameObject("/Last")] = _ref(kids[0]), _ref(kids[-1])
            out.put(numbers[i], item)
        return numbers, count

    top, count = write(items, root)
    out.put(
        root,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Outlines"),
                NameObject("/First"): _ref(top[0]),
                NameObject("/Last"): _ref(top[-1]),
                NameObject("/Count"): NumberObject(count),
            }
        ),
    )
    return _ref(root)


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
