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

NAMES = ["small", "clusters", "dossier", "handout", "starter"]


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


def test_the_starter_workbooks_drop_downs_still_refuse_wrong_values_once_libreoffice_saved_it(libreoffice_saved):
    """`reportgen init`'s drop-downs: a closed list refuses other values (a stop alert), the sector list warns."""
    import openpyxl

    for path in libreoffice_saved["starter"]:
        sheet = openpyxl.load_workbook(path)["التجمعات"]
        rules = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
        governorate, sector = rules["C2"], rules["E2"]
        assert governorate.type == sector.type == "list"
        assert governorate.showErrorMessage and governorate.errorStyle in (None, "stop"), path
        assert sector.showErrorMessage and sector.errorStyle == "warning", path
        assert "اختر قيمة من القائمة" in governorate.error
        note = sheet["A1"].comment.text.splitlines()  # the header's comment: Arabic, the English beside it
        assert note[:2] == ["الرمز — id", "إلزامي (required)"], note
