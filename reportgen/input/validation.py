"""PARSE: raw sheets → typed records plus every problem, located; the edge past which values are trusted."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportgen.input import converters as cv
from reportgen.input.columns import (
    ALL_SHEETS,
    ASSESSMENTS,
    CERTIFICATIONS,
    CLUSTERS,
    INTERVENTIONS,
    PROGRAMME,
    SETTINGS,
    SETTINGS_KEYS,
    Column,
    SheetSpec,
)
from reportgen.input.xlsx import MAX_CELL_CHARS, MAX_ROWS, Cell, RawWorkbook, Sheet
from reportgen.model.arabic import fold
from reportgen.model.problems import ERROR, WARNING, Problem
from reportgen.model.records import (
    Assessment,
    Certification,
    Cluster,
    Dataset,
    Intervention,
    Session,
    Source,
    WorkbookSettings,
)

HEADER_SEARCH_ROWS = 30  # a header row may sit below a title block this deep
HEADER_CHARS = 200  # longer text is not a header (and folding 10 MB of it would take seconds)
QUIET_SHEETS = {fold(n) for n in ("lists", "القوائم", "readme", "اقرأني", "notes", "ملاحظات")}
REPORTED = object()  # a cell whose problem is already reported


@dataclass
class Parsed:
    """The outcome of validation: the dataset (possibly partial) and every problem."""

    dataset: Dataset
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that block rendering."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Return the problems that are only warnings."""
        return [p for p in self.problems if not p.is_error]


def _names(item: Column | SheetSpec) -> set[str]:
    aliases = getattr(item, "aliases", ())
    return {fold(n) for n in (item.key, item.en, item.ar, *aliases)}


def _shown(value: object) -> str:
    return cv.to_text(value) if not isinstance(value, str) else value.strip()


@dataclass(frozen=True)
class Row:
    """A data row: its number, converted values and their cells, and whether it is free of errors."""

    number: int
    values: dict[str, object]
    coords: dict[str, str]
    ok: bool

    def __iter__(self):
        return iter((self.number, self.values, self.coords))


class _Reader:
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
        shown = "" if value is None else _shown(value)
        self.problems.append(Problem(message, sheet, cell, header, shown, severity))

    def find_sheets(self) -> dict[str, Sheet]:
        found: dict[str, Sheet] = {}
        for sheet in self.raw.sheets:
            spec = next((s for s in ALL_SHEETS if fold(sheet.title) in _names(s)), None)
            if spec is None and fold(sheet.title) in QUIET_SHEETS:
                continue
            if spec is None:
                if sheet.rows:
                    self.problem(
                        f"unknown sheet, ignored (known: {', '.join(s.label for s in ALL_SHEETS)})",
                        sheet.title,
                        severity=WARNING,
                    )
                continue
            if spec.key in found:
                self.problem(f"a second {spec.label} sheet; the first, '{found[spec.key].title}', is used", sheet.title)
                continue
            found[spec.key] = sheet
            if sheet.truncated:
                self.problem(f"more than {MAX_ROWS:,} rows; split the workbook", sheet.title)
        if CLUSTERS.key not in found:
            self.problem(
                f"the workbook has no {CLUSTERS.label} sheet (sheets found: "
                f"{', '.join(s.title for s in self.raw.sheets) or 'none'})"
            )
        return found

    def cell_value(self, sheet: Sheet, cell: Cell, column: Column | None, header: str) -> object:
        """Return the cell's value, or REPORTED after reporting a problem with it."""
        value = cell.value
        if cell.formula and (value is None or sheet.formulas_uncalculated):
            self.problem(
                "a formula with no calculated value; open the file in Excel or LibreOffice, save it, and try again",
                sheet.title,
                cell.coord,
                header,
            )
            return REPORTED
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            self.problem(
                f"text of {len(value):,} characters, over the {MAX_CELL_CHARS:,} limit", sheet.title, cell.coord, header
            )
            return REPORTED
        if (
            isinstance(value, str)
            and value.startswith("#")
            and value.rstrip("!?0/").upper() in ("#REF", "#VALUE", "#DIV", "#NAME", "#N/A", "#NUM", "#NULL")
        ):
            self.problem("an Excel error value", sheet.title, cell.coord, header, value)
            return REPORTED
        return value

    def header_row(self, sheet: Sheet, spec: SheetSpec) -> tuple[int, dict[int, Column]] | None:
        """Return the header's row index in sheet.rows and {column letter index: Column}."""
        best = None
        names = set().union(*(_names(col) for col in spec.columns))
        for index, (_, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            hits = sum(
                1 for c in cells if isinstance(c.value, str) and len(c.value) <= HEADER_CHARS and fold(c.value) in names
            )
            if hits and (best is None or hits > best[1]):
                best = (index, hits)
        if best is None:
            wanted = ", ".join(c.label for c in spec.columns if c.required)
            self.problem(
                f"no header row found in the first {HEADER_SEARCH_ROWS} rows; expected the columns {wanted}",
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
                self.problem("unknown column, ignored", sheet.title, c.coord, value=c.value, severity=WARNING)
            elif column.key in seen:
                self.problem(
                    f"a second {column.label} column (the first is {seen[column.key]}); remove one",
                    sheet.title,
                    c.coord,
                    value=c.value,
                )
            else:
                seen[column.key] = c.coord
                mapping[_col_of(c.coord)] = column
        for col in spec.columns:
            if col.required and col.key not in seen:
                self.problem(f"missing required column {col.label} (header row is row {row_no})", sheet.title)
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
            values: dict[str, object] = {}
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
                    self.problem(f"expected {exc.expected}", sheet.title, c.coord, column.ar, raw)
                    failed.add(column.key)
                    ok = False
            for column in headers.values():
                if column.required and column.key not in values and column.key not in failed:
                    letter = next((k for k, v in headers.items() if v is column), "")
                    self.problem(
                        f"required value missing ({column.label})", sheet.title, f"{letter}{row_no}", column.ar
                    )
                    ok = False
            out.append(Row(row_no, values, coords, ok and complete))
        return out


FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)  # as for dates typed as text
LARGEST = 10**15  # no count or amount in this programme comes near a quadrillion


def plausible(value: object) -> object:
    """Return a converted value, or raise ConversionError for a date or number no document can use.

    A date cell may hold any year from 1 to 9999 and a number cell any size; a year 1800 or 9999
    is a typo, and such values would overflow date arithmetic and formatting further on.
    """
    dates = value if isinstance(value, tuple) else (value,)
    if any(isinstance(d, dt.date) and not FIRST_DATE <= d <= LAST_DATE for d in dates):
        raise cv.ConversionError("a date from 1900 to 2199")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and abs(value) >= LARGEST:
        raise cv.ConversionError("a number below 1,000,000,000,000,000")
    return value


def _col_of(coord: str) -> str:
    return coord.rstrip("0123456789")


def _read_settings(reader: _Reader, sheet: Sheet | None) -> WorkbookSettings:
    values: dict[str, object] = {}
    if sheet is None:
        return WorkbookSettings()
    header_words = {fold(w) for w in ("key", "setting", "المفتاح", "الإعداد", "البند", "value", "القيمة")}
    for _row_no, cells in sheet.rows:
        filled = [c for c in cells if not cv.is_blank(c.value)]
        if not filled or not isinstance(filled[0].value, str):
            continue
        key_cell = filled[0]
        if fold(key_cell.value) in header_words:
            continue
        column = next((c for c in SETTINGS_KEYS if fold(key_cell.value) in _names(c)), None)
        if column is None:
            reader.problem(
                "unknown setting, ignored", sheet.title, key_cell.coord, value=key_cell.value, severity=WARNING
            )
            continue
        rest = filled[1:]
        if not rest:
            continue
        value_cell = rest[0]
        raw = reader.cell_value(sheet, value_cell, column, column.ar)
        if raw is REPORTED:
            continue
        try:
            values[column.key] = plausible(column.convert(raw))
        except cv.ConversionError as exc:
            reader.problem(f"expected {exc.expected}", sheet.title, value_cell.coord, column.ar, raw)
    return WorkbookSettings(**values)


def _build(rows, sheet: Sheet, record_type):
    return [
        record_type(**values, source=Source(sheet.title, row_no, tuple(coords.items())))
        for row_no, values, coords in rows
    ]


def parse(raw: RawWorkbook) -> Parsed:
    """Return every record of the workbook and every problem found, errors and warnings alike."""
    reader = _Reader(raw)
    sheets = reader.find_sheets()
    settings = _read_settings(reader, sheets.get(SETTINGS.key))
    all_rows = {
        spec.key: (reader.table(sheets[spec.key], spec) if spec.key in sheets else [])
        for spec in (CLUSTERS, INTERVENTIONS, ASSESSMENTS, CERTIFICATIONS, PROGRAMME)
    }
    rows = {key: [r for r in found if r.ok] for key, found in all_rows.items()}
    records = {
        "clusters": _clusters(reader, sheets, rows["clusters"]),
        "interventions": _build(rows["interventions"], sheets.get(INTERVENTIONS.key), Intervention),
        "assessments": _build(rows["assessments"], sheets.get(ASSESSMENTS.key), Assessment),
        "certifications": _build(rows["certifications"], sheets.get(CERTIFICATIONS.key), Certification),
        "programme": _programme(rows["programme"], sheets.get(PROGRAMME.key)),
    }
    _check_logo(reader, settings, raw.path, sheets.get(SETTINGS.key))
    known_ids = {r.values["id"] for r in all_rows["clusters"] if "id" in r.values}
    _cross_check(reader, rows, records, sheets, known_ids)
    dataset = Dataset(
        settings=settings,
        workbook_dir=str(Path(raw.path).resolve().parent),
        **{k: tuple(v) for k, v in records.items()},
    )
    return Parsed(dataset, reader.problems)


def _clusters(reader: _Reader, sheets, rows) -> list[Cluster]:
    out: list[Cluster] = []
    first_seen: dict[str, str] = {}
    sheet = sheets.get(CLUSTERS.key)
    for row_no, values, coords in rows:
        cid = values["id"]
        if cid in first_seen:
            reader.problem(
                f"duplicate cluster id (first used at {first_seen[cid]})",
                sheet.title,
                coords["id"],
                CLUSTERS.columns[0].ar,
                cid,
            )
            continue
        first_seen[cid] = coords["id"]
        if values["workers"] < values["enterprises"]:
            reader.problem(
                "fewer workers than enterprises; check the two figures",
                sheet.title,
                coords["workers"],
                "عدد العاملين",
                values["workers"],
                WARNING,
            )
        out.append(Cluster(**values, source=Source(sheet.title, row_no)))
    return out


def _programme(rows, sheet: Sheet | None) -> list[Session]:
    out = []
    for row_no, values, _ in rows:
        day = values.pop("day", "")
        if isinstance(day, dt.date):
            values["day_date"] = day
            day = day.isoformat()
        out.append(Session(day=day, **values, source=Source(sheet.title, row_no)))
    return out


def _check_logo(reader: _Reader, settings: WorkbookSettings, path: Path, sheet: Sheet | None) -> None:
    if not settings.logo:
        return
    base = Path(path).resolve().parent
    target = (base / settings.logo).resolve()  # follows symbolic links: one pointing outside is outside
    where = sheet.title if sheet else ""
    cell = next(
        (
            c.coord
            for _, cells in (sheet.rows if sheet else ())
            for c in cells
            if isinstance(c.value, str) and c.value.strip() == settings.logo
        ),
        "",
    )
    if ":" in settings.logo.split("/")[0] and len(settings.logo.split(":")[0]) > 1:  # http:, file:, data:
        reader.problem(
            "the logo must be a file in the workbook's folder, not a web address", where, cell, "الشعار", settings.logo
        )
    elif not target.is_relative_to(base):
        reader.problem(
            "the logo must be a file in the workbook's folder (or below it)", where, cell, "الشعار", settings.logo
        )
    elif not target.is_file():
        reader.problem("the logo file does not exist beside the workbook", where, cell, "الشعار", settings.logo)
    elif target.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg", ".gif"):
        reader.problem("the logo must be a PNG, JPEG, GIF or SVG image", where, cell, "الشعار", settings.logo)


def _cross_check(reader: _Reader, rows, records, sheets, known_ids) -> None:
    ids = {c.id for c in records["clusters"]}
    titles = {k: s.title for k, s in sheets.items()}
    for key, spec, optional in (
        ("interventions", INTERVENTIONS, True),
        ("assessments", ASSESSMENTS, False),
        ("certifications", CERTIFICATIONS, False),
    ):
        for _row_no, values, coords in rows[key]:
            cid = values.get("cluster_id")
            if cid is None and optional:
                continue
            if cid not in known_ids:
                reader.problem(
                    "no cluster has this id in the clusters sheet",
                    titles[key],
                    coords.get("cluster_id", ""),
                    spec.columns[0].ar,
                    cid,
                )
    by_cluster: dict[str, list[Assessment]] = defaultdict(list)
    for a in records["assessments"]:
        by_cluster[a.cluster_id].append(a)
    audit: dict[str, object] = {}
    seen: dict[str, str] = {}
    for (_row_no, _values, coords), cert in zip(rows["certifications"], records["certifications"], strict=True):
        sheet = titles["certifications"]
        if cert.cluster_id in seen:
            reader.problem(
                f"a second certification row for this cluster (first at {seen[cert.cluster_id]})",
                sheet,
                coords["cluster_id"],
                "رمز التجمع",
                cert.cluster_id,
            )
            continue
        seen[cert.cluster_id] = coords["cluster_id"]
        audit[cert.cluster_id] = cert.audit_date
        if cert.issue_date and cert.issue_date < cert.audit_date:
            reader.problem(
                "the issue date is before the audit date",
                sheet,
                coords["issue_date"],
                "تاريخ الإصدار",
                cert.issue_date.isoformat(),
            )
        if cert.valid_until and cert.valid_until <= (cert.issue_date or cert.audit_date):
            reader.problem(
                "valid until must be after the issue date",
                sheet,
                coords["valid_until"],
                "صالحة حتى",
                cert.valid_until.isoformat(),
            )
        items = by_cluster.get(cert.cluster_id)
        if cert.cluster_id in ids and not items:
            reader.problem(
                "no assessment rows for this certified cluster; its dossier cannot be made",
                sheet,
                coords["cluster_id"],
                "رمز التجمع",
                cert.cluster_id,
                WARNING,
            )
        elif items and sum(a.weight for a in items) <= 0:
            reader.problem(
                "the weights of this cluster's criteria add up to 0",
                sheet,
                coords["cluster_id"],
                "رمز التجمع",
                cert.cluster_id,
            )
    for (_row_no, _values, coords), a in zip(rows["assessments"], records["assessments"], strict=True):
        when = audit.get(a.cluster_id)
        if a.due and when and a.due < when:
            reader.problem(
                f"the due date is before the audit date ({when.isoformat()})",
                titles["assessments"],
                coords["due"],
                "الموعد",
                a.due.isoformat(),
            )
        if a.severity != "none" and not a.corrective_action and not a.closed:
            reader.problem(
                "an open non-conformity without a corrective action",
                titles["assessments"],
                coords.get("corrective_action", coords["severity"]),
                "الإجراء التصحيحي",
                severity=WARNING,
            )
    for (_row_no, _values, coords), s in zip(rows["programme"], records["programme"], strict=True):
        if s.end and s.end <= s.start:
            reader.problem(
                "the session ends before it starts", titles["programme"], coords["end"], "إلى", s.end.strftime("%H:%M")
            )
