"""The brief's numeric columns, read from the PDF: decimal separators and last digits line up down each column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reportgen.commands import brief as brief_command
from reportgen.settings import Settings
from tests.conftest import SAMPLES

SETTINGS = Settings(today=dt.date(2026, 11, 19))
DIGITS = {chr(c) for c in range(0x0660, 0x066A)}
DECIMAL, GROUPING, PERCENT = "\u066b", "\u066c", "\u066a"
FIGURE = DIGITS | {DECIMAL, GROUPING, PERCENT}
# Table cells are set at 9 pt (--fs-table) and the annex at 7.6 pt; running text, figures of the summary, captions,
# notes and the axes' figure lines are set at other sizes.
CELL_SIZES = (9.0, 7.6)
FOLIO_ZONE = 40  # pt above the page's foot: the page number
HEAD_FILL = (0x0F / 255, 0x4C / 255, 0x5C / 255)  # --c-brand, the background of a table's head cells


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("brief-figures") / "brief.pdf"
    brief_command.run(SAMPLES / "clusters.xlsx", out, SETTINGS)
    return out


def numbers(page) -> list[list[dict]]:
    """Return the numbers set in table cells on a PDF page, each as its characters from left to right."""
    chars = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if not any(abs(span["size"] - size) < 0.05 for size in CELL_SIZES):
                    continue
                chars += [
                    {**c, "size": span["size"]}
                    for c in span["chars"]
                    if c["c"] in FIGURE and c["bbox"][3] < page.rect.height - FOLIO_ZONE
                ]
    chars.sort(key=lambda c: (round(c["origin"][1], 1), c["bbox"][0]))
    found: list[list[dict]] = []
    for c in chars:
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
    return found


def columns(page, found: list[list[dict]]) -> list[list[list[dict]]]:
    """Group numbers into columns: a number belongs to the column of the nearest table head above it."""
    heads = [
        d["rect"]
        for d in page.get_drawings()
        if d.get("fill") is not None and max(abs(a - b) for a, b in zip(d["fill"], HEAD_FILL, strict=True)) < 0.01
    ]
    groups: dict[tuple[float, float], list[list[dict]]] = {}
    for n in found:
        baseline, middle = n[0]["origin"][1], (n[0]["bbox"][0] + n[-1]["bbox"][2]) / 2
        above = [r for r in heads if r.y1 < baseline and r.x0 <= middle <= r.x1]
        if above:
            head = max(above, key=lambda r: r.y1)
            groups.setdefault((round(head.y0, 1), round(head.x0, 1)), []).append(n)
    return [g for g in groups.values() if len(g) >= 2]


def last_digit_edge(n: list[dict]) -> float:
    return max(c["bbox"][2] for c in n if c["c"] in DIGITS)


def text(n: list[dict]) -> str:
    return "".join(c["c"] for c in n)


def test_numeric_columns_line_up_on_their_separators_and_last_digits(national):
    import pymupdf

    checked = {"decimal": 0, "percent": 0}
    with pymupdf.open(national) as doc:
        for page in doc:
            for column in columns(page, numbers(page)):
                where = f"page {page.number + 1}: " + " / ".join(text(n) for n in column)
                edges = [last_digit_edge(n) for n in column]
                assert max(edges) - min(edges) <= 0.5, f"last digits not aligned, {where}"
                separators = [(c["bbox"][0] + c["bbox"][2]) / 2 for n in column for c in n if c["c"] == DECIMAL]
                if separators:
                    assert len(separators) == len(column), f"not one number of decimals for the column, {where}"
                    assert max(separators) - min(separators) <= 0.5, f"decimal separators not aligned, {where}"
                    checked["decimal"] += 1
                if any(c["c"] == PERCENT for n in column for c in n):
                    checked["percent"] += 1
    # the progress table's three budget columns, and the share, women and export columns of the groups and annex
    assert checked["decimal"] >= 3 and checked["percent"] >= 3, checked
