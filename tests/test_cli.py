"""The command line as a user runs it: exit codes, messages, files, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import SAMPLES, cluster_row


def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """Run `reportgen ARGS` in a fresh interpreter and return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, input=input, timeout=300
    )


def test_init_then_validate_then_brief(tmp_path):
    r = run("init", str(tmp_path / "prog"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "prog" / "workbook.xlsx").is_file() and (tmp_path / "prog" / "reportgen.toml").is_file()
    r = run("init", str(tmp_path / "prog"))
    assert r.returncode == 1 and "already exist" in r.stderr
    r = run("validate", str(tmp_path / "prog" / "workbook.xlsx"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "3 clusters" in r.stdout
    r = run(
        "brief",
        str(tmp_path / "prog" / "workbook.xlsx"),
        "-o",
        str(tmp_path / "b.pdf"),
        "--config",
        str(tmp_path / "prog" / "reportgen.toml"),
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")


def test_samples_validate_clean():
    for name in ("clusters.xlsx", "small.xlsx"):
        r = run("validate", str(SAMPLES / name))
        assert r.returncode == 0, r.stdout


def test_sample_brief_regional(tmp_path):
    out = tmp_path / "upper.pdf"
    r = run("brief", str(SAMPLES / "clusters.xlsx"), "--region", "Upper Egypt", "-o", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and out.stat().st_size > 10_000


def test_invalid_workbook_exit_1_with_location(make_workbook, basic_sheets, tmp_path):
    basic_sheets["clusters"][2] = cluster_row(2, enterprises="ثلاثون")
    path = make_workbook(basic_sheets)
    r = run("validate", str(path))
    assert r.returncode == 1
    assert 'clusters!G3 (عدد المنشآت): expected a whole number (0 or more), got "ثلاثون"' in r.stdout
    r = run("brief", str(path), "-o", str(tmp_path / "x.pdf"))
    assert r.returncode == 1 and "nothing was written" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("brief",),
        ("brief", "x.xlsx"),
        ("brief", "x.xlsx", "-o", "x.pdf", "--digits", "roman"),
        ("nonsense",),
    ],
)
def test_usage_errors_exit_2(args):
    r = run(*args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"not a workbook", "not an .xlsx workbook"),
    ],
)
def test_unreadable_input(tmp_path, content, message):
    path = tmp_path / "in.xlsx"
    if content is not None:
        path.write_bytes(content)
    r = run("brief", str(path), "-o", str(tmp_path / "o.pdf"))
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr


def test_help_lists_commands():
    r = run("--help")
    assert r.returncode == 0
    for command in ("init", "validate", "brief"):
        assert command in r.stdout
