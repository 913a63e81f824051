"""The command line in the user's language: Arabic with an Arabic locale or --lang ar, English otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen import i18n
from reportgen.cli import cli
from reportgen.commands import executors
from reportgen.errors import FSI, PDI
from tests.conftest import SAMPLES
from tests.hostile_corpus import valid_sheets, write_xlsx

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# What `validate` says of the bad workbook below, in each language.
ARABIC_G3 = (
    f"خطأ: {FSI}clusters!G3{PDI} ({FSI}عدد المنشآت{PDI}): المطلوب عدد صحيح (صفر أو أكثر)، "
    f"والقيمة الموجودة «{FSI}ثلاثون{PDI}»"
)
ENGLISH_G3 = 'error: clusters!G3 (عدد المنشآت): expected a whole number (0 or more), got "ثلاثون"'


def _bad(folder: Path) -> Path:
    """A workbook with a count typed in words and an intervention naming no cluster."""
    sheets = valid_sheets()
    sheets["clusters"][2][6] = "ثلاثون"
    sheets["interventions"][1][0] = "EG-XX-999"
    return write_xlsx(folder / "bad.xlsx", sheets)


def _run(*args: str, **locale: str) -> subprocess.CompletedProcess:
    """Run reportgen as a program with only the given locale variables set."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        env={**env, **locale},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_an_arabic_locale_prints_arabic_problems(tmp_path):
    workbook = _bad(tmp_path)
    done = _run("validate", str(workbook), LANG="ar_EG.UTF-8")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == ARABIC_G3
    assert lines[1].startswith(f"خطأ: {FSI}interventions!A2{PDI}") and "لا يوجد تجمع بهذا الرمز" in lines[1]
    assert lines[2] == (
        f"المصنف {FSI}{workbook}{PDI}: تجمعان، تدخل واحد، معياران مقيَّمان، شهادة واحدة، جلسة واحدة؛ خطآن، لا تنبيهات"
    )
    assert "ملف الإعدادات: لا يوجد ملف reportgen.toml" in done.stderr
    assert "expected" not in done.stdout and "error" not in done.stdout


@pytest.mark.parametrize("args", [["--lang", "ar", "validate", "{wb}"], ["validate", "{wb}", "--lang=ar"]])
def test_lang_ar_prints_arabic_whatever_the_locale(tmp_path, args):
    workbook = str(_bad(tmp_path))
    done = _run(*(a.format(wb=workbook) for a in args), LANG="en_US.UTF-8")
    assert done.returncode == 1 and done.stdout.splitlines()[0] == ARABIC_G3


@pytest.mark.parametrize(
    "locale",
    [{}, {"LANG": "C.UTF-8"}, {"LANG": "fr_FR.UTF-8"}, {"LANG": "ar_EG.UTF-8", "LC_ALL": "en_GB.UTF-8"}],
)
def test_english_otherwise(tmp_path, locale):
    done = _run("validate", str(_bad(tmp_path)), **locale)
    assert done.returncode == 1 and done.stdout.splitlines()[0] == ENGLISH_G3
    assert FSI not in done.stdout + done.stderr


def test_lang_en_wins_over_an_arabic_locale(tmp_path):
    done = _run("--lang", "en", "validate", str(_bad(tmp_path)), LANGUAGE="ar:en", LANG="ar_EG.UTF-8")
    assert done.stdout.splitlines()[0] == ENGLISH_G3


def test_language_list_and_lc_all_are_read_as_gettext_reads_them(tmp_path):
    workbook = str(_bad(tmp_path))
    assert _run("validate", workbook, LANGUAGE="ar:en", LANG="en_US.UTF-8").stdout.startswith("خطأ: ")
    assert _run("validate", workbook, LC_ALL="ar_EG.UTF-8", LANG="en_US.UTF-8").stdout.startswith("خطأ: ")


def test_help_and_clicks_own_words_are_arabic():
    runner = CliRunner()
    top = runner.invoke(cli, ["--lang", "ar", "--help"])
    assert top.exit_code == 0
    assert top.output.startswith("الاستخدام: ") and "\nالخيارات:\n" in top.output and "\nالأوامر:\n" in top.output
    assert "موجز الاستراتيجية" in top.output and "عرض هذه التعليمات والخروج." in top.output
    sub = runner.invoke(cli, ["brief", "--help"], env={"LANGUAGE": "", "LC_ALL": "", "LANG": "ar_EG.UTF-8"})
    assert "إعداد موجز الاستراتيجية من المصنف WORKBOOK" in sub.output and "[إلزامي]" in sub.output
    assert "لغة الرسائل والتعليمات" in sub.output  # --lang, accepted after the command too
    wrong = runner.invoke(cli, ["--lang", "ar", "validate", "--nope"])
    assert wrong.exit_code == 2 and "خطأ: لا يوجد خيار باسم '--nope'." in wrong.output
    assert runner.invoke(cli, ["--lang", "ar", "--version"]).output.startswith("reportgen، الإصدار ")
    english = runner.invoke(cli, ["--help"], env={"LANGUAGE": "", "LC_ALL": "", "LANG": "C.UTF-8"})
    assert english.output.startswith("Usage: ") and "\nOptions:\n" in english.output
    assert i18n.current() == "en"  # a run's language does not outlive it


def test_values_from_the_workbook_are_escaped_before_they_are_isolated(tmp_path):
    """A cell's own bidi controls are shown as escapes; the isolates around it are reportgen's, balanced."""
    sheets = valid_sheets()
    # An unknown column whose header carries bidi controls (a copy: the header list is shared).
    sheets["clusters"][0] = [*sheets["clusters"][0], "ملاحظات\u202e\u2069"]
    workbook = write_xlsx(tmp_path / "hostile.xlsx", sheets)
    result = CliRunner().invoke(cli, ["--lang", "ar", "validate", str(workbook)])
    (line,) = [line for line in result.output.splitlines() if "عمود غير معروف" in line]
    assert "\u202e" not in line and "\\u202e" in line and "\\u2069" in line
    assert line.count(FSI) == line.count(PDI) == 2  # the place and the value
    assert line == (
        f"تنبيه: {FSI}clusters!M1{PDI}: عمود غير معروف، لن يُقرأ، والقيمة الموجودة «{FSI}ملاحظات\\u202e\\u2069{PDI}»"
    )


def test_a_missing_clusters_sheet_is_one_problem(tmp_path):
    sheets = valid_sheets()
    del sheets["clusters"]
    result = CliRunner().invoke(cli, ["validate", str(write_xlsx(tmp_path / "no-clusters.xlsx", sheets))])
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert result.exit_code == 1
    assert errors == [
        "error: the workbook has no clusters / التجمعات sheet "
        "(sheets found: settings, interventions, assessments, certifications, programme)"
    ]


def test_an_empty_clusters_sheet_is_one_problem_per_sheet_naming_clusters(tmp_path):
    sheets = valid_sheets()
    sheets["clusters"] = sheets["clusters"][:1]  # the header only
    result = CliRunner().invoke(cli, ["validate", str(write_xlsx(tmp_path / "empty.xlsx", sheets))])
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [
        "error: interventions: 1 row names a cluster, but the clusters sheet lists none",
        "error: assessments: 2 rows name clusters, but the clusters sheet lists none",
        "error: certifications: 1 row names a cluster, but the clusters sheet lists none",
    ]


def _toml(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "reportgen.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_settings_file_beside_the_workbook_is_used_and_named(tmp_path, monkeypatch):
    beside = _toml(tmp_path / "programme", '[reportgen]\ndigits = "latin"\n')
    workbook = write_xlsx(beside.parent / "wb.xlsx", valid_sheets())
    _toml(tmp_path / "elsewhere", "[reportgen]\nnot_a_setting = 1\n")  # read, it would be an error
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = CliRunner().invoke(cli, ["validate", str(workbook)])
    assert result.exit_code == 0, result.output
    assert f"settings: {beside}\n" in result.output
    arabic = CliRunner().invoke(cli, ["--lang", "ar", "validate", str(workbook)])
    assert f"ملف الإعدادات: {FSI}{beside}{PDI}\n" in arabic.output


def test_the_settings_file_of_the_current_folder_comes_next(tmp_path, monkeypatch):
    workbook = write_xlsx(tmp_path / "wb.xlsx", valid_sheets())
    here = _toml(tmp_path / "here", "[reportgen]\nnot_a_setting = 1\n")
    monkeypatch.chdir(here.parent)
    result = CliRunner().invoke(cli, ["validate", str(workbook)])
    assert result.exit_code == 1 and f"{here}: unknown setting [reportgen] not_a_setting" in result.output


def test_no_settings_file_is_said(tmp_path):
    workbook = write_xlsx(tmp_path / "wb.xlsx", valid_sheets())
    result = CliRunner().invoke(cli, ["validate", str(workbook)])
    assert "settings: no reportgen.toml beside the workbook or in the current folder; the defaults are used" in (
        result.output
    )
    assert "settings:" not in CliRunner().invoke(cli, ["validate", "-q", str(workbook)]).output


def test_brief_in_arabic_shows_its_stages_and_adds_pdf_to_the_name(tmp_path):
    done = _run("--lang", "ar", "brief", str(SAMPLES / "small.xlsx"), "-o", str(tmp_path / "موجز"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "موجز.pdf").is_file() and not (tmp_path / "موجز").exists()
    stages = [line for line in done.stderr.splitlines() if line.startswith("brief: ")]
    assert [s.split(" ")[1] for s in stages] == ["قراءة", "تنسيق", "كتابة"]
    assert done.stdout == f"كُتب الملف {FSI}{tmp_path / 'موجز.pdf'}{PDI}\n"


def test_an_output_with_another_extension_is_refused_before_anything_is_read(tmp_path):
    result = CliRunner().invoke(cli, ["--lang", "ar", "handout", str(SAMPLES / "small.xlsx"), "-o", "كتيب.docx"])
    assert result.exit_code == 1 and not list(tmp_path.iterdir())
    assert f"{FSI}كتيب.docx{PDI}: reportgen يكتب مستندات PDF؛ اكتب اسمًا للناتج ينتهي بـ .pdf" in result.output


def test_verify_gives_its_verdict_in_arabic(tmp_path):
    fake = tmp_path / "شهادة.pdf"
    fake.write_bytes(b"%PDF-1.4 not a dossier")
    result = CliRunner().invoke(cli, ["--lang", "ar", "verify", str(fake)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{FSI}{fake}{PDI}: لم يجتز التحقق: ليس ملف PDF يمكن قراءته (")


def test_dossiers_asked_again_in_arabic_say_their_warnings_in_arabic_without_rendering_again(tmp_path):
    import openpyxl

    from reportgen.input.starter import starter_files

    workbook = tmp_path / "workbook.xlsx"
    workbook.write_bytes(starter_files()["workbook.xlsx"])
    book = openpyxl.load_workbook(workbook)
    sheet = book["منح الشهادة"]
    column = next(c.column for c in sheet[1] if c.value == "المواصفة")
    sheet.cell(row=2, column=column, value="ES 7000")  # no edition: a warning
    book.save(workbook)
    args = ["dossiers", str(workbook), "-o", str(tmp_path / "out"), "--unsigned"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0 and "the standard's edition is missing" in first.output, first.output
    (made,) = (tmp_path / "out").glob("*.pdf")
    before = made.stat().st_mtime_ns
    again = CliRunner().invoke(cli, ["--lang", "ar", *args])
    assert again.exit_code == 0, again.output
    assert "تنبيه: " in again.output and "إصدار المواصفة غير مذكور" in again.output
    assert "ملفات منح شهادة" not in again.output and "إعداد ملف" not in again.output  # nothing rendered
    assert made.stat().st_mtime_ns == before and "محدَّث" in again.output


def spoken(_item: object) -> str:
    """A worker's task: the word 'error' in the worker's language."""
    return i18n._("error")


def _no_setup() -> None:
    """Nothing to set up."""


def test_worker_processes_speak_the_runs_language():
    work = executors.Work(setup=_no_setup, setup_args=(), task=spoken, limits=executors.Limits(60, 4096))
    with i18n.language("ar"):
        assert list(executors.run(["x"], work, jobs=1)) == ["خطأ"]
    assert list(executors.run(["x"], work, jobs=1)) == ["error"]
    # A Dask worker is told the language with each task.
    assert executors._on_worker(_no_setup, (), "token", spoken, "x", None, "ar") == "خطأ"
    assert i18n.current() == "en"
