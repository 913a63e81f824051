"""Workbooks as a spreadsheet program writes them: each test workbook re-saved by LibreOffice Calc reads the same."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from reportgen.commands import brief as brief_command
from reportgen.commands import common
from reportgen.settings import Settings
from tests.pdftext import pages_text

NAMES = ["small", "clusters", "dossier", "handout"]


def validate(path) -> tuple[int, str, list[str]]:
    """Return `reportgen validate PATH`'s exit code, its summary without the path, and its problem lines."""
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "validate", str(path)], capture_output=True, text=True, timeout=300
    )
    lines = done.stdout.splitlines()
    summary = [line for line in lines if line.startswith(f"{path}: ")]
    assert len(summary) == 1, done.stdout + done.stderr
    return done.returncode, summary[0].removeprefix(f"{path}: "), [line for line in lines if line not in summary]


@pytest.mark.parametrize("name", NAMES)
def test_validate_reads_the_same_counts_and_no_new_problems(libreoffice_saved, name):
    original, resaved = libreoffice_saved[name]
    code, summary, problems = validate(original)
    assert "clusters" in summary and " 0 error(s)" in summary
    assert validate(resaved) == (code, summary, problems)


@pytest.mark.parametrize("name", NAMES)
def test_the_records_are_the_same(libreoffice_saved, name):
    original, resaved = libreoffice_saved[name]
    first, again = (common.load(path, Settings()).dataset for path in (original, resaved))
    assert first.clusters and dataclasses.replace(again, workbook_dir=first.workbook_dir) == first


def test_the_brief_renders_from_the_sample_as_libreoffice_saved_it(libreoffice_saved, tmp_path):
    original, resaved = libreoffice_saved["small"]
    outputs = {}
    for label, path in (("original", original), ("resaved", resaved)):
        outputs[label] = tmp_path / f"{label}.pdf"
        brief_command.run(path, outputs[label], Settings())
    assert pages_text(outputs["resaved"]) == pages_text(outputs["original"])
