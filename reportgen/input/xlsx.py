"""READ: the only importer of openpyxl; a workbook's sheets as rows of located cell values."""

from __future__ import annotations

import datetime as dt
import functools
import io
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from reportgen.errors import UnreadableFile, quoted
from reportgen.i18n import _
from reportgen.input.container import check_container

# Limits that keep a hostile or broken file from exhausting time or memory (README: limits and safety).
MAX_ROWS = 20_000  # rows read per sheet
MAX_COLUMNS = 60  # columns read per row
MAX_CELL_CHARS = 5_000  # longer text is a problem, not a value
MAX_ROW_CELLS = 16_384  # Excel's own column limit: a longer row was not written by a spreadsheet
MAX_CELLS = 2_000_000  # <c> elements in all sheets' first MAX_ROWS rows (~1.7 × the area read)
MAX_MERGED_CELLS = 100_000  # cells covered by merged ranges whose value is copied

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class Cell:
    """A cell's value and where it is; `formula` is set when the value is a formula's cached result."""

    value: object
    coord: str
    formula: bool = False
    merged_from: str = ""  # top-left of the merged range this value was copied from


@dataclass
class Sheet:
    """One worksheet: its title and its non-empty rows (1-based row number, cells)."""

    title: str
    rows: list[tuple[int, tuple[Cell, ...]]] = field(default_factory=list)
    truncated: bool = False  # more than MAX_ROWS rows
    formulas_uncalculated: bool = False  # every formula has 0/None: file never calculated


@dataclass
class RawWorkbook:
    """All sheets of a workbook, in order."""

    path: Path
    sheets: list[Sheet]


def column_letter(index: int) -> str:
    """Return the spreadsheet column letter for a 1-based index."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class _Stop(Exception):
    """Ends a sheet scan early (past MAX_ROWS)."""


def _scan_sheet_xml(ws, source: IO[bytes], budget: list[int]) -> tuple[set[str], list[str], bool]:
    """Return the formula cells, merged ranges and whether rows go past MAX_ROWS, from the sheet's XML.

    One streaming pass with bare Expat callbacks (no tree: four times faster than iterparse) that
    stops after row MAX_ROWS, and refuses a row longer than Excel allows and more cells than
    MAX_CELLS in all (budget[0] counts down across sheets), before openpyxl sees them. Entity
    declarations are refused, as defusedxml does.
    """
    from xml.parsers import expat

    formulas: set[str] = set()
    merges: list[str] = []
    counts = {"rows": 0, "cells": 0}
    current = {"cell": ""}
    row, cell, formula, merge = (_NS[1:] + name for name in ("row", "c", "f", "mergeCell"))

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == cell:
            counts["cells"] += 1
            current["cell"] = attrs.get("r", "")
            budget[0] -= 1
            if counts["cells"] > MAX_ROW_CELLS:
                raise UnreadableFile(
                    _(
                        "sheet '{sheet}', row {row}: more than {limit} cells, more than Excel allows "
                        "(this file was not saved by a spreadsheet program)"
                    ).format(sheet=quoted(ws.title), row=counts["rows"], limit=f"{MAX_ROW_CELLS:,}")
                )
            if budget[0] < 0:
                raise UnreadableFile(
                    _(
                        "sheet '{sheet}': more than {limit} cells in the workbook, over the limit; "
                        "delete unused rows and columns"
                    ).format(sheet=quoted(ws.title), limit=f"{MAX_CELLS:,}")
                )
        elif name == formula:
            formulas.add(current["cell"])
        elif name == row:
            counts["rows"] += 1
            counts["cells"] = 0
            number = attrs.get("r", "")
            if counts["rows"] > MAX_ROWS or (number.isdigit() and int(number) > MAX_ROWS):
                raise _Stop
        elif name == merge:
            merges.append(attrs.get("ref", ""))

    def refuse(*_args) -> None:
        raise UnreadableFile(
            _(
                "sheet '{sheet}': its XML declares entities, which spreadsheet programs never write and reportgen "
                "refuses"
            ).format(sheet=quoted(ws.title))
        )

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]  # any signature: it only raises
    try:
        with source as src:  # read-only mode drops formulas and merges; this pass recovers them
            parser.ParseFile(src)
    except _Stop:
        return formulas, merges, True
    except expat.ExpatError as exc:
        raise UnreadableFile(
            _("sheet '{sheet}': the XML is malformed ({reason}, line {line}, column {column})").format(
                sheet=quoted(ws.title),
                reason=expat.errors.messages.get(exc.code, exc),
                line=exc.lineno,
                column=exc.offset,
            )
        ) from exc
    return formulas, merges, False


def _merge_map(merges: list[str]) -> dict[tuple[int, int], tuple[int, int]]:
    """Return {(row, col) of a covered cell: (row, col) of its range's top-left}."""
    from openpyxl.utils.cell import range_boundaries

    covered: dict[tuple[int, int], tuple[int, int]] = {}
    for ref in merges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        max_row, max_col = min(max_row, MAX_ROWS), min(max_col, MAX_COLUMNS)  # only what is read
        size = (max_row - min_row + 1) * (max_col - min_col + 1)
        if size > 10_000 or len(covered) + size > MAX_MERGED_CELLS:
            continue  # a whole-sheet merge carries no data worth copying
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    covered[(r, c)] = (min_row, min_col)
    return covered


def _read_sheet(ws, source: IO[bytes], budget: list[int]) -> Sheet:
    formulas, merges, truncated = _scan_sheet_xml(ws, source, budget)
    covered = _merge_map(merges)
    ws.reset_dimensions()  # never trust a forged <dimension>
    sheet = Sheet(title=ws.title, truncated=truncated)
    top_left: dict[tuple[int, int], object] = {}
    wanted = set(covered.values())
    formula_values = []
    rows = ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True)  # stops reading there
    for r_index, row in enumerate(rows, start=1):
        cells = []
        for c_index, value in enumerate(row, start=1):
            coord = f"{column_letter(c_index)}{r_index}"
            merged_from = ""
            if (r_index, c_index) in wanted:
                top_left[(r_index, c_index)] = value
            if value is None and (r_index, c_index) in covered:
                origin = covered[(r_index, c_index)]
                value = top_left.get(origin)
                merged_from = f"{column_letter(origin[1])}{origin[0]}"
            is_formula = coord in formulas and not merged_from
            if is_formula:
                formula_values.append(value)
            if value is not None or is_formula:
                cells.append(Cell(value, coord, is_formula, merged_from))
        if cells:
            sheet.rows.append((r_index, tuple(cells)))
    # XlsxWriter and openpyxl store no computed results: all formulas read back as 0 or None.
    sheet.formulas_uncalculated = len(formula_values) > 1 and all(v in (0, None) for v in formula_values)
    return sheet


_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _related(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Return {relationship id: (type, part name)} for a package part, from its .rels file (ECMA-376 part 2, 9.3)."""
    from defusedxml.ElementTree import fromstring

    folder, name = posixpath.split(part)
    try:
        rels = fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
    except KeyError:
        return {}
    found = {}
    for rel in rels.iter(_RELATIONSHIPS):
        target = rel.get("Target", "")
        target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id", "")] = (rel.get("Type", ""), target)
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """Return {sheet name: [its XML part's name in the zip]}, found as openpyxl finds them (workbook.xml and rels)."""
    from defusedxml.ElementTree import fromstring

    workbook = next(
        (target for kind, target in _related(archive, "").values() if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    rels = _related(archive, workbook)
    parts: dict[str, list[str]] = {}
    listed = [
        s for group in fromstring(archive.read(workbook)) if group.tag.rpartition("}")[2] == "sheets" for s in group
    ]
    for sheet in listed:
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")  # r:id, in whichever namespace
        if rid in rels:
            parts.setdefault(sheet.get("name", ""), []).append(rels[rid][1])
    return parts


def _part(parts: dict[str, list[str]], title: str) -> str:
    """Return the next XML part named for the sheet title (a forged workbook may repeat a name)."""
    if not parts.get(title):
        raise UnreadableFile(_("sheet '{sheet}': its XML cannot be found in the workbook").format(sheet=quoted(title)))
    return parts[title].pop(0)


def read_workbook(path: Path) -> RawWorkbook:
    """Return every sheet of the workbook at path; UnreadableFile when it cannot be read at all."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    check_container(path)
    _skip_size_scan()
    budget = [MAX_CELLS]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation, headers, etc.
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                with zipfile.ZipFile(path) as archive:
                    parts = _sheet_parts(archive)
                    sheets = [_read_sheet(ws, archive.open(_part(parts, ws.title)), budget) for ws in wb.worksheets]
            finally:
                wb.close()
    except UnreadableFile as exc:
        raise UnreadableFile(f"{quoted(path)}: {exc.message}") from exc
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error) as exc:
        raise UnreadableFile(
            _("{path}: the workbook is damaged or incomplete ({reason})").format(path=quoted(path), reason=exc)
        ) from exc
    except Exception as exc:  # malformed XML inside a valid zip raises many kinds
        raise UnreadableFile(
            _("{path}: the workbook cannot be read ({reason})").format(path=quoted(path), reason=_cause(exc))
        ) from exc
    return RawWorkbook(path=path, sheets=sheets)


def _cause(exc: BaseException) -> str:
    """Return the innermost cause of exc in one line ("ParseError: unclosed token: line 1, column 9")."""
    from defusedxml import DefusedXmlException

    while (inner := exc.__cause__ or exc.__context__) is not None:
        exc = inner
    if isinstance(exc, DefusedXmlException) or "entity" in str(exc).lower():  # defusedxml's, or libxml2's
        return _("its XML declares entities or a DTD, which spreadsheet programs never write and reportgen refuses")
    # The parser's own words, for a bug report (the message before them says what it means for the user).
    return _("details: {details}").format(details=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


@functools.cache
def _skip_size_scan() -> None:
    """Stop openpyxl from parsing a whole sheet on opening it when the sheet has no <dimension>.

    Read-only openpyxl looks for the sheet's size while opening the workbook and, when a hand-made
    file has none, parses every row to find it: a million rows cost minutes before the row cap
    applies. The size is never used here (reset_dimensions() drops it), so the lookup is skipped. openpyxl has
    no public switch for it: openpyxl is pinned below 3.2 and tests/test_private_apis.py checks the override.
    """
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = lambda self: None


@dataclass
class SheetOut:
    """A sheet to write: headers, rows, and how a person should see it."""

    title: str
    headers: list[str]
    rows: Sequence[Sequence[object]] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # header → comment shown on hover
    choices: dict[str, str] = field(default_factory=dict)  # header → list formula for a drop-down (nothing else)
    suggestions: dict[str, str] = field(default_factory=dict)  # header → list formula offered (others: a warning)
    widths: Mapping[str, float] = field(default_factory=dict)
    hidden: bool = False
    number_formats: dict[str, str] = field(default_factory=dict)


# A value a spreadsheet would run as a formula or DDE command if typed into a cell.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def workbook_bytes(sheets: list[SheetOut], stamp: dt.datetime) -> bytes:
    """Return sheets as an .xlsx file: RTL, frozen header, filters; text never becomes a formula.

    The same sheets and stamp give the same bytes: the workbook's created and modified dates and
    its zip entries' times are stamp.
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    header_fill = PatternFill("solid", fgColor="0F4C5C")
    for spec in sheets:
        ws = wb.create_sheet(spec.title)
        ws.sheet_view.rightToLeft = True
        ws.append(list(spec.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in spec.rows:
            ws.append([None if v is None else v for v in row])
        for row in ws.iter_rows(min_row=1):  # headers too: they may come from a workbook's own text
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl guesses formulas from "="; force text
        for index, header in enumerate(spec.headers, start=1):
            letter = column_letter(index)
            ws.column_dimensions[letter].width = spec.widths.get(header, max(12, len(header) + 4))
            if header in spec.notes:
                ws.cell(row=1, column=index).comment = Comment(spec.notes[header], "reportgen")
            for lists, strict in ((spec.choices, True), (spec.suggestions, False)):
                if header in lists:
                    ws.add_data_validation(dv := _drop_down(lists[header], strict))
                    dv.add(f"{letter}2:{letter}2000")
            if header in spec.number_formats:
                for (cell,) in ws.iter_rows(min_row=2, max_row=max(ws.max_row, 2), min_col=index, max_col=index):
                    cell.number_format = spec.number_formats[header]
        ws.freeze_panes = "A2"
        if spec.rows:
            ws.auto_filter.ref = f"A1:{column_letter(len(spec.headers))}{len(spec.rows) + 1}"
        if spec.hidden:
            ws.sheet_state = "hidden"
    stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    wb.properties.created = stamp
    saved = io.BytesIO()
    wb.save(saved)  # openpyxl dates 'modified' now, and its zip entries too: both are set to stamp below
    return _with_fixed_times(saved, stamp)


def _drop_down(formula: str, strict: bool):
    """Return a drop-down of the list at formula: strict ones refuse any other value, others warn (error alerts on)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
    dv.errorStyle = "stop" if strict else "warning"
    if strict:
        dv.errorTitle = "قيمة غير مقبولة (not accepted)"
        dv.error = "اختر قيمة من القائمة المنسدلة في هذا العمود.\nChoose a value from this column's drop-down list."
    else:
        dv.errorTitle = "قيمة ليست في القائمة (not in the list)"
        dv.error = (
            "هذه القيمة ليست من القائمة المقترحة؛ اختر «نعم» للإبقاء عليها.\n"
            "This value is not in the suggested list; choose Yes to keep it."
        )
    return dv


_MODIFIED = re.compile(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _with_fixed_times(saved: io.BytesIO, stamp: dt.datetime) -> bytes:
    """Return the zip saved with its document 'modified' date and every entry's time set to stamp."""
    when = max(stamp, dt.datetime(1980, 1, 1)).timetuple()[:6]  # the zip format starts in 1980
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rf"\g<1>{stamp:%Y-%m-%dT%H:%M:%SZ}\g<2>", data.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()
