"""HTML → PDF: the only importer of WeasyPrint; bundled fonts, a locked-down URL fetcher, metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache, wraps
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from reportgen.errors import RenderError
from reportgen.fonts.files import font_face_css
from reportgen.fonts.subset import subset_font
from reportgen.i18n import _
from reportgen.render import actualtext
from reportgen.settings import fonts_dir, now


@dataclass
class Attachment:
    """A file embedded in the PDF (e.g. a dossier's machine-readable record)."""

    name: str
    data: bytes
    description: str = ""
    relationship: str = "Data"


@dataclass
class PdfJob:
    """What to turn into one PDF."""

    html: str
    base_dir: Path  # relative URLs resolve here (the workbook's folder: never readable as a whole)
    allowed_dirs: tuple[Path, ...] = ()  # folders whose files the document may use: the templates'
    allowed_files: tuple[Path, ...] = ()  # single files it may use: the logo
    attachments: list[Attachment] = field(default_factory=list)
    variant: str | None = None  # e.g. "pdf/a-3b"
    identifier: bytes | None = None  # None: a digest of the HTML, attachments and date
    created: dt.datetime | None = None  # metadata and attachment dates; None = now (or SOURCE_DATE_EPOCH)
    figures: dict[str, bytes] = field(default_factory=dict)  # FIGURE_URL + name → an SVG picture, drawn once by URL
    # anchors laid out in another part of a longer document → their page numbers: target-counter(…, page) prints
    # them, and links to them are kept by name (/Dest), for the joined document's named destinations to resolve
    targets: dict[str, int] = field(default_factory=dict)


MM_PER_PX = 25.4 / 96  # a CSS px in mm
FIGURE_URL = "reportgen:figure/"  # a picture a job carries (figures): WeasyPrint parses each URL once per document


@dataclass(frozen=True)
class Numbering:
    """How a part of a longer document numbers its pages: laid out alone, it prints what the whole would."""

    first: int  # the number its first page prints (counter(page))
    total: int  # the whole document's page count (counter(pages))
    strings: tuple[tuple[str, str], ...] = ()  # named strings (string-set) as they stand where the part begins


@dataclass
class _PartState:
    """What the WeasyPrint patches read and record while one document is laid out in this thread."""

    numbering: Numbering | None
    entries: list[dict[str, str]] = field(default_factory=list)  # per page: named strings as the page begins
    context: object = None  # WeasyPrint's LayoutContext, kept by survey() to read the tables' column widths
    widths_only: bool = False  # survey(): the tables' column widths measured, nothing laid out
    targets: dict[str, int] = field(default_factory=dict)  # the job's targets (PdfJob.targets)


_part = threading.local()  # the _PartState of the document this thread lays out


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        """Serve data: URLs, files under the allowed folders and the allowed files; refuse everything else.

        A template is untrusted: it may link, embed or attach (<link rel="attachment">) only what
        reportgen declares (fonts, the templates' folders, the logo), never any file of the workbook's folder.
        """

        def __init__(
            self, allowed: tuple[Path, ...], files: tuple[Path, ...] = (), figures: dict[str, bytes] | None = None
        ) -> None:
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
            self.allowed = tuple(p.resolve() for p in allowed)
            self.files = frozenset(p.resolve() for p in files)
            self.figures = figures or {}
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith(FIGURE_URL) and url in self.figures:
                return URLFetcherResponse(url, self.figures[url], headers={"Content-Type": "image/svg+xml"})
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(unquote(urlparse(url).path))).resolve()
                declared = path in self.files or any(path.is_relative_to(root) for root in self.allowed)
                if declared and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes())
            self.refused.append(url)
            raise ValueError(f"reportgen does not fetch {url[:80]}")

    return LocalOnlyFetcher


@cache
def _font_setup():
    """Return (FontConfiguration, fonts stylesheet), made once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    _subset_with_harfbuzz()
    _skip_dropped_tables_when_subsetting()
    _searchable_text()
    _faster_svg_numbers()
    _svg_paths_read_once()
    _numbered_parts()
    _tables_measured_alone()
    _targets_in_other_parts()
    font_config = FontConfiguration()
    fetcher = _fetcher_class()((fonts_dir(),))
    css = CSS(string=font_face_css(), font_config=font_config, url_fetcher=fetcher)
    _remove_at_exit(font_config)
    return font_config, css


def _remove_at_exit(font_config) -> None:
    """Remove the temporary folder WeasyPrint copies the fonts into when this process exits.

    WeasyPrint removes it when the FontConfiguration is freed; a worker process ends without freeing
    anything (commands.executors), so it is removed by an exit handler too. Private attribute: weasyprint is
    pinned below 71, tests/test_private_apis.py.
    """
    import atexit
    import shutil

    folder = getattr(font_config, "_folder", None)
    if folder is not None:
        atexit.register(shutil.rmtree, folder, ignore_errors=True)


def _subset_with_harfbuzz() -> None:
    """Make WeasyPrint subset every embedded font with uharfbuzz's HarfBuzz, whatever the machine has installed.

    WeasyPrint 70 subsets with the system's libharfbuzz-subset0 when present (Debian's chromium pulls it in)
    and with fontTools otherwise: the PDFs' bytes then depend on the machine, and fontTools takes a third of a
    dossier's time. reportgen chooses instead; fontTools stays the fallback for a font HarfBuzz cannot subset.
    Private like the method below: weasyprint is pinned below 71 and tests/test_private_apis.py checks it.
    """
    from weasyprint.pdf import fonts

    original = fonts.Font.subset
    if getattr(original, "reportgen", False):
        return

    @wraps(original)  # keeps WeasyPrint's method as __wrapped__, for tests/test_private_apis.py
    def subset(self, to_unicode, hinting):
        if not to_unicode:
            return
        font = subset_font(
            self.file_content, self.index, set(to_unicode), hinting=hinting, notdef_outline=bool(self.missing)
        )
        if font is None:
            self._fonttools_subset(to_unicode, hinting)
        else:
            self.file_content = font

    subset.reportgen = True  # type: ignore[attr-defined]
    fonts.Font.subset = subset


# Tables WeasyPrint drops from every embedded font (a PDF needs no shaping rules: text is already shaped).
_DROPPED_TABLES = (b"GSUB", b"GPOS")
_stripped: dict[bytes, bytes] = {}  # a font file → the same without _DROPPED_TABLES, made once per process


def _skip_dropped_tables_when_subsetting() -> None:
    """Hand WeasyPrint's fontTools subsetting each font without the GSUB and GPOS tables it drops anyway.

    Without Debian's libharfbuzz-subset0, WeasyPrint subsets every document's fonts with fontTools,
    which decompiles GSUB and GPOS in full before dropping them: two thirds of the subsetting time
    (Amiri: 200 of 300 ms per face and document). The subset font comes out byte for byte the same.
    With HarfBuzz subsetting present this path is never taken. WeasyPrint has no public hook here: the method
    is private, so weasyprint is pinned below 71 and tests/test_private_apis.py checks what is relied on.
    """
    from weasyprint.pdf import fonts

    original = getattr(fonts.Font, "_fonttools_subset", None)
    if original is None or getattr(original, "reportgen", False):
        return

    @wraps(original)  # keeps WeasyPrint's method as __wrapped__, for tests/test_private_apis.py
    def fonttools_subset(self, to_unicode, hinting):
        if self.index == 0:
            if self.file_content not in _stripped:
                if len(_stripped) > 32:  # only the bundled fonts come here: this never grows in practice
                    _stripped.clear()
                _stripped[self.file_content] = without_tables(self.file_content, _DROPPED_TABLES)
            self.file_content = _stripped[self.file_content]
        return original(self, to_unicode, hinting)

    fonttools_subset.reportgen = True  # type: ignore[attr-defined]  # marks the wrapper as ours
    fonts.Font._fonttools_subset = fonttools_subset


def _searchable_text() -> None:
    """Make WeasyPrint give each right-to-left run's letters as /ActualText (see render.actualtext: why)."""
    from weasyprint.draw import text
    from weasyprint.text.ffi import ffi, pango

    original = text.draw_first_line
    if getattr(original, "reportgen", False):
        return

    def draw_first_line(stream, textbox, *args):
        start = len(stream.stream)
        drawn = original(stream, textbox, *args)
        if len(stream.stream) == start:  # nothing drawn: an empty or invisible line
            return drawn
        utf8 = textbox.pango_layout.text.encode()
        line = pango.pango_layout_get_line_readonly(textbox.pango_layout.layout, 0)
        runs, run = [], line.runs
        while run != ffi.NULL:  # a line's runs, in visual order, as WeasyPrint has just drawn them
            glyph_item = ffi.cast("PangoGlyphItem *", run.data)
            item, glyphs = glyph_item.item, glyph_item.glyphs
            runs.append(
                actualtext.Run(
                    glyphs=sum(glyphs.glyphs[i].glyph != pango.PANGO_GLYPH_EMPTY for i in range(glyphs.num_glyphs)),
                    text=utf8[item.offset : item.offset + item.length].decode(),
                    rtl=bool(item.analysis.level % 2),
                )
            )
            run = run.next
        spanned = actualtext.with_spans(stream.stream[start:], runs)
        if spanned is None:  # glyphs we could not attribute to runs: one span for the whole line
            spanned = [actualtext.span_start(actualtext.visual_text(runs)), *stream.stream[start:], b"EMC"]
        stream.stream[start:] = spanned
        return drawn

    draw_first_line.reportgen = True  # type: ignore[attr-defined]
    text.draw_first_line = draw_first_line


def _faster_svg_numbers() -> None:
    """Read the pictures' SVG numbers as WeasyPrint does, without its overhead on each number.

    WeasyPrint 70's `svg.utils.size` runs an import statement before trying `float()` on every number, and
    `svg.utils.point` takes each coordinate pair apart with a regular expression: 15 % of drawing a dossier's
    two pictures (their path data holds about 4,800 coordinate pairs). The replacements give the same values
    (float() first, WeasyPrint's own function for anything else: units, percentages, line breaks), so the PDFs
    are byte for byte the same. Private functions: weasyprint is pinned below 71, tests/test_private_apis.py.
    """
    from weasyprint import svg
    from weasyprint.svg import bounding_box, defs, path, shapes, utils
    from weasyprint.svg import text as svg_text

    if getattr(utils.size, "reportgen", False):
        return
    original_size, original_point = utils.size, utils.point

    @wraps(original_size)
    def size(string, font_size=None, percentage_reference=None):
        if not string:
            return 0
        try:
            return float(string)
        except (TypeError, ValueError):
            return original_size(string, font_size, percentage_reference)

    @wraps(original_point)
    def point(svg_image, string, font_size):
        parts = string.split(" ", 2)  # "x y rest": what the original's pattern matches when no line break is left
        if len(parts) < 2 or "\n" in string:
            return original_point(svg_image, string, font_size)
        return (*svg_image.point(parts[0], parts[1], font_size), parts[2] if len(parts) > 2 else "")

    size.reportgen = point.reportgen = True  # type: ignore[attr-defined]
    for module in (svg, utils, defs, svg_text):
        module.size = size
    for module in (utils, path, shapes, bounding_box):
        module.point = point


class _PathRecorder:
    """Stands in for a PDF stream while WeasyPrint reads one SVG path: keeps the drawing calls to replay."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple]] = []

    def move_to(self, *args) -> None:
        self.calls.append(("move_to", args))

    def line_to(self, *args) -> None:
        self.calls.append(("line_to", args))

    def curve_to(self, *args) -> None:
        self.calls.append(("curve_to", args))

    def close(self) -> None:
        self.calls.append(("close", ()))


class _PathNode:
    """Stands in for an SVG <path> element while it is read: its path data, and the vertices found."""

    def __init__(self, data: str) -> None:
        self.data = data
        self.vertices: list = []

    def get(self, name: str, default: str = "") -> str:
        return self.data if name == "d" else default


_PATHS_KEPT = 4096  # path data strings read once per process: glyph outlines, map regions (a few MB at most)
_paths: dict[tuple, tuple[list, list]] = {}


def _svg_paths_read_once() -> None:
    """Make WeasyPrint read each SVG path's data once per process, and replay its drawing calls afterwards.

    WeasyPrint parses a path's `d` attribute every time it draws it: each glyph of a chart's labels (drawn
    through <use>, once per letter), every region of every locator map, in every document. Most of them
    repeat (the same letters, the same 27 regions), and reading them was half of drawing a dossier's two
    pictures. The calls a path makes on the stream (move, line, curve, close) and the vertices it notes for
    markers depend only on the path data, the font size and the picture's size, which make the key: the
    replayed calls are the same, and so are the PDFs' bytes. Private (`svg.TAGS`, the stream's path
    methods): weasyprint is pinned below 71, tests/test_private_apis.py.
    """
    from weasyprint import svg

    original = svg.TAGS["path"]
    if getattr(original, "reportgen", False):
        return

    @wraps(original)
    def path(image, node, font_size):
        data = node.get("d", "")
        key = (data, font_size, image.inner_width, image.inner_height)
        recorded = _paths.get(key)
        if recorded is None:
            recorder, stand_in, stream = _PathRecorder(), _PathNode(data), image.stream
            image.stream = recorder
            try:
                original(image, stand_in, font_size)
            except BaseException:  # what was drawn before the error is drawn, the error goes on
                _replay(stream, node, recorder.calls, stand_in.vertices)
                raise
            finally:
                image.stream = stream
            if len(_paths) >= _PATHS_KEPT:
                _paths.clear()
            recorded = _paths[key] = (recorder.calls, stand_in.vertices)
        _replay(image.stream, node, *recorded)

    path.reportgen = True  # type: ignore[attr-defined]
    svg.TAGS["path"] = path


def _replay(stream, node, calls: list[tuple[str, tuple]], vertices: list) -> None:
    """Make a path's recorded drawing calls on stream, and note its vertices on the node."""
    for name, args in calls:
        getattr(stream, name)(*args)
    node.vertices.extend(vertices)


def _numbered_parts() -> None:
    """Let a part of a long document, laid out alone, print the page numbers and running heads of the whole.

    The margin boxes (where counter(page), counter(pages) and string() are printed) are made after the pages
    are laid out: they are given the part's numbering, and each page's named strings are recorded as the page
    begins (survey and render_piece read them). Private API like the patches above (weasyprint pinned below 71,
    tests/test_private_apis.py).
    """
    from weasyprint import layout

    original = layout.make_margin_boxes
    if getattr(original, "reportgen", False):
        return

    @wraps(original)
    def make_margin_boxes(context, page, state):  # a generator, like WeasyPrint's: consumed after it returns
        part = getattr(_part, "state", None)
        if part is None:
            yield from original(context, page, state)
            return
        number = context.current_page
        part.context = context
        part.entries.append(
            {name: values[-1] for name, values in _entry_strings(context, number, part.numbering).items()}
        )
        if part.numbering is None:
            yield from original(context, page, state)
            return
        counters = dict(state[1])
        counters["page"] = [part.numbering.first + number - 1]
        counters["pages"] = [part.numbering.total]
        store = context.string_set
        seeded = [name for name, _ in part.numbering.strings if not any(p <= number for p in store.get(name, ()))]
        for name, value in part.numbering.strings:
            if name in seeded:
                store[name][0] = [value]  # a page before the first: found when nothing since was assigned
        try:
            yield from original(context, page, (state[0], counters, *state[2:]))
        finally:
            for name in seeded:
                del store[name][0]

    make_margin_boxes.reportgen = True  # type: ignore[attr-defined]
    layout.make_margin_boxes = make_margin_boxes
    get_for = layout.LayoutContext.get_string_or_element_for
    if getattr(get_for, "reportgen", False):
        return

    @wraps(get_for)
    def get_string_or_element_for(self, store, page, name, keyword):
        found = get_for(self, store, page, name, keyword)
        if not found and keyword != "all-once" and 0 in store.get(name, {}):  # a part's seeded value
            return (store[name][0][-1],)
        return found

    get_string_or_element_for.reportgen = True  # type: ignore[attr-defined]
    layout.LayoutContext.get_string_or_element_for = get_string_or_element_for


def _tables_measured_alone() -> None:
    """Let survey() measure a document's tables' columns without laying the document out (widths_only).

    Private API like the patches above (tests/test_private_apis.py).
    """
    from weasyprint import document
    from weasyprint.layout.preferred import table_and_columns_preferred_widths

    original = document.layout_document
    if getattr(original, "reportgen", False):
        return

    @wraps(original)
    def layout_document(html, root_box, context, *args, **kwargs):
        part = getattr(_part, "state", None)
        if part is None or not part.widths_only:
            return original(html, root_box, context, *args, **kwargs)
        part.context = context
        for box in root_box.descendants():
            if box.is_table_wrapper:
                table_and_columns_preferred_widths(context, box, outer=False)
        return []

    layout_document.reportgen = True  # type: ignore[attr-defined]
    document.layout_document = layout_document


def _targets_in_other_parts() -> None:
    """Let a part of a longer document print the page numbers of anchors in other parts and keep its links to them.

    The job's targets (PdfJob.targets: anchor → page number) answer target-counter(…, page) for anchors this
    document does not hold, with the number the whole would print; WeasyPrint would print nothing. Its links to
    them, which WeasyPrint drops (resolve_links), are kept: a link names its anchor (/Dest), which the joined
    document's named destinations resolve (output.imposition.join_documents). Private API like the patches above
    (weasyprint pinned below 71, tests/test_private_apis.py).
    """
    from weasyprint import pdf as weasy_pdf
    from weasyprint.css import targets as weasy_targets
    from weasyprint.urls import get_url_tuple

    original = weasy_targets.TargetCollector.lookup_target
    if getattr(original, "reportgen", False):
        return

    @wraps(original)
    def lookup_target(self, anchor_token, source_box, css_token, parse_again):
        part = getattr(_part, "state", None)
        if part is not None and part.targets:
            token = anchor_token
            if token[0] == "attr()":
                name, kind, fallback = token[1]
                value = source_box.element.get(name, fallback)
                if kind == "string":
                    token = ("string", value)
                elif kind == "url":
                    token = ("url", get_url_tuple(value, source_box.style.base_url))
            anchor = weasy_targets.anchor_name_from_token(token)
            if anchor in part.targets and anchor not in self.target_lookup_items:
                item = weasy_targets.TargetLookupItem("up-to-date")
                item.target_box = _Target({"page": [part.targets[anchor]]})
                return item
        return original(self, anchor_token, source_box, css_token, parse_again)

    lookup_target.reportgen = True  # type: ignore[attr-defined]
    weasy_targets.TargetCollector.lookup_target = lookup_target
    resolve = weasy_pdf.resolve_links

    @wraps(resolve)
    def resolve_links(pages):
        part = getattr(_part, "state", None)
        targets = part.targets if part is not None else {}
        if not targets:
            yield from resolve(pages)
            return
        present = {name for page in pages for name in page.anchors}
        outside = {name for name in targets if name not in present}
        for page, (links, anchors) in zip(pages, resolve([_Unlinked(page, outside) for page in pages]), strict=True):
            kept = {id(link) for link in links}
            yield [link for link in page.links if id(link) in kept or _links_to(link, outside)], anchors

    resolve_links.reportgen = True  # type: ignore[attr-defined]
    weasy_pdf.resolve_links = resolve_links


@dataclass
class _Target:
    """Stands in for the box of an anchor laid out in another part: its counters as target-counter reads them."""

    cached_counter_values: dict[str, list[int]]


class _Unlinked:
    """A WeasyPrint page without its links to anchors outside the document (resolve_links would report them)."""

    def __init__(self, page, outside: set[str]) -> None:
        self.anchors = page.anchors
        self.links = [link for link in page.links if not _links_to(link, outside)]


def _links_to(link, anchors: set[str]) -> bool:
    """Return whether a WeasyPrint link (type, target, rectangle, box) is internal and goes to one of anchors."""
    return link[0] == "internal" and link[1] in anchors


def _entry_strings(context, number: int, numbering: Numbering | None) -> dict[str, list[str]]:
    """Return each named string's values assigned before page number (1-based) of this layout."""
    found: dict[str, list[str]] = {name: [value] for name, value in (numbering.strings if numbering else ())}
    for name, pages in context.string_set.items():
        for page in sorted(p for p in pages if 0 < p < number):
            found.setdefault(name, []).extend(pages[page])
    return found


def without_tables(font: bytes, tags: tuple[bytes, ...]) -> bytes:
    """Return a TrueType/OpenType font file without the given tables (the others copied as they are)."""
    import struct

    if len(font) < 12 or font[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return font  # a collection, WOFF or anything else: left to fontTools as it is
    count = struct.unpack_from(">H", font, 4)[0]
    records = [struct.unpack_from(">4sIII", font, 12 + 16 * i) for i in range(count)]
    if any(offset + length > len(font) for _tag, _sum, offset, length in records):
        return font
    kept = [r for r in records if r[0] not in tags]
    if len(kept) == len(records):
        return font
    entry = 1 << (len(kept).bit_length() - 1)  # the sfnt header's binary-search fields
    header = font[:4] + struct.pack(">HHHH", len(kept), entry * 16, entry.bit_length() - 1, (len(kept) - entry) * 16)
    position = 12 + 16 * len(kept)
    directory, tables = [], []
    for tag, checksum, offset, length in kept:
        directory.append(struct.pack(">4sIII", tag, checksum, position, length))
        tables.append(font[offset : offset + length] + b"\0" * (-length % 4))
        position += len(tables[-1])
    return header + b"".join(directory) + b"".join(tables)


def warm_up() -> None:
    """Import WeasyPrint and load the bundled fonts now (a worker process does it once, up front)."""
    _font_setup()


def _finish(document, pdf) -> None:
    """Complete the PDF WeasyPrint made: reading direction, and each associated file listed once."""
    import pydyf

    _right_to_left(document, pdf)
    if "AF" in pdf.catalog:  # WeasyPrint 70 lists every PDF/A-3 attachment twice in /AF
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))


def _right_to_left(document, pdf) -> None:
    """Tell PDF viewers that pages read right to left."""
    import pydyf

    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"Direction": "/R2L", "DisplayDocTitle": "true"})


def stamped(job: PdfJob) -> PdfJob:
    """Return job with its creation date and file identifier fixed: a document made in parts carries the whole's."""
    created = job.created or now()
    stamp = created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return replace(job, created=created, identifier=job.identifier or _identifier(job, stamp))


def _identifier(job: PdfJob, stamp: str) -> bytes:
    """Return the PDF's file identifier: a digest of what it shows and when it was made."""
    digest = hashlib.sha256(job.html.encode("utf-8") + stamp.encode("ascii"))
    for a in job.attachments:
        digest.update(a.name.encode("utf-8") + a.data)
    return digest.hexdigest()[:32].encode("ascii")


# The <style> elements of a document's head, and what would make moving them out of the document unsafe.
_STYLE = re.compile(r"<style(\s[^>]*)?>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
_PLAIN_STYLE_ATTRIBUTES = re.compile(r'^(\s+(class="[\w -]*"|type="text/css"))*\s*$')
# Other stylesheets, a changed base URL, and elements inside which "<style" is text (or foreign), not a stylesheet.
_UNSAFE_IN_HEAD = re.compile(
    r"<!--|<link|<base|<script|<template|<noscript|<textarea|<xmp|<iframe|<noembed|<noframes|<plaintext|<svg|<math"
    r"|@import|@counter-style",
    re.IGNORECASE,
)
_TITLE = re.compile(r"<title(\s[^>]*)?>.*?</title\s*>", re.IGNORECASE | re.DOTALL)
_STYLESHEETS_KEPT = 8  # parsed stylesheets a process keeps (the dossiers share one; the rest are small)
_stylesheets: OrderedDict[tuple, object] = OrderedDict()  # (CSS digest, base URL, fetcher's reach) → weasyprint.CSS
_stylesheets_lock = threading.Lock()  # a Dask worker may run tasks in threads, reportgen serve runs jobs in threads


def split_styles(html: str) -> tuple[str, list[str]] | None:
    """Return (the HTML without its head's <style> elements, their texts in order), or None when not plainly safe.

    Every dossier of a run carries the same 19 KB stylesheet: parsed once per process and handed to WeasyPrint
    as a stylesheet, it is not parsed again per document. Safe only when the head's <style> elements are the
    document's only styles (none in the body, no <link>, no @import or @counter-style, no comment that could
    hide one): then handing them over in their order keeps the cascade as it was (see render_pdf).
    """
    head_end = html.lower().find("</head")
    if head_end < 0:
        return None
    head, rest = html[:head_end], html[head_end:]
    styles = list(_STYLE.finditer(head))
    if not styles or "<style" in rest.lower() or _UNSAFE_IN_HEAD.search(_STYLE.sub("", head)):
        return None
    texts = [m.group(2) for m in styles]
    titles = [t.span() for t in _TITLE.finditer(head)]
    if any(start < m.end() and m.start() < end for m in styles for start, end in titles):
        return None  # a "<style" written inside the title is the title's text
    if any("</style" in t.lower() for t in texts):
        return None  # "</style foo>" ends a style for the HTML parser where the pattern above does not
    if any(not _PLAIN_STYLE_ATTRIBUTES.match(m.group(1) or "") for m in styles):
        return None  # media, nonce or another type: left to WeasyPrint
    if any(_UNSAFE_IN_HEAD.search(t) or "\r" in t or "\0" in t for t in texts):
        return None  # the HTML parser would change these characters; imports and counters belong to one document
    return _STYLE.sub("", head) + rest, texts


def _stylesheet(text: str, base_url: str, fetcher, reach: tuple, font_config):
    """Return text parsed as a weasyprint.CSS, from this process's cache when it was parsed before."""
    from weasyprint import CSS

    key = (hashlib.sha256(text.encode("utf-8")).digest(), base_url, reach)
    with _stylesheets_lock:
        if key in _stylesheets:
            _stylesheets.move_to_end(key)
            return _stylesheets[key]
    sheet = CSS(string=text, base_url=base_url, url_fetcher=fetcher, font_config=font_config)
    with _stylesheets_lock:
        _stylesheets[key] = sheet
        while len(_stylesheets) > _STYLESHEETS_KEPT:
            _stylesheets.popitem(last=False)
    return sheet


def render_pdf(job: PdfJob) -> bytes:
    """Return the PDF bytes for job; RenderError when WeasyPrint fails.

    The head's stylesheets are parsed once per process (split_styles) and given to WeasyPrint as user
    stylesheets, in the document's order: the cascade keeps their order among themselves, they still win over
    WeasyPrint's defaults, style attributes still win over them, and the templates' !important rules still win
    over style attributes (user !important outranks author !important, as author !important did author normal).
    """
    return _render(job, None)[0]


def render_even(job: PdfJob, padded: PdfJob) -> bytes:
    """Return job's PDF when it lays out to an even page count, else padded's (job with one page more): printed on
    both sides, its last page (a back cover) then falls on a verso. Each is laid out once, drawn only if chosen."""
    document, state, fetcher = _layout(job, None)
    if len(document.pages) % 2:
        document, state, fetcher = _layout(padded, None)
        job = padded
    return _write(job, document, state, fetcher)


def render_part(job: PdfJob, numbering: Numbering) -> tuple[bytes, int]:
    """Return the PDF of a part of a longer document, numbered as in the whole, and its page count."""
    pdf, entries = _render(job, numbering, record=True)
    return pdf, len(entries)


Bookmark = tuple[int, str, tuple[float, float], str]  # WeasyPrint's: (level, label, (x, y) in CSS px, state)


@dataclass
class Piece:
    """A part of a longer document laid out alone and drawn: its PDF and what joining it to the others needs."""

    pdf: bytes
    pages: int
    end: tuple[tuple[str, str], ...]  # named strings (string-set) as they stand after its last page
    bookmarks: list[tuple[float, list[Bookmark]]]  # per page: its height (CSS px) and its bookmarks


def render_piece(job: PdfJob, numbering: Numbering) -> Piece:
    """Return a part of a longer document laid out alone, numbered as in the whole (see output/chunks.py)."""
    document, state, fetcher = _layout(job, numbering, record=True)
    bookmarks = [(page.height, list(page.bookmarks)) for page in document.pages]
    end = _entry_strings(state.context, len(document.pages) + 1, numbering) if state.context is not None else {}
    pdf = _write(job, document, state, fetcher)
    return Piece(pdf, len(bookmarks), tuple(sorted((name, values[-1]) for name, values in end.items())), bookmarks)


def pages_of(job: PdfJob) -> int:
    """Return how many pages job lays out to (laid out, not drawn)."""
    document, _state, _fetcher = _layout(job, None)
    return len(document.pages)


def bookmark_tree(pages: list[tuple[float, list[Bookmark]]]) -> list:
    """Return the bookmark tree WeasyPrint would write for a document of these pages (Piece.bookmarks joined).

    Each subtree is (label, (0-based page, x, y in PDF points from the page's bottom), children, state): what
    WeasyPrint's own make_bookmark_tree gives write_pdf. Private API like the patches above.
    """
    from types import SimpleNamespace

    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    root: list = []
    skipped: list[int] = []
    last_by_depth = [root]
    level = 0
    scale = 0.75  # CSS px to PDF points (write_pdf's zoom 1)
    for number, (height, marks) in enumerate(pages):
        matrix = Matrix(a=scale, d=-scale, f=height * scale)
        level = make_page_bookmark_tree(SimpleNamespace(bookmarks=marks), skipped, last_by_depth, level, number, matrix)
    return root


@dataclass
class Survey:
    """A document laid out but not drawn: what a long table's parts need (output/rows.py)."""

    rows: list[int | None]  # per page: the data-row number of the first row of the table on it (None: none)
    entries: list[dict[str, str]]  # per page: named strings as the page begins
    columns: list[tuple[float, float]]  # the table's columns: min- and max-content widths (CSS px)
    widest: list[tuple[int, int]]  # per column: the data-row numbers of its widest min- and max-content cells


def survey(job: PdfJob, table_class: str, numbering: Numbering | None = None, widths_only: bool = False) -> Survey:
    """Lay out job (not drawn, then dropped) and return where the rows of its table of table_class fall.

    widths_only: nothing laid out, the table's columns measured only (rows is empty).

    Each row of the table carries data-row="N" (N ≥ 0 its place in the whole table; negative: a row that is
    there for the column widths only). Private API (WeasyPrint's table width cache, LayoutContext.tables, and
    its cells' min/max-content widths), checked in tests/test_private_apis.py.
    """
    from weasyprint.layout.preferred import table_cell_min_max_content_width

    document, state, _fetcher = _layout(job, numbering or Numbering(1, 1), record=True, widths_only=widths_only)
    rows: list[int | None] = []
    for page in document.pages:
        numbers = [
            int(box.element.get("data-row"))
            for box in page._page_box.descendants()
            if box.element_tag == "tr" and box.element is not None and box.element.get("data-row") is not None
        ]
        rows.append(min((n for n in numbers if n >= 0), default=None))
    columns: list[tuple[float, float]] = []
    widest: list[tuple[int, int]] = []
    for table, result in getattr(state.context, "tables", {}).items():
        if table_class not in (table.element.get("class") or "").split():
            continue
        labels = {
            id(cell): int(row.element.get("data-row"))
            for group in table.children
            for row in group.children
            if row.element is not None and row.element.get("data-row") is not None
            for cell in row.children
        }
        for cells in result[False][-1]:  # the zipped grid: each column's cells
            best = [(0.0, -1), (0.0, -1)]
            for cell in cells:
                if not cell or id(cell) not in labels:
                    continue
                row = labels[id(cell)]
                for which, width in enumerate(table_cell_min_max_content_width(state.context, cell)):
                    best[which] = max(best[which], (width, row))
            columns.append((best[0][0], best[1][0]))
            widest.append((best[0][1], best[1][1]))
        break
    return Survey(rows, state.entries, columns, widest)


@contextmanager
def _weasyprint_errors() -> Iterator[None]:
    """Turn whatever WeasyPrint raises into the one message a user gets, and forget the part's state after."""
    try:
        yield
    except (RenderError, MemoryError):  # MemoryError: the worker's memory limit, reported as such
        raise
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
        raise RenderError(
            _("the PDF could not be made ({details})").format(details=f"{type(exc).__name__}: {exc}")
        ) from exc
    finally:
        _part.state = None


def _layout(job: PdfJob, numbering: Numbering | None, record: bool = False, widths_only: bool = False):
    """Return job laid out (a WeasyPrint Document), the part's state and the URL fetcher."""
    from weasyprint import HTML

    font_config, fonts_css = _font_setup()
    reach = ((fonts_dir(), *job.allowed_dirs), job.allowed_files)
    fetcher = _fetcher_class()(*reach, job.figures)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    base_url = str(job.base_dir) + "/"
    kept = record or numbering or job.targets
    state = _PartState(numbering, widths_only=widths_only, targets=job.targets) if kept else None
    _part.state = state
    with _weasyprint_errors():
        html, sheets = job.html, [fonts_css]
        split = split_styles(job.html)
        if split is not None:
            html = split[0]
            sheets = [*(_stylesheet(t, base_url, fetcher, reach, font_config) for t in split[1]), fonts_css]
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=font_config, presentational_hints=False
        )
    return document, state, fetcher


@dataclass
class Laid:
    """A job laid out by WeasyPrint and not yet drawn: how its pages are filled, to choose between settings of one
    document from their layout (not from a guess at text lengths) before drawing the one chosen."""

    job: PdfJob
    pages: list[PageFill]
    room: dict[str, float]  # per class asked for: the height its elements leave empty, in mm
    _laid: tuple = field(repr=False)  # WeasyPrint's document, the part's state and the URL fetcher


def lay_out(job: PdfJob, measure: tuple[str, ...] = ()) -> Laid:
    """Return job laid out, not drawn (draw() makes its PDF), with the room the elements of each class of measure
    leave empty: an empty element's whole height, a container's height beyond its in-flow children's (a flex
    column's spacers, and what is left below them: how much room a framed page has over)."""
    from weasyprint.formatting_structure import boxes

    document, state, fetcher = _layout(job, None)
    room = dict.fromkeys(measure, 0.0)
    for page in document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.BlockLevelBox) or box.element is None:  # a block's lines share its element
                continue
            classes = (box.element.get("class") or "").split()
            for name in measure:
                if name in classes:
                    used = sum(c.margin_height() for c in box.children if c.is_in_normal_flow())
                    room[name] += max(0.0, box.height - used) * MM_PER_PX
    return Laid(job, page_fills(document), room, (document, state, fetcher))


def draw(laid: Laid) -> bytes:
    """Return the PDF of a job laid out by lay_out()."""
    return _write(laid.job, *laid._laid)


@dataclass(frozen=True)
class PageFill:
    """How far a laid-out page is filled: its named page (CSS `page:`, "" for none) and the share of its page
    area's height its content reaches (0 to 1, more when it runs over the page area)."""

    name: str
    filled: float


def page_fills(document) -> list[PageFill]:
    """Return each page's fill, from WeasyPrint's layout tree (fixed and absolute boxes, such as a draft's mark
    over every page, fill nothing)."""
    from weasyprint.formatting_structure import boxes

    def bottom(box) -> float:  # where the box's visible in-flow content ends (0: none)
        if box.is_absolutely_positioned():
            return 0.0
        if isinstance(box, boxes.ReplacedBox):
            return box.position_y + box.margin_height()
        if isinstance(box, boxes.TextBox):
            return box.position_y + box.margin_height() if box.text.strip() else 0.0
        inner = max((bottom(child) for child in getattr(box, "children", ())), default=0.0)
        if isinstance(box, boxes.LineBox) and inner:
            return max(inner, box.position_y + box.height)
        return inner

    fills = []
    for page in document.pages:
        box = page._page_box
        top, height = box.content_box_y(), box.height
        reached = max((bottom(c) for c in box.children if not isinstance(c, boxes.MarginBox)), default=0.0)
        reached = max(reached, top)
        fills.append(PageFill(getattr(box.page_type, "name", "") or "", (reached - top) / height if height else 1.0))
    return fills


def _render(job: PdfJob, numbering: Numbering | None, record: bool = False) -> tuple[bytes, list[dict[str, str]]]:
    """Return job's PDF and (when recording or numbering a part) each page's named strings as it begins."""
    document, state, fetcher = _layout(job, numbering, record)
    return _write(job, document, state, fetcher), state.entries if state else []


def _write(job: PdfJob, document, state: _PartState | None, fetcher) -> bytes:
    """Return the laid-out document drawn as job's PDF."""
    from weasyprint import Attachment as WAttachment

    with _weasyprint_errors():
        _part.state = state  # the links to other parts' anchors are kept while it is written (PdfJob.targets)
        created = job.created or now()  # SOURCE_DATE_EPOCH when set: the same bytes on every run
        stamp = created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        document.metadata.created = document.metadata.modified = stamp
        attachments = [
            WAttachment(
                file_obj=io.BytesIO(a.data),
                url_fetcher=fetcher,
                name=a.name,
                description=a.description,
                relationship=a.relationship,
                created=created,
                modified=created,
            )
            for a in job.attachments
        ]
        options = {
            "attachments": attachments or None,
            "pdf_identifier": job.identifier or _identifier(job, stamp),
            "pdf_variant": job.variant,
        }
        return document.write_pdf(finisher=_finish, **{k: v for k, v in options.items() if v})
