"""The certificate register: one spreadsheet row per dossier a run issued."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from reportgen.certification import status
from reportgen.errors import ReportgenError
from reportgen.i18n import _
from reportgen.input.xlsx import SheetOut, workbook_bytes
from reportgen.model.reference import DECISIONS
from reportgen.settings import today as settings_today

if TYPE_CHECKING:  # the register lists planned dossiers; it needs only their fields
    from reportgen.documents.dossier import Dossier

FILE_NAME = "register.xlsx"
HEADERS = [
    "رقم الشهادة",
    "رمز التجمع",
    "التجمع",
    "المحافظة",
    "العلامة التجارية",
    "القرار",
    "الدرجة الكلية",
    "تاريخ الإصدار",
    "صالحة حتى",
    "البصمة (SHA-256)",
    "الملف",
    "الحالة",
]
NOTES = {
    "رقم الشهادة": "certificate number (last character: ISO 7064 MOD 37,36 check)",
    "القرار": "decision on the certificate (the certifying body's when typed, else the rule's)",
    "الدرجة الكلية": "overall score: weighted mean of the assessed criteria (0-100)",
    "البصمة (SHA-256)": "SHA-256 of the record embedded in the PDF; `reportgen verify` recomputes it",
    "الحالة": "status today: valid, suspended, withdrawn, superseded or expired (from status-log.jsonl)",
}
WIDTHS: dict[str, float] = {
    "رقم الشهادة": 26,
    "التجمع": 30,
    "العلامة التجارية": 24,
    "البصمة (SHA-256)": 70,
    "الملف": 18,
    "الحالة": 40,
}
DATE_FORMAT = "yyyy-mm-dd"


def row(d: Dossier, entries: list[status.Entry], today: dt.date) -> list[object]:
    """Return a dossier's register row, its status as the log says today."""
    return [
        d.number,
        d.cluster.id,
        d.cluster.name,
        d.cluster.governorate.name_ar,
        d.cert.brand,
        DECISIONS[d.decision][1],
        round(d.rule.overall, 1),
        d.issue_date,
        d.valid_until,
        d.fingerprint,
        d.file_name,
        status.status_of(d.number, entries, d.decision, d.valid_until, today).arabic(),
    ]


def sheet(dossiers: list[Dossier], entries: list[status.Entry] | None = None, today: dt.date | None = None) -> SheetOut:
    """Return the register sheet (RTL, header, filters, frozen header, text never run as a formula)."""
    when = today or settings_today()
    return _sheet([row(d, entries or [], when) for d in dossiers])


def _sheet(rows: list[list[object]]) -> SheetOut:
    return SheetOut(
        "سجل الشهادات",
        HEADERS,
        rows,
        notes=NOTES,
        widths=WIDTHS,
        number_formats={
            "تاريخ الإصدار": DATE_FORMAT,
            "صالحة حتى": DATE_FORMAT,
            "الدرجة الكلية": "0.0",
        },
    )


def restatus(saved: list[list[object]], entries: list[status.Entry], today: dt.date) -> tuple[SheetOut, dt.datetime]:
    """Return the register read back from its file (rows of values, header first), its status column made anew.

    Used by `suspend`, `withdraw`, `reinstate` and `renew`, which change a certificate's status but not its dossier.
    """
    header = [str(v) for v in saved[0]] if saved else []
    if header[: len(HEADERS) - 1] != HEADERS[:-1]:
        raise ReportgenError(
            _("{name} is not a register this version of reportgen wrote; run `reportgen dossiers`").format(
                name=FILE_NAME
            )
        )
    decisions = {arabic: code for code, (_english, arabic) in DECISIONS.items()}
    rows = []
    for values in saved[1:]:
        cells = (list(values) + [None] * len(HEADERS))[: len(HEADERS)]
        for i in (7, 8):  # openpyxl reads a date cell back as a datetime
            value = cells[i]
            if isinstance(value, dt.datetime):
                cells[i] = value.date()
        until = cells[8] if isinstance(cells[8], dt.date) else None
        cells[-1] = status.status_of(str(cells[0]), entries, decisions.get(str(cells[5]), ""), until, today).arabic()
        rows.append(cells)
    issued = [c[7] for c in rows if isinstance(c[7], dt.date)]
    return _sheet(rows), _stamp_of(max(issued, default=None))


def workbook(dossiers: list[Dossier], entries: list[status.Entry] | None = None, today: dt.date | None = None) -> bytes:
    """Return the register of dossiers as an .xlsx file.

    The workbook is dated by its content (the latest issue date), so the same dossiers give the same bytes.
    """
    return workbook_bytes([sheet(dossiers, entries, today)], stamp=stamp(dossiers))


def workbook_of(sheet_out: SheetOut, when: dt.datetime) -> bytes:
    """Return a register sheet as an .xlsx file dated when."""
    return workbook_bytes([sheet_out], stamp=when)


def stamp(dossiers: list[Dossier]) -> dt.datetime:
    """Return the register's date: midnight (UTC) of the latest issue date among the dossiers."""
    return _stamp_of(max((d.issue_date for d in dossiers), default=None))


def _stamp_of(latest: dt.date | None) -> dt.datetime:
    return dt.datetime.combine(latest or dt.date(1980, 1, 1), dt.time(0), tzinfo=dt.UTC)
