"""The certificate register: one spreadsheet row per dossier a run issued."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from reportgen.input.xlsx import SheetOut, workbook_bytes
from reportgen.model.reference import DECISIONS

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
]
NOTES = {
    "رقم الشهادة": "certificate number (last character: ISO 7064 MOD 37,36 check)",
    "القرار": "decision on the certificate (the certifying body's when typed, else the rule's)",
    "الدرجة الكلية": "overall score: weighted mean of the assessed criteria (0-100)",
    "البصمة (SHA-256)": "SHA-256 of the record embedded in the PDF; `reportgen verify` recomputes it",
}
WIDTHS = {
    "رقم الشهادة": 26,
    "التجمع": 30,
    "العلامة التجارية": 24,
    "البصمة (SHA-256)": 70,
    "الملف": 18,
}
DATE_FORMAT = "yyyy-mm-dd"


def row(d: Dossier) -> list[object]:
    """Return a dossier's register row."""
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
    ]


def sheet(dossiers: list[Dossier]) -> SheetOut:
    """Return the register sheet (RTL, header, filters, frozen header, text never run as a formula)."""
    return SheetOut(
        "سجل الشهادات",
        HEADERS,
        [row(d) for d in dossiers],
        notes=NOTES,
        widths=WIDTHS,
        number_formats={
            "تاريخ الإصدار": DATE_FORMAT,
            "صالحة حتى": DATE_FORMAT,
            "الدرجة الكلية": "0.0",
        },
    )


def workbook(dossiers: list[Dossier]) -> bytes:
    """Return the register of dossiers as an .xlsx file.

    The workbook is dated by its content (the latest issue date), so the same dossiers give the same bytes.
    """
    return workbook_bytes([sheet(dossiers)], stamp=stamp(dossiers))


def stamp(dossiers: list[Dossier]) -> dt.datetime:
    """Return the register's date: midnight (UTC) of the latest issue date among the dossiers."""
    latest = max((d.issue_date for d in dossiers), default=None)
    return dt.datetime.combine(latest or dt.date(1980, 1, 1), dt.time(0), tzinfo=dt.UTC)
