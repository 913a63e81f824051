"""READ a sheet: find the known sheets and their header rows, and turn a table's cells into converted rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportgen.errors import quoted
from reportgen.i18n import _
from reportgen.input import converters as cv
from reportgen.input.columns import ALL_SHEETS, CLUSTERS, SETTINGS_KEYS, Column, SheetSpec
from reportgen.input.xlsx import MAX_CELL_CHARS, MAX_ROWS, Cell, RawWorkbook, Sheet
from reportgen.model.arabic import fold
from reportgen.model.problems import ERROR, WARNING, Problem

HEADER_SEARCH_ROWS = 30  # a header row may sit below a title block this deep
HEADER_CHARS = 200  # longer text is not a header (and folding 10 MB of it would take seconds)
QUIET_SHEETS = {fold(n) for n in ("lists", "القوائم", "readme", "اقرأني", "notes", "ملاحظات")}
REPORTED = object()  # a cell whose problem is already reported


def _names(item: Column | SheetSpec) -> set[str]:
    aliases = getattr(item, "aliases", ())
    return {fold(n) for n in (item.key, item.en, item.ar, *aliases)}


def _shown(value: object) -> str:
    return cv.to_text(value) if not isinstance(value, str) else value.strip()


@dataclass(frozen=True)
class Row:
    """A data row: its number, converted values and their cells, and whether it is free of errors."""

    number: int
    values: dict[str, Any]  # converted values of every type, keyed by column
    coords: dict[str, str]
    ok: bool

    def __iter__(self):
        return iter((self.number, self.values, self.coords))


class Reader:
    """Collects problems while turning one workbook's sheets into records."""

    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def problem(
        self,
        message: str,
        sheet: str = "",
        cell: str = "",
        header: str = "",
        value: object = None,
        severity: str = ERROR,
    ) -> None:
        """Record a problem at its place."""
        shown = "" if value is None else _shown(value)
        self.problems.append(Problem(message, sheet, cell, header, shown, severity))

    def find_sheets(self) -> dict[str, Sheet]:
        """Return {sheet key: Sheet} for each known sheet, reporting unknown, repeated and missing ones."""
        found: dict[str, Sheet] = {}
        for sheet in self.raw.sheets:
            spec = next((s for s in ALL_SHEETS if fold(sheet.title) in _names(s)), None)
            if spec is None and fold(sheet.title) in QUIET_SHEETS:
                continue
            if spec is None:
                if sheet.rows:
                    self.problem(
                        _("unknown sheet, ignored (known: {sheets})").format(
                            sheets=_(", ").join(s.label for s in ALL_SHEETS)
                        ),
                        sheet.title,
                        severity=WARNING,
                    )
                continue
            if spec.key in found:
                self.problem(
                    _("a second {sheet} sheet; the first, '{title}', is used").format(
                        sheet=spec.label, title=quoted(found[spec.key].title)
                    ),
                    sheet.title,
                )
                continue
            found[spec.key] = sheet
            if sheet.truncated:
                self.problem(_("more than {n} rows; split the workbook").format(n=f"{MAX_ROWS:,}"), sheet.title)
        if CLUSTERS.key not in found:
            self.problem(
                _("the workbook has no {sheet} sheet (sheets found: {found})").format(
                    sheet=CLUSTERS.label, found=_(", ").join(quoted(s.title) for s in self.raw.sheets) or _("none")
                )
            )
        return found

    def cell_value(self, sheet: Sheet, cell: Cell, column: Column | None, header: str) -> object:
        """Return the cell's value, or REPORTED after reporting a problem with it."""
        value = cell.value
        if cell.formula and (value is None or sheet.formulas_uncalculated):
            self.problem(
                _("a formula with no calculated value; open the file in Excel or LibreOffice, save it, and try again"),
                sheet.title,
                cell.coord,
                header,
            )
            return REPORTED
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            self.problem(
                _("text of {n} characters, over the {limit} limit").format(
                    n=f"{len(value):,}", limit=f"{MAX_CELL_CHARS:,}"
                ),
                sheet.title,
                cell.coord,
                header,
            )
            return REPORTED
        if (
            isinstance(value, str)
            and value.startswith("#")
            and value.rstrip("!?0/").upper() in ("#REF", "#VALUE", "#DIV", "#NAME", "#N/A", "#NUM", "#NULL")
        ):
            self.problem(_("an Excel error value"), sheet.title, cell.coord, header, value)
            return REPORTED
        return value

    def header_row(self, sheet: Sheet, spec: SheetSpec) -> tuple[int, dict[str, Column]] | None:
        """Return the header's row index in sheet.rows and {column letters: Column}."""
        best = None
        names = set().union(*(_names(col) for col in spec.columns))
        for index, (_row, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            hits = sum(
                1 for c in cells if isinstance(c.value, str) and len(c.value) <= HEADER_CHARS and fold(c.value) in names
            )
            if hits and (best is None or hits > best[1]):
                best = (index, hits)
        if best is None:
            wanted = _(", ").join(c.label for c in spec.columns if c.required)
            self.problem(
                _("no header row found in the first {n} rows; expected the columns {columns}").format(
                    n=HEADER_SEARCH_ROWS, columns=wanted
                ),
                sheet.title,
            )
            return None
        row_no, cells = sheet.rows[best[0]]
        mapping: dict[str, Column] = {}
        seen: dict[str, str] = {}
        for c in cells:
            if not isinstance(c.value, str) or not c.value.strip():
                continue
            key = fold(c.value) if len(c.value) <= HEADER_CHARS else ""
            column = next((col for col in spec.columns if key in _names(col)), None)
            if column is None:
                self.problem(_("unknown column, ignored"), sheet.title, c.coord, value=c.value, severity=WARNING)
            elif column.key in seen:
                self.problem(
                    _("a second {column} column (the first is {cell}); remove one").format(
                        column=column.label, cell=quoted(seen[column.key])
                    ),
                    sheet.title,
                    c.coord,
                    value=c.value,
                )
            else:
                seen[column.key] = c.coord
                mapping[_col_of(c.coord)] = column
        for col in spec.columns:
            if col.required and col.key not in seen:
                self.problem(
                    _("missing required column {column} (header row is row {row})").format(
                        column=col.label, row=row_no
                    ),
                    sheet.title,
                )
        return best[0], mapping

    def table(self, sheet: Sheet, spec: SheetSpec) -> list[Row]:
        """Return every data row, converted as far as it goes; rows with a problem have ok False."""
        found = self.header_row(sheet, spec)
        if found is None:
            return []
        header_index, mapping = found
        headers = mapping
        present = {c.key for c in mapping.values()}
        complete = all(c.key in present for c in spec.columns if c.required)  # else reported already
        out = []
        for row_no, cells in sheet.rows[header_index + 1 :]:
            values: dict[str, Any] = {}
            coords: dict[str, str] = {}
            if all(cv.is_blank(c.value) or c.merged_from for c in cells):
                continue  # empty row (or only the tail of a merged block)
            ok = True
            failed: set[str] = set()
            for c in cells:
                column = headers.get(_col_of(c.coord))
                if column is None:
                    continue
                coords[column.key] = c.coord
                raw = self.cell_value(sheet, c, column, column.ar)
                if raw is REPORTED:
                    failed.add(column.key)  # reported by cell_value
                    ok = False
                    continue
                if cv.is_blank(raw):
                    continue
                try:
                    values[column.key] = plausible(column.convert(raw))
                except cv.ConversionError as exc:
                    self.problem(
                        _("expected {what}").format(what=_(exc.expected)), sheet.title, c.coord, column.ar, raw
                    )
                    failed.add(column.key)
                    ok = False
            for column in headers.values():
                if column.required and column.key not in values and column.key not in failed:
                    letter = next((k for k, v in headers.items() if v is column), "")
                    self.problem(
                        _("required value missing ({column})").format(column=column.label),
                        sheet.title,
                        f"{letter}{row_no}",
                        column.ar,
                    )
                    ok = False
            out.append(Row(row_no, values, coords, ok and complete))
        return out

    def settings(self, sheet: Sheet) -> dict[str, Any]:
        """Return {setting key: converted value} from a key/value sheet, reporting every problem."""
        values: dict[str, Any] = {}
        header_words = {fold(w) for w in ("key", "setting", "المفتاح", "الإعداد", "البند", "value", "القيمة")}
        for _row_no, cells in sheet.rows:
            filled = [c for c in cells if not cv.is_blank(c.value)]
            if not filled or not isinstance(filled[0].value, str):
                continue
            key_cell = filled[0]
            key = fold(str(key_cell.value))
            if key in header_words:
                continue
            column = next((c for c in SETTINGS_KEYS if key in _names(c)), None)
            if column is None:
                self.problem(
                    _("unknown setting, ignored"), sheet.title, key_cell.coord, value=key_cell.value, severity=WARNING
                )
                continue
            rest = filled[1:]
            if not rest:
                continue
            value_cell = rest[0]
            raw = self.cell_value(sheet, value_cell, column, column.ar)
            if raw is REPORTED:
                continue
            try:
                values[column.key] = plausible(column.convert(raw))
            except cv.ConversionError as exc:
                self.problem(
                    _("expected {what}").format(what=_(exc.expected)), sheet.title, value_cell.coord, column.ar, raw
                )
        return values


FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)  # as for dates typed as text
LARGEST = 10**15  # no count or amount in this programme comes near a quadrillion


def plausible(value: object) -> object:
    """Return a converted value, or raise ConversionError for a date or number no document can use.

    A date cell may hold any year from 1 to 9999 and a number cell any size; a year 1800 or 9999
    is a typo, and such values would overflow date arithmetic and formatting further on.
    """
    dates = value if isinstance(value, tuple) else (value,)
    if any(isinstance(d, dt.date) and not FIRST_DATE <= d <= LAST_DATE for d in dates):
        raise cv.ConversionError(_("a date from 1900 to 2199"))
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and not -LARGEST < value < LARGEST:
        raise cv.ConversionError(_("a number below 1,000,000,000,000,000"))
    return value


def _col_of(coord: str) -> str:
    return coord.rstrip("0123456789")
