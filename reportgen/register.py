"""The certificate register: one spreadsheet row per dossier a run issued."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .documents.dossier import Dossier
from .reference import DECISIONS
from .workbook import SheetOut, write_workbook

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


def write(folder: Path, dossiers: list[Dossier]) -> Path:
    """Write the register of dossiers into folder (atomically) and return its path."""
    return write_to(Path(folder) / FILE_NAME, dossiers)


def write_to(path: Path, dossiers: list[Dossier]) -> Path:
    """Write the register of dossiers to path (atomically) and return it.

    The workbook is dated by its content (the latest issue date), so the same dossiers give the same bytes.
    """
    write_workbook(path, [sheet(dossiers)], stamp=stamp(dossiers))
    return path


def stamp(dossiers: list[Dossier]) -> dt.datetime | None:
    """Return the register's date: midnight (UTC) of the latest issue date among the dossiers."""
    latest = max((d.issue_date for d in dossiers), default=None)
    return dt.datetime.combine(latest, dt.time(0), tzinfo=dt.UTC) if latest else None
