"""The brief's numeric columns, read from the PDF: decimal separators and last digits line up down each column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reportgen.commands import brief as brief_command
from reportgen.settings import Settings
from tests.conftest import SAMPLES

SETTINGS = Settings(today=dt.date(2026, 11, 19))
# the digits, decimal separator, thousands separator and percent sign of each digit style
MARKS = {
    "arabic": ({chr(c) for c in range(0x0660, 0x066A)}, "\u066b", "\u066c", "\u066a"),
    "latin": (set("0123456789"), ".", ",", "%"),
}
# Table cells are set at 9 pt (--fs-table) and the annex at 7.6 pt; running text, figures of the summary, captions,
# notes and the axes' figure lines are set at other sizes.
CELL_SIZES = (9.0, 7.6)
FOLIO_ZONE = 40  # pt above the page's foot: the page number
HEAD_FILL = (0x0F / 255, 0x4C / 255, 0x5C / 255)  # --c-brand, the background of a table's head cells


@pytest.fixture(scope="module", params=sorted(MARKS))
def national(request, tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("brief-figures") / "brief.pdf"
    brief_command.run(SAMPLES / "clusters.xlsx", out, SETTINGS.with_(digits=request.param))
    return out, request.param


def characters(page) -> list[dict]:
    """Return the characters of a PDF page above its folio, each with its span's font size."""
    return [
        {**c, "size": span["size"]}
        for block in page.get_text("rawdict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        for c in span["chars"]
        if c["bbox"][3] < page.rect.height - FOLIO_ZONE and not c["c"].isspace()
    ]


def numbers(chars: list[dict], digits: set[str], marks: set[str]) -> list[list[dict]]:
    """Return the numbers set at a table cell's size, each as its characters from left to right."""
    figures = [
        c for c in chars if c["c"] in digits | marks and any(abs(c["size"] - size) < 0.05 for size in CELL_SIZES)
    ]
    figures.sort(key=lambda c: (round(c["origin"][1], 1), c["bbox"][0]))
    found: list[list[dict]] = []
    for c in figures:
        last = found[-1][-1] if found else None
        same_number = (
            last is not None
            and abs(last["origin"][1] - c["origin"][1]) < 0.1
            and c["bbox"][0] - last["bbox"][2] < 0.3 * c["size"]
        )
        if same_number:
            found[-1].append(c)
        else:
            found.append([c])
    return [n for n in found if any(c["c"] in digits for c in n)]


def columns(page, chars: list[dict], found: list[list[dict]]) -> list[list[list[dict]]]:
    """Group the numbers that fill their cell's line into columns: each goes with the nearest table head above it."""
    heads = [
        d["rect"]
        for d in page.get_drawings()
        if d.get("fill") is not None and max(abs(a - b) for a, b in zip(d["fill"], HEAD_FILL, strict=True)) < 0.01
    ]
    groups: dict[tuple[float, float], list[list[dict]]] = {}
    for n in found:
        baseline, middle = n[0]["origin"][1], (n[0]["bbox"][0] + n[-1]["bbox"][2]) / 2
        above = [r for r in heads if r.y1 < baseline and r.x0 <= middle <= r.x1]
        if not above:
            continue
        head = max(above, key=lambda r: r.y1)
        # a number inside a line of words ("Tier 2", a period's year) is text, not a numeric cell
        beside = [
            c
            for c in chars
            if abs(c["origin"][1] - baseline) < 1
            and head.x0 <= (c["bbox"][0] + c["bbox"][2]) / 2 <= head.x1
            and not any(c is d for d in n)
        ]
        if not beside:
            groups.setdefault((round(head.y0, 1), round(head.x0, 1)), []).append(n)
    return [g for g in groups.values() if len(g) >= 2]


def last_digit_edge(n: list[dict], digits: set[str]) -> float:
    return max(c["bbox"][2] for c in n if c["c"] in digits)


def text(n: list[dict]) -> str:
    return "".join(c["c"] for c in n)


def test_numeric_columns_line_up_on_their_separators_and_last_digits(national):
    import pymupdf

    pdf, style = national
    digits, decimal, grouping, percent = MARKS[style]
    # A Latin percentage ends in its % (34%): the sign is what lines up, and a bold total's wider % (0.6 pt) would
    # move its digits. An Arabic one ends in its last digit (٪٣٤), which must line up.
    ends = digits | {percent} if style == "latin" else digits
    checked = {"decimal": 0, "percent": 0}
    with pymupdf.open(pdf) as doc:
        for page in doc:
            chars = characters(page)
            for column in columns(page, chars, numbers(chars, digits, {decimal, grouping, percent})):
                where = f"page {page.number + 1}: " + " / ".join(text(n) for n in column)
                edges = [last_digit_edge(n, ends) for n in column]
                assert max(edges) - min(edges) <= 0.5, f"last digits not aligned, {where}"
                separators = [(c["bbox"][0] + c["bbox"][2]) / 2 for n in column for c in n if c["c"] == decimal]
                if separators:
                    assert len(separators) == len(column), f"not one number of decimals for the column, {where}"
                    assert max(separators) - min(separators) <= 0.5, f"decimal separators not aligned, {where}"
                    checked["decimal"] += 1
                if any(c["c"] == percent for n in column for c in n):
                    checked["percent"] += 1
    # the progress table's three budget columns, and the share, women and export columns of the groups and annex
    assert checked["decimal"] >= 3 and checked["percent"] >= 3, checked
