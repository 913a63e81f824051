"""A layout inspector for rendered documents: reads the finished PDF (MuPDF) and WeasyPrint's layout tree.

It reports what a reader with a print professional's eye sees at once: glyphs in the side margins or beyond
the trim box, drawings cut by their own clip (a chart label cut by the SVG viewport), images outside the page
area, a heading as the last line of a page, a near-empty page, a table header stranded without its rows or a
continued table without its header.
"""

from __future__ import annotations

import base64
import contextlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

PX = 0.75  # CSS px → PDF pt
TOLERANCE = 1.5  # pt: anti-aliasing, rounding, italic overhang
SVG_TOLERANCE = 0.2  # user units (pt in the charts): a glyph cut by more than this shows
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
FEW_LINES = 4  # a page (other than a cover) with fewer lines than this is near-empty,
FILLED = 0.35  # ... and so is one whose content reaches less than this share of the page area's height
# (a dossier's last page holding only its surveillance table reached 33 %; the briefs' and handouts' pages
# that end a section reach 39 % and more)


@dataclass(frozen=True)
class Defect:
    """One thing wrong on one page."""

    check: str
    page: int  # 1-based
    detail: str

    def __str__(self) -> str:
        return f"p{self.page} {self.check}: {self.detail}"


@dataclass
class Rendered:
    """A document as rendered by reportgen: its name, HTML, PDF bytes and WeasyPrint's laid-out pages."""

    name: str
    html: str
    pdf: bytes
    pages: list = field(default_factory=list)  # weasyprint.document.Page, in order
    cover_pages: tuple[int, ...] = ()  # 1-based pages exempt from the near-empty check besides is_cover's
    imposed: bool = False  # a booklet's sheets: two pages side by side on each, no layout tree
    figures: dict[str, bytes] = field(default_factory=dict)  # pictures the HTML refers to by URL (PdfJob.figures)

    def write(self, folder: Path) -> Path:
        """Write the PDF into folder and return its path."""
        path = folder / f"{self.name}.pdf"
        path.write_bytes(self.pdf)
        return path


@contextlib.contextmanager
def capturing_layout():
    """Within the block, remember every WeasyPrint Document written to PDF (yields the list)."""
    from weasyprint.document import Document

    documents: list = []
    original = Document.write_pdf

    def write_pdf(self, *args, **kwargs):
        documents.append(self)
        return original(self, *args, **kwargs)

    Document.write_pdf = write_pdf
    try:
        yield documents
    finally:
        Document.write_pdf = original


def render(name: str, html: str, base_dir: Path, **job) -> Rendered:
    """Render html through reportgen's render_pdf and keep the layout tree."""
    from reportgen.render.pdf import PdfJob, render_pdf

    with capturing_layout() as documents:
        pdf = render_pdf(PdfJob(html=html, base_dir=base_dir, **job))
    return Rendered(name, html, pdf, list(documents[-1].pages))


def render_parted(name: str, job, html: str) -> Rendered:
    """Render a document laid out in parts (output.chunks) and keep every page's layout tree, in page order.

    The front (as last drawn), each part and the back, one after the other, as in the PDF. html: the whole
    document's (what the text checks compare the PDF with).
    """
    from reportgen.output import chunks

    with capturing_layout() as documents:  # the passes that only count pages are not written
        pdf = chunks.render(job)
    assert pdf is not None, "a part did not lay out to one page per fact sheet"
    drawn = documents[-len(job.parts) - 2 :]  # the front may have been drawn more than once: its last drawing
    pages = [page for document in drawn for page in document.pages]
    assert len(pages) == len(pymupdf.open(stream=pdf, filetype="pdf")), "every page has its layout tree"
    return Rendered(name, html, pdf, pages, figures=job.front.figures)


def render_rows(name: str, job) -> Rendered:
    """Render a document whose last table is laid out in parts of rows (output.rows), every page's tree kept."""
    from reportgen.output import rows

    kept: list[range] = []
    with capturing_layout() as documents:  # the parts drawn (the passes that only lay out are not written)
        pdf = rows.render(job, kept)
    assert pdf is not None, "the table was not laid out in parts"
    pages = [document.pages[n] for document, numbers in zip(documents, kept, strict=True) for n in numbers]
    assert len(pages) == len(pymupdf.open(stream=pdf, filetype="pdf")), "every page has its layout tree"
    return Rendered(name, job.whole.html, pdf, pages)


def inspect(doc: Rendered) -> list[Defect]:
    """Return every layout defect of the document, page by page."""
    defects: list[Defect] = []
    pdf = pymupdf.open(stream=doc.pdf, filetype="pdf")
    previous: set[int] = set()  # the elements (ids) laid out on the page before
    laid_out = [_elements(layout._page_box) for layout in doc.pages]
    ends: dict[int, dict] = {}  # per page: how it opens and ends (for a heading whose section runs on overleaf)
    for number, page in enumerate(pdf, start=1):
        layout = doc.pages[number - 1] if doc.pages else None
        if doc.imposed:
            defects += _across_the_fold(page, number)
            continue
        defects += _glyphs_outside(page, layout, number)
        defects += _images_outside(page, layout, number)
        defects += _marks_in_the_bleed(page, number)
        if layout is not None:
            ends[number] = {}
            following = laid_out[number] if number < len(laid_out) else set()
            cover = number in doc.cover_pages or is_cover(layout)
            defects += _flow(layout, number, cover, previous, ends[number], following)
            previous = laid_out[number - 1]
    for number, facts in ends.items():
        if facts.get("heading_then_one_line") and not ends.get(number + 1, {}).get("opens_with_heading", True):
            defects.append(Defect("heading-last", number, "the page ends with a heading and one line of its section"))
    if doc.pages:
        defects += _items_split(doc.pages)
    svgs = _svgs(doc.html) + [svg.decode("utf-8") for svg in doc.figures.values()]
    for index, svg in enumerate(svgs, start=1):
        defects += [Defect("svg-clipped", 0, f"image {index}: {problem}") for problem in svg_clipped(svg)]
    return defects


def _items_split(pages) -> list[Defect]:
    """Return a list item broken over two pages with one line alone on either side (a step's answer overleaf)."""
    from weasyprint.formatting_structure import boxes

    lines: list[dict[int, int]] = []  # per page: list item element id → its lines there
    text: dict[int, str] = {}

    def walk(box, counts, item=None):
        box = getattr(box, "_box", box)
        if getattr(box, "element_tag", None) == "li" and isinstance(box, boxes.BlockBox):
            item = id(box.element)
            text.setdefault(item, "".join(getattr(c, "text", "") for c in box.descendants()).strip()[:40])
        if isinstance(box, boxes.LineBox) and item is not None:
            counts[item] = counts.get(item, 0) + 1
            return
        for child in getattr(box, "children", ()):
            walk(child, counts, item)

    for layout in pages:
        counts: dict[int, int] = {}
        walk(layout._page_box, counts)
        lines.append(counts)
    defects = []
    for number in range(1, len(lines)):
        for item in lines[number - 1].keys() & lines[number].keys():
            before, after = lines[number - 1][item], lines[number][item]
            if min(before, after) == 1:
                defects.append(
                    Defect("item-split", number + 1, f"list item «{text[item]}» split {before} + {after} lines")
                )
    return defects


COVER_PAGES = ("cover",)  # the named pages (CSS `page:`) the templates give a cover; the rest must be filled


def is_cover(layout) -> bool:
    """Whether a laid-out page is a cover: its CSS named page says so (the first and last pages are not, as such)."""
    return getattr(layout._page_box.page_type, "name", None) in COVER_PAGES


def _text_block(page, layout) -> pymupdf.Rect:
    """Return the page area (content box) in PDF points, widened to the page's height for running heads."""
    trim = page_box(page, "TrimBox")
    if layout is None:
        return trim
    box = layout._page_box
    x0 = trim.x0 + box.content_box_x() * PX  # the layout is measured from the trim box's corner
    # Running heads and feet sit in the top and bottom margins, over the text block's width.
    return pymupdf.Rect(x0, trim.y0, x0 + box.width * PX, trim.y1)


def _glyphs_outside(page, layout, number: int) -> list[Defect]:
    """Glyphs whose box leaves the text block (plus head and foot bands) or the trim box."""
    block, trim = _text_block(page, layout), page_box(page, "TrimBox")
    defects, seen = [], set()
    for b in page.get_text("rawdict")["blocks"]:
        for line in b.get("lines", []):
            for span in line["spans"]:
                chars = [c for c in span["chars"] if not c["c"].isspace()]
                out = [c for c in chars if not _inside(pymupdf.Rect(c["bbox"]), block)]
                if not out:
                    continue
                beyond = any(not _inside(pymupdf.Rect(c["bbox"]), trim) for c in out)
                text = "".join(c["c"] for c in chars)[:40]
                key = (beyond, text)
                if key not in seen:
                    seen.add(key)
                    where = "beyond the trim box" if beyond else "outside the text block"
                    x0 = min(c["bbox"][0] for c in out)
                    x1 = max(c["bbox"][2] for c in out)
                    defects.append(
                        Defect(
                            "glyph-outside",
                            number,
                            f"{where}: {text!r} at x {x0:.0f}–{x1:.0f} pt, block {block.x0:.0f}–{block.x1:.0f} pt",
                        )
                    )
    return defects


def page_box(page, key: str) -> pymupdf.Rect:
    """Return one of the page's boxes (TrimBox, BleedBox…) in the coordinates of its text: from the crop box's
    top-left corner, y down. (MuPDF's own box accessors mix conventions when the media box does not start at 0.)
    The trim box defaults to the crop box, the bleed box to the trim box, the crop box to the media box.
    """
    raw = {}
    for name in ("MediaBox", "CropBox", "BleedBox", "TrimBox"):
        kind, value = page.parent.xref_get_key(page.xref, name)
        if kind == "array":
            raw[name] = [float(v) for v in value.strip("[]").split()]
    raw.setdefault("CropBox", raw["MediaBox"])
    raw.setdefault("TrimBox", raw["CropBox"])
    raw.setdefault("BleedBox", raw["TrimBox"])
    ox, _, _, oy = raw["CropBox"]
    x0, y0, x1, y1 = raw[key]
    return pymupdf.Rect(x0 - ox, oy - y1, x1 - ox, oy - y0)


def _marks_in_the_bleed(page, number: int) -> list[Defect]:
    """Crop marks (strokes wholly outside the trim box) that reach into the bleed, where the press trims."""
    trim, bleed = page_box(page, "TrimBox"), page_box(page, "BleedBox")
    if bleed == trim:
        return []
    defects = []
    for drawing in page.get_drawings():
        rect = drawing["rect"]  # a hairline mark: a rectangle of no width or no height
        outside_trim = rect.x1 <= trim.x0 or rect.x0 >= trim.x1 or rect.y1 <= trim.y0 or rect.y0 >= trim.y1
        along_x = min(rect.x1, bleed.x1) - max(rect.x0, bleed.x0)
        along_y = min(rect.y1, bleed.y1) - max(rect.y0, bleed.y0)
        if "s" in drawing["type"] and outside_trim and min(along_x, along_y) >= 0 and max(along_x, along_y) > TOLERANCE:
            defects.append(Defect("marks-in-bleed", number, f"a mark at {_fmt(rect)} inside the bleed {_fmt(bleed)}"))
    return defects


def _across_the_fold(sheet, number: int) -> list[Defect]:
    """On a booklet's sheet: glyphs across the fold or off both pages (the sheet holds two trim boxes side by side)."""
    width = sheet.rect.width
    pages = [pymupdf.Rect(0, 0, width / 2, sheet.rect.height), pymupdf.Rect(width / 2, 0, width, sheet.rect.height)]
    defects = []
    for b in sheet.get_text("rawdict")["blocks"]:
        for line in b.get("lines", []):
            for span in line["spans"]:
                for c in span["chars"]:
                    box = pymupdf.Rect(c["bbox"])
                    if not c["c"].isspace() and not any(_inside(box, half) for half in pages):
                        text = "".join(ch["c"] for ch in span["chars"])[:40]
                        defects.append(Defect("across-the-fold", number, f"{text!r} at {_fmt(box)}"))
                        break
    return defects


def _fmt(rect: pymupdf.Rect) -> str:
    return f"({rect.x0:.0f}, {rect.y0:.0f})–({rect.x1:.0f}, {rect.y1:.0f}) pt"


def _inside(rect: pymupdf.Rect, area: pymupdf.Rect, tolerance: float = TOLERANCE) -> bool:
    return (
        rect.x0 >= area.x0 - tolerance
        and rect.x1 <= area.x1 + tolerance
        and rect.y0 >= area.y0 - tolerance
        and rect.y1 <= area.y1 + tolerance
    )


def _images_outside(page, layout, number: int) -> list[Defect]:
    """Raster images reaching beyond the text block or the trim box."""
    block = _text_block(page, layout)
    return [
        Defect("image-outside", number, f"an image at {_fmt(pymupdf.Rect(info['bbox']))} leaves {_fmt(block)}")
        for info in page.get_image_info()
        if not _inside(pymupdf.Rect(info["bbox"]), block)
    ]


def _elements(box) -> set[int]:
    """Return the ids of the elements with a box on the page (its descendants, placeholders opened)."""
    box = getattr(box, "_box", box)
    found = {id(box.element)} if getattr(box, "element", None) is not None else set()
    for child in getattr(box, "children", ()):
        found |= _elements(child)
    return found


def _flow(layout, number: int, cover: bool, previous=None, facts=None, following=None) -> list[Defect]:
    """Headings last on the page, near-empty pages, table headers apart from their rows."""
    from weasyprint.formatting_structure import boxes

    page_box = layout._page_box
    area = [c for c in page_box.children if not isinstance(c, boxes.MarginBox)]
    lines: list[tuple[float, list[str]]] = []  # (bottom, ancestor tags) of every line box
    tops: list[tuple[float, float, bool, object]] = []  # (top, bottom, in a heading, block element): no watermark
    tables: list = []
    images: list = []  # (rect, figure element) of every replaced box (img)
    texts: list = []  # (rect, text, figure element) of every text box and table cell

    def walk(box, tags, figure=None):
        box = getattr(box, "_box", box)  # an absolutely positioned box sits in a placeholder
        tag = getattr(box, "element_tag", None)
        tags = tags + [tag] if tag else tags
        figure = box.element if tag == "figure" else figure
        if isinstance(box, boxes.ReplacedBox) and "specimen" not in (box.element.get("class") or "").split():
            images.append((_rect(box), figure))  # a specimen's mark (a picture) lies over the page on purpose
        if isinstance(box, boxes.TextBox) and box.text.strip():
            texts.append((_rect(box), box.text, figure))
        if isinstance(box, boxes.TableCellBox):  # a cell's rules and fill show under an image too
            texts.append((_rect(box), "a table cell", figure))
        if isinstance(box, boxes.LineBox):
            if any(getattr(c, "text", "x").strip() or not isinstance(c, boxes.TextBox) for c in box.descendants()):
                text = "".join(getattr(c, "text", "") for c in box.descendants()).strip()
                if not text.startswith(WATERMARKS):  # a mark across the page fills nothing (it once hid a 1/3 page)
                    lines.append((box.position_y + box.height, tags))
                    in_heading = bool(HEADINGS & set(tags))
                    tops.append((box.position_y, box.position_y + box.height, in_heading, box.element))
        if isinstance(box, boxes.TableBox):
            tables.append(box)
        if isinstance(box, boxes.ParentBox):
            for child in box.children:
                walk(child, tags, figure)

    for child in area:
        walk(child, [])
    defects = []
    if lines:
        bottom, tags = max(lines, key=lambda line: line[0])
        if HEADINGS & set(tags):
            defects.append(Defect("heading-last", number, f"the page ends with a heading ({'/'.join(tags[-3:])})"))
    if not cover:
        top = page_box.content_box_y()
        reached = max((b for b, _ in lines), default=top) - top
        filled = reached / page_box.height if page_box.height else 1
        rows = len({round(b / 4) for b, _ in lines})  # lines side by side (table cells) count once
        if rows < FEW_LINES or filled < FILLED:
            defects.append(Defect("near-empty-page", number, f"{rows} lines filling {filled:.0%} of the page area"))
    if facts is not None and tops:
        facts["opens_with_heading"] = min(tops, key=lambda line: line[0])[2]
        last = max((bottom for _, bottom, in_heading, _ in tops if in_heading), default=None)
        after = {round(b / 4) for t, b, in_heading, _ in tops if last is not None and t >= last - 1 and not in_heading}
        pictures = last is not None and any(rect.y1 > last for rect, _ in images)
        facts["heading_then_one_line"] = last is not None and len(after) == 1 and not pictures
    if not cover and number > 1:
        root = next((getattr(c, "element", None) for c in area if getattr(c, "element", None) is not None), None)
        defects += _stranded_ending(tops, [rect for rect, _ in images], number, previous or set(), root)
    for table in tables:
        defects += _table_rows(table, number, previous or set(), following or set())
    for image, figure in images:
        for rect, text, own in texts:
            if text.strip().startswith(WATERMARKS):  # drawn over the page on purpose, under or over anything
                continue
            overlap = image & rect
            if rect.contains(image):  # the image's own table cell (or a block holding it)
                continue
            covers = not overlap.is_empty and overlap.width > 2 and overlap.height > 2
            if covers and (own is None or own is not figure):  # a figure's own caption may sit on its image
                defects.append(Defect("overlap", number, f"an image at {_fmt(image * PX)} covers {text[:30]!r}"))
                break
    return defects


STRANDED_LINES = 2  # a page opening with at most this many lines of text before a heading (or its end) ...


def _stranded_ending(tops: list, images: list, number: int, previous: set[int], root) -> list[Defect]:
    """A section's last lines carried alone to the top of a page: its conclusion, apart from what it concludes.

    Precisely: the page (not the first, not a cover) opens with one or two lines of text and no picture, then a
    heading begins or the page ends; and those lines continue a paragraph of the page before (a widow), or
    their paragraph follows, unforced, a sibling laid out on the page before (a closing paragraph pushed over).
    A label above a heading that opens a page by design (a fact sheet's first line) follows no such sibling.
    """
    heading = min((top for top, _, in_heading, _ in tops if in_heading), default=None)
    limit = heading if heading is not None else float("inf")
    first = [(top, bottom, e) for top, bottom, in_heading, e in tops if not in_heading and bottom <= limit + 1]
    rows = {round(bottom / 4) for _, bottom, _ in first}
    if heading is None and len({round(t[1] / 4) for t in tops}) != len(rows):
        return []  # no heading, and lines of something else further down (a running table): not an ending
    if not first or len(rows) > STRANDED_LINES or any(image.y0 < limit for image in images):
        return []
    opening = min(first, key=lambda line: line[0])[2]
    pushed = _previous_sibling(root, opening) if root is not None else None
    if id(opening) in previous:
        how = "the last lines of a paragraph from the page before (a widow)"
    elif pushed is not None and id(pushed) in previous:
        how = "a closing paragraph apart from the section it closes"
    else:
        return []
    where = "before a heading" if heading is not None else "alone on the page"
    return [Defect("stranded-ending", number, f"the page opens with {len(rows)} line(s): {how}, {where}")]


def _previous_sibling(root, element):
    """Return the element just before element under the same parent (None for a first child)."""
    for parent in root.iter():
        children = list(parent)
        if element in children:
            index = children.index(element)
            return children[index - 1] if index else None
    return None


def _rect(box) -> pymupdf.Rect:
    """Return a box's border box in CSS px."""
    x, y = box.border_box_x(), box.border_box_y()
    return pymupdf.Rect(x, y, x + box.border_width(), y + box.border_height())


WATERMARKS = ("نموذج / SPECIMEN", "مسودة — ليست شهادة", "DRAFT — not a certificate")


def _table_rows(table, number: int, previous: set[int], following: set[int]) -> list[Defect]:
    """A table fragment with its header and no body row, body rows without the header it has elsewhere, a
    table's last row carried alone overleaf (a total without the rows it adds up), or its first row alone at a
    page's foot, the table going on overleaf."""
    header = [g for g in table.children if getattr(g, "is_header", False)]
    body_rows = [r for g in table.children if not getattr(g, "is_header", False) for r in g.children if r.children]
    if header and not body_rows:
        return [Defect("table-header", number, "a table header stranded without any of its rows")]
    if len(body_rows) == 1 and getattr(table, "element", None) is not None and id(table.element) in previous:
        return [Defect("table-header", number, "a table's last row carried alone to this page")]
    if len(body_rows) == 1 and getattr(table, "element", None) is not None and id(table.element) in following:
        return [Defect("table-header", number, "a table's first row alone at the page's foot, the rest overleaf")]
    element = getattr(table, "element", None)
    has_head = element is not None and any(child.tag.endswith("thead") for child in element)
    if has_head and not header and body_rows:
        return [Defect("table-header", number, "a continued table without its header")]
    return []


_SVG_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"(matrix|translate|scale)\(([^)]*)\)")
_XLINK = "{http://www.w3.org/1999/xlink}href"


def _svgs(html: str) -> list[str]:
    return [base64.b64decode(m.group(1)).decode() for m in _SVG_URI.finditer(html)]


def svg_clipped(svg: str) -> list[str]:
    """Return the drawn shapes of an SVG that reach outside its viewBox (a label its own viewport cuts).

    Shapes under a clip-path are cut on purpose (a map inside its axes) and are left out.
    """
    x, y, width, height = (float(v) for v in ET.fromstring(svg).get("viewBox", "0 0 0 0").split())
    view = pymupdf.Rect(x, y, x + width, y + height)
    return [
        f"a shape at {_fmt(shape.rect)} leaves the viewBox {_fmt(view)}"
        for shape in svg_shapes(svg)
        if not shape.clipped and not _inside(shape.rect, view, SVG_TOLERANCE)
    ]


@dataclass(frozen=True)
class SvgShape:
    """A path an SVG draws, where it lands: its box in the root's user units, the ids of the elements it is
    drawn under (outermost first, a `use`'s target after the `use`), and whether a clip-path cuts it."""

    rect: pymupdf.Rect
    ids: tuple[str, ...]
    clipped: bool


def svg_shapes(svg: str) -> list[SvgShape]:
    """Return every path the SVG draws (`use` references followed, transforms applied; defs, clip paths,
    metadata and styles are not drawn), in document order."""
    root = ET.fromstring(svg)
    defs = {e.get("id"): e for e in root.iter() if e.get("id")}
    shapes: list[SvgShape] = []

    def walk(element, matrix, ids, clipped):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("defs", "clipPath", "metadata", "style"):
            return
        matrix = _transform(element.get("transform", "")) * matrix
        clipped = clipped or element.get("clip-path") is not None
        ids = (*ids, element.get("id")) if element.get("id") else ids
        if tag == "use":
            target = defs.get((element.get(_XLINK) or element.get("href") or "#")[1:])
            shift = pymupdf.Matrix(1, 0, 0, 1, float(element.get("x", 0)), float(element.get("y", 0)))
            if target is not None:
                walk(target, shift * matrix, ids, clipped)
            return
        if tag == "path":
            points = [p * matrix for p in _points(element.get("d", ""))]
            if points:
                xs, ys = [p.x for p in points], [p.y for p in points]
                shapes.append(SvgShape(pymupdf.Rect(min(xs), min(ys), max(xs), max(ys)), ids, clipped))
        for child in element:
            walk(child, matrix, ids, clipped)

    walk(root, pymupdf.Matrix(1, 0, 0, 1, 0, 0), (), False)
    return shapes


def _transform(text: str) -> pymupdf.Matrix:
    """Return the matrix of an SVG transform attribute (matrix, translate and scale: what matplotlib writes)."""
    matrix = pymupdf.Matrix(1, 0, 0, 1, 0, 0)
    for kind, args in _TRANSFORM.findall(text):
        v = [float(n) for n in _NUMBER.findall(args)]
        if kind == "matrix":
            step = pymupdf.Matrix(*v)
        elif kind == "translate":
            step = pymupdf.Matrix(1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
        else:
            step = pymupdf.Matrix(v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        matrix = step * matrix  # the rightmost transform applies first
    return matrix


def _points(d: str) -> list[pymupdf.Point]:
    """Return the end and control points of a path's absolute commands (M L C Q Z: what matplotlib writes)."""
    numbers = [float(n) for n in _NUMBER.findall(d)]
    return [pymupdf.Point(numbers[i], numbers[i + 1]) for i in range(0, len(numbers) - 1, 2)]
