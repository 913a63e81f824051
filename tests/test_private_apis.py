"""The private internals of other libraries reportgen still relies on, and the public routes that replaced others.

Each library whose internals are used is pinned below its next minor version in pyproject.toml; these tests
fail loudly when an upgrade moves what is relied on, instead of the code silently losing a guard or a speed-up.
"""

from __future__ import annotations

import inspect
import io
import struct
import zipfile
from pathlib import Path

import pytest

from reportgen.errors import UnreadableFile
from reportgen.input import container, xlsx
from tests.conftest import SAMPLES, write_xlsx

# --- openpyxl: ReadOnlyWorksheet._get_size (no public way to skip the size scan on opening) ---


def test_openpyxl_still_scans_the_size_through_get_size_when_a_sheet_opens():
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    assert callable(getattr(ReadOnlyWorksheet, "_get_size", None))
    assert "self._get_size()" in inspect.getsource(ReadOnlyWorksheet.__init__)


def test_opening_a_workbook_no_longer_parses_its_sheets_for_their_size(monkeypatch):
    from openpyxl.worksheet._reader import WorkSheetParser

    def refuse(self):
        raise AssertionError("openpyxl parsed a sheet for its size: the _get_size override no longer applies")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", refuse)
    raw = xlsx.read_workbook(SAMPLES / "small.xlsx")
    assert raw.sheets and all(sheet.rows for sheet in raw.sheets if sheet.title.lower() == "clusters")


# --- zipfile: the end record is read with struct (zipfile has no public reader for it) ---


@pytest.mark.parametrize(("members", "comment"), [(0, b""), (3, b""), (5, b"a comment " * 500), (65_600, b"")])
def test_the_member_count_is_read_from_the_end_record(tmp_path, members, comment):
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(members):
            zf.writestr(f"m{i}", b"")
        zf.comment = comment
    with zipfile.ZipFile(path) as zf:
        assert container._member_count(path) == len(zf.infolist()) == members  # 65,600: zip64's own record


def test_a_file_without_an_end_record_has_no_member_count(tmp_path):
    path = tmp_path / "cut.zip"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert container._member_count(path) is None


# --- openpyxl: the sheet XML is read from the zip by part name, not through ws._get_source() ---


def _rewrite(path: Path, member: str, edit) -> None:
    """Rewrite one member of the zip at path with edit(text)."""
    with zipfile.ZipFile(path) as src:
        items = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in items:
            dst.writestr(name, edit(data.decode("utf-8")).encode("utf-8") if name == member else data)


def test_sheet_parts_are_found_through_the_workbook_and_its_relationships(tmp_path):
    path = write_xlsx(tmp_path / "wb.xlsx", {"أولى": [["a", "=1+1"]], "second": [["b"]]})
    with zipfile.ZipFile(path) as zf:
        assert xlsx._sheet_parts(zf) == {"أولى": ["xl/worksheets/sheet1.xml"], "second": ["xl/worksheets/sheet2.xml"]}


@pytest.mark.parametrize(
    "target", ["/xl/worksheets/sheet1.xml", "worksheets/sheet1.xml", "./worksheets/../worksheets/sheet1.xml"]
)
def test_absolute_and_relative_relationship_targets_are_followed(tmp_path, target):
    path = write_xlsx(tmp_path / "wb.xlsx", {"clusters": [["id"], ["=1+1"]]})
    _rewrite(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda t: t.replace('Target="/xl/worksheets/sheet1.xml"', f'Target="{target}"'),
    )
    sheet = xlsx.read_workbook(path).sheets[0]
    assert sheet.rows[1][1][0].formula  # the formula mark comes from the scan of the sheet's own XML


def test_a_sheet_whose_part_is_missing_is_refused():
    with pytest.raises(UnreadableFile, match="cannot be found"):
        xlsx._part({"other": ["xl/worksheets/sheet1.xml"]}, "clusters")


# --- pypdf: StreamObject._data and PdfReader.resolved_objects (the join and the imposition write as they read) ---


def test_pypdf_streams_still_hold_their_encoded_bytes_where_the_join_copies_them_from():
    """imposition.join_documents copies each stream's encoded bytes (StreamObject._data) as they are."""
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    from reportgen.output.imposition import join_documents
    from reportgen.render.pdf import PdfJob, render_pdf

    assert "self._data: bytes" in inspect.getsource(StreamObject.__init__)
    assert "stream.write(self._data)" in inspect.getsource(StreamObject.write_to_stream)
    one = render_pdf(PdfJob(html="<p>one</p><p style='break-before: page'>two</p>", base_dir=Path.cwd()))
    joined = PdfReader(io.BytesIO(join_documents([(one, 0, 2), (one, 1, 1)], list)))
    assert [page.extract_text().strip() for page in joined.pages] == ["one", "two", "two"]
    source = PdfReader(io.BytesIO(one)).pages[1]
    assert joined.pages[2].get_contents().get_data() == source.get_contents().get_data()


def test_a_pypdf_reader_still_keeps_its_parsed_objects_where_the_imposition_clears_them():
    """imposition.impose clears PdfReader.resolved_objects as it goes: they are parsed again when needed."""
    from pypdf import PdfReader

    from reportgen.output.imposition import impose
    from reportgen.render.pdf import PdfJob, render_pdf

    assert "self.resolved_objects: dict[" in inspect.getsource(PdfReader.__init__)
    assert "self.resolved_objects[" in inspect.getsource(PdfReader.cache_indirect_object)
    html = "".join(f"<p style='break-before: page'>page {n}</p>" for n in range(1, 5))
    one = render_pdf(PdfJob(html=html, base_dir=Path.cwd()))
    sides = [(n % 4, (n + 1) % 4) for n in range(70)]  # more sides than between two clearings
    imposed = PdfReader(io.BytesIO(impose(one, sides)))
    assert len(imposed.pages) == 70 and "page 1" in imposed.pages[68].extract_text()


# --- WeasyPrint: Font.subset and Font._fonttools_subset (no public hook into font subsetting) ---


def test_weasyprint_still_subsets_each_embedded_font_through_the_method_we_replace():
    from weasyprint.pdf import fonts

    original = inspect.unwrap(fonts.Font.subset)
    assert original.__module__ == "weasyprint.pdf.fonts"
    assert list(inspect.signature(original).parameters) == ["self", "to_unicode", "hinting"]
    assert "self.subset(to_unicode, hinting)" in inspect.getsource(fonts.Font.clean)
    source = inspect.getsource(fonts.Font.__init__)  # what reportgen's subsetter reads and writes
    assert all(f"self.{name} =" in source for name in ("file_content", "index", "missing"))


def test_weasyprint_still_subsets_with_fonttools_through_the_method_we_wrap():
    from weasyprint.pdf import fonts

    original = inspect.unwrap(fonts.Font._fonttools_subset)  # WeasyPrint's own, whether or not wrapped already
    assert original.__module__ == "weasyprint.pdf.fonts"
    assert list(inspect.signature(original).parameters) == ["self", "to_unicode", "hinting"]
    assert "self._fonttools_subset(to_unicode, hinting)" in inspect.getsource(fonts.Font.subset)
    assert "'GSUB', 'GPOS'" in inspect.getsource(original)  # dropped anyway: safe to pre-strip


# --- WeasyPrint: make_margin_boxes and the named strings (a part of a document numbered as in the whole) ---


def test_weasyprint_still_makes_margin_boxes_after_layout_through_the_function_we_wrap():
    from weasyprint import layout

    original = inspect.unwrap(layout.make_margin_boxes)
    assert original.__module__ == "weasyprint.layout.page"
    assert inspect.isgeneratorfunction(original)  # our wrapper yields from it: the values must hold while consumed
    assert list(inspect.signature(original).parameters) == ["context", "page", "state"]
    source = inspect.getsource(layout.layout_document)
    assert "context.current_page = i + 1" in source
    assert "make_margin_boxes(context, page, state)" in source
    assert "page_counter_values['pages'] = [actual_total_pages]" in source  # state[1]: the counters, as lists
    assert "context.string_set[string_name][i+1].append(text)" in source  # string_set: name → page → values


def test_weasyprint_still_resolves_named_strings_through_the_method_we_wrap():
    from weasyprint import layout

    original = inspect.unwrap(layout.LayoutContext.get_string_or_element_for)
    assert list(inspect.signature(original).parameters) == ["self", "store", "page", "name", "keyword"]
    assert "range(self.current_page - 1, 0, -1)" in inspect.getsource(original)  # page 0 is never searched
    assert "self.get_string_or_element_for(" in inspect.getsource(layout.LayoutContext.get_string_set_for)


# --- WeasyPrint: TargetCollector.lookup_target, pdf.resolve_links, make_page_bookmark_tree (a part of a document
#     printing the page numbers of, and linking to, anchors laid out in other parts; the joined bookmarks) ---


def test_weasyprint_still_looks_targets_up_and_resolves_links_through_the_functions_we_wrap():
    from weasyprint import anchors, document
    from weasyprint import pdf as weasy_pdf
    from weasyprint.css import targets
    from weasyprint.formatting_structure import build
    from weasyprint.pdf import anchors as pdf_anchors

    original = inspect.unwrap(targets.TargetCollector.lookup_target)
    parameters = ["self", "anchor_token", "source_box", "css_token", "parse_again"]
    assert list(inspect.signature(original).parameters) == parameters
    assert "anchor_name = anchor_name_from_token(anchor_token)" in inspect.getsource(original)
    assert "self.target_lookup_items.get(anchor_name, TargetLookupItem('undefined'))" in inspect.getsource(original)
    source = inspect.getsource(build.compute_content_list)  # what our stand-in item must answer
    assert "target_values = lookup_target.target_box.cached_counter_values" in source
    assert "local_counters = lookup_target.cached_page_counter_values.copy()" in source
    assert inspect.unwrap(weasy_pdf.resolve_links) is pdf_anchors.resolve_links
    assert "page_links_and_anchors = list(resolve_links(document.pages))" in inspect.getsource(weasy_pdf.generate_pdf)
    assert "box.link_annotation['Dest'] = pydyf.String(link_target)" in inspect.getsource(pdf_anchors.add_links)
    assert "document.make_bookmark_tree(scale, transform_pages=True)" in inspect.getsource(weasy_pdf.generate_pdf)
    assert "scale = zoom * 0.75" in inspect.getsource(weasy_pdf.generate_pdf)
    bookmarks = inspect.getsource(document.Document.make_bookmark_tree)
    assert "matrix = Matrix(a=scale, d=-scale, f=page.height * scale)" in bookmarks
    assert "make_page_bookmark_tree(" in bookmarks
    marks = "for level, label, (point_x, point_y), state in page.bookmarks"
    assert marks in inspect.getsource(anchors.make_page_bookmark_tree)


def test_a_target_in_another_part_prints_its_page_and_keeps_its_link_by_name(tmp_path, capfd):
    from pypdf import PdfReader

    from reportgen.render.pdf import PdfJob, render_pdf

    html = (
        "<style>a.n::after { content: target-counter(attr(href), page) }</style>"
        '<p><a class="n" href="#far">page </a> <a class="n" href="#near">near </a></p>'
        '<p id="near" style="break-before: page">here</p>'
    )
    reader = PdfReader(io.BytesIO(render_pdf(PdfJob(html=html, base_dir=tmp_path, targets={"far": 17}))))
    assert "page 17" in reader.pages[0].extract_text() and "near 2" in reader.pages[0].extract_text()
    assert list(dict.fromkeys(str(a.get_object()["/Dest"]) for a in reader.pages[0]["/Annots"])) == ["far", "near"]
    assert list(reader.named_destinations) == ["near"]  # "far" is another part's: the joined document's names hold it
    assert "anchor" not in capfd.readouterr().err  # WeasyPrint reported no missing anchor
    plain = PdfReader(io.BytesIO(render_pdf(PdfJob(html=html, base_dir=tmp_path))))
    assert "page 17" not in plain.pages[0].extract_text()  # without targets, WeasyPrint's own behaviour
    assert {str(a.get_object()["/Dest"]) for a in plain.pages[0]["/Annots"]} == {"near"}


def test_weasyprint_still_caches_each_tables_column_widths_with_its_cells_as_render_pdf_survey_reads_them():
    from weasyprint.layout import LayoutContext, preferred

    assert "self.tables = {}" in inspect.getsource(LayoutContext.__init__)
    source = inspect.getsource(preferred.table_and_columns_preferred_widths)
    assert "context.tables[table] = result = {" in source
    assert "False: (table_min_content_width, table_max_content_width, *result)" in source
    assert "total_horizontal_border_spacing, zipped_grid)" in source  # the grid (each column's cells) comes last
    assert "min_width, max_width = table_cell_min_max_content_width(context, cell)" in source
    assert list(inspect.signature(preferred.table_cell_min_max_content_width).parameters)[:2] == ["context", "box"]


def test_weasyprint_still_lays_a_document_out_through_the_function_we_wrap_to_measure_tables_alone():
    from weasyprint import document
    from weasyprint.layout import preferred

    original = inspect.unwrap(document.layout_document)
    assert original.__module__ == "weasyprint.layout"
    assert list(inspect.signature(original).parameters)[:3] == ["html", "root_box", "context"]
    source = inspect.getsource(document.Document._render)
    assert "page_boxes = layout_document(html, root_box, context)" in source
    assert "[Page(page_box) for page_box in page_boxes]" in source  # no pages: an empty document
    assert list(inspect.signature(preferred.table_and_columns_preferred_widths).parameters) == [
        "context",
        "box",
        "outer",
    ]
    assert "table = box.get_wrapped_table()" in inspect.getsource(preferred.table_and_columns_preferred_widths)


def test_weasyprint_pages_still_keep_their_laid_out_page_box():
    from weasyprint.document import Page

    assert "self._page_box = page_box" in inspect.getsource(Page.__init__)


def test_the_fonttools_path_runs_our_wrapper_and_keeps_the_text(monkeypatch, tmp_path):
    from pypdf import PdfReader
    from weasyprint.pdf import fonts

    from reportgen.render import pdf

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # take the fontTools path even where HarfBuzz is present
    monkeypatch.setattr(pdf, "subset_font", lambda *args, **kwargs: None)  # as when uharfbuzz cannot subset a font
    monkeypatch.setattr(pdf, "_stripped", {})
    pdf.warm_up()
    assert getattr(fonts.Font._fonttools_subset, "reportgen", False)
    html = '<html lang="ar" dir="rtl"><body style="font-family: \'RG Naskh\'">سلام 123</body></html>'
    out = pdf.render_pdf(pdf.PdfJob(html=html, base_dir=tmp_path))
    assert pdf._stripped, "WeasyPrint subset the fonts without going through the wrapper"
    for font in pdf._stripped.values():
        tags = {font[12 + 16 * i : 16 + 16 * i] for i in range(struct.unpack_from(">H", font, 4)[0])}
        assert tags and not tags & {b"GSUB", b"GPOS"}
    assert "123" in PdfReader(io.BytesIO(out)).pages[0].extract_text()


# --- WeasyPrint: svg.utils.size and point, svg.TAGS["path"] (the pictures' numbers and paths, read faster) ---


def test_weasyprint_still_reads_svg_numbers_with_the_functions_we_replace():
    from weasyprint import svg
    from weasyprint.svg import bounding_box, defs, path, shapes, utils
    from weasyprint.svg import text as svg_text

    from reportgen.render import pdf

    pdf.warm_up()
    size, point = inspect.unwrap(utils.size), inspect.unwrap(utils.point)
    assert size.__module__ == point.__module__ == "weasyprint.svg.utils"
    assert "return float(string)" in inspect.getsource(size)  # a plain number: float() first, as ours does
    assert "re.match('(.*?) (.*?)(?: |$)', string)" in inspect.getsource(point)  # "x y rest", as ours splits it
    for module in (svg, utils, defs, svg_text):
        assert getattr(module.size, "reportgen", False), module.__name__
    for module in (utils, path, shapes, bounding_box):
        assert getattr(module.point, "reportgen", False), module.__name__


def test_svg_numbers_read_by_the_replacements_are_the_originals():
    from weasyprint.svg import utils

    from reportgen.render import pdf

    pdf.warm_up()
    size, point = inspect.unwrap(utils.size), inspect.unwrap(utils.point)

    class Picture:  # what point() asks of the SVG image
        def point(self, x, y, font_size):
            return utils.size(x, font_size, 200), utils.size(y, font_size, 100)

    class Original(Picture):
        def point(self, x, y, font_size):
            return size(x, font_size, 200), size(y, font_size, 100)

    for value in ("", "0", "12", "-3.5", "1e3", "2em", "50%", "3mm", "1_0", " 7 ", None):
        assert utils.size(value, 10, 50) == size(value, 10, 50), value
    for text in ("1 2", "1 2 3 4", "1.5 -2 ", "3mm 50% 7", "1 2\n3", "4"):
        try:
            expected = point(Original(), text, 10)
        except utils.PointError:
            with pytest.raises(utils.PointError):
                utils.point(Picture(), text, 10)
        else:
            assert utils.point(Picture(), text, 10) == expected, text


def test_weasyprint_still_draws_a_path_only_through_the_calls_we_record():
    import re

    from weasyprint import svg

    from reportgen.render import pdf

    pdf.warm_up()
    assert getattr(svg.TAGS["path"], "reportgen", False)
    original = inspect.unwrap(svg.TAGS["path"])
    assert original.__module__ == "weasyprint.svg.path"
    assert list(inspect.signature(original).parameters) == ["svg", "node", "font_size"]
    source = inspect.getsource(original)
    # What a path may do to the picture and its node: recorded by render.pdf._PathRecorder and _PathNode.
    assert set(re.findall(r"\bsvg\.(\w+(?:\.\w+)?)", source)) <= {
        "stream.move_to",
        "stream.line_to",
        "stream.curve_to",
        "stream.close",
        "point",
    }
    assert set(re.findall(r"\bnode\.(\w+(?:\.\w+)?)", source)) <= {"get", "vertices.append"}
    assert re.findall(r"\bnode\.get\('(\w+)'", source) == ["d"]


def test_a_picture_drawn_twice_gives_the_same_bytes_as_weasyprint_alone():
    import base64

    from weasyprint import HTML, svg

    from reportgen.render import pdf

    pdf.warm_up()
    picture = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="90" height="40">'
        '<defs><path id="g" d="M 1 1 L 8 1 Q 9 5 8 9 C 6 10 3 10 1 9 z m 2 2 h 3 v 3 H 3 Z"/>'
        '<marker id="m" markerWidth="2" markerHeight="2"><circle cx="1" cy="1" r="1"/></marker></defs>'
        '<use xlink:href="#g"/><use xlink:href="#g" transform="translate(20 0)"/>'
        '<path d="M 40 5 A 10 5 0 0 1 60 5 S 70 20 80 10 T 85 30" marker-mid="url(#m)" stroke="red" fill="none"/>'
        '<path d="M 1 30 L 2"/></svg>'
    )
    uri = "data:image/svg+xml;base64," + base64.b64encode(picture.encode()).decode()
    html = f'<img src="{uri}">' * 2

    def drawn() -> bytes:
        return HTML(string=html).render().write_pdf(pdf_identifier=b"x" * 32, uncompressed_pdf=True)

    ours = [drawn(), drawn()]  # the second replays what the first read
    replaced, svg.TAGS["path"] = svg.TAGS["path"], inspect.unwrap(svg.TAGS["path"])
    try:
        theirs = drawn()
    finally:
        svg.TAGS["path"] = replaced
    assert ours[0] == ours[1] == theirs
    assert b" c\n" in theirs or b" c " in theirs  # curves were drawn: the comparison is not of empty pictures


# --- WeasyPrint: FontConfiguration._folder (the fonts' temporary folder, removed when a worker exits) ---


def test_the_fonts_temporary_folder_is_removed_when_a_process_exits_without_teardown(tmp_path):
    import os
    import subprocess
    import sys

    code = (  # as a spawned worker: the quick exit registered before the set-up, no teardown frees the fonts
        "import atexit\nfrom reportgen.render import pdf\nfrom reportgen.commands import executors\n"
        "atexit.register(executors._exit_at_once)\nconfig, _ = pdf._font_setup()\nprint(config._folder)\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    folder = Path(done.stdout.strip())
    assert folder.parent == tmp_path  # WeasyPrint made it where we looked
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []


# --- matplotlib: FontManager._findfont_cached (no public way to reset findfont's cache after reordering) ---


def test_matplotlib_findfont_cache_can_be_cleared_and_bundled_fonts_win():
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties

    from reportgen.render.charts import base
    from reportgen.settings import fonts_dir

    assert callable(getattr(font_manager.fontManager._findfont_cached, "cache_clear", None))
    with base.style(fonts_dir()):
        for family in base.FAMILY:
            found = Path(font_manager.findfont(FontProperties(family=family), fallback_to_default=False))
            assert found.parent == fonts_dir().resolve(), (family, found)


# --- click: its modules' `_` and `ngettext` globals (Click translates only through the stdlib's gettext) ---


@pytest.mark.parametrize("name", ["core", "decorators", "exceptions", "formatting", "parser", "termui", "types"])
def test_click_still_looks_its_texts_up_through_module_globals_we_replace(name):
    import importlib

    from reportgen import cli, i18n

    module = importlib.import_module(f"click.{name}")
    source = inspect.getsource(module)
    assert "from gettext import gettext as _" in source
    assert getattr(module, "_", None) is i18n._  # replaced when reportgen.cli was imported
    if "from gettext import ngettext" in source:
        assert module.ngettext is i18n.ngettext
    assert name in cli._CLICK_MODULES


def test_every_text_click_shows_in_a_usage_error_is_one_we_translate():
    """Click's usage line, hint and error prefix come from texts listed in cli.CLICK_TEXTS."""
    from click.testing import CliRunner

    from reportgen.cli import cli

    result = CliRunner().invoke(cli, ["--lang", "ar", "brief", "--region"])
    assert result.exit_code == 2
    assert "Usage" not in result.output and "Error" not in result.output and "requires" not in result.output


def test_weasyprint_boxes_still_tell_how_far_a_page_is_filled_and_what_a_column_leaves_empty(tmp_path):
    """render.pdf.page_fills and lay_out read the layout tree's boxes (position_y, margin_height, children,
    is_in_normal_flow, is_absolutely_positioned, the page type's name): a dossier's setting is chosen from them."""
    from reportgen.render.pdf import PdfJob, lay_out

    page = "@page { size: 100mm 200mm; margin: 0 } @page framed { margin: 0 } body { margin: 0 }"
    column = (
        "<div class='column' style='page: framed; display: flex; flex-direction: column; height: 200mm'>"
        "<div style='height: 50mm'>x</div><div class='gap' style='flex: 1 1 0'></div>"
        "<div style='line-height: 30mm'>y</div></div>"
    )
    last = "<p style='position: absolute; top: 190mm'>fixed</p><div style='line-height: 40mm'>z</div>"
    html = f"<html><head><style>{page}</style></head><body>{column}{last}</body></html>"
    laid = lay_out(PdfJob(html=html, base_dir=tmp_path), ("gap", "column"))
    assert [p.name for p in laid.pages] == ["framed", ""]
    assert laid.pages[0].filled == pytest.approx(1.0, abs=0.01)
    assert laid.pages[1].filled == pytest.approx(40 / 200, abs=0.02)  # the absolute box fills nothing
    assert laid.room["gap"] == pytest.approx(120, abs=0.5) and laid.room["column"] == pytest.approx(0, abs=0.5)
