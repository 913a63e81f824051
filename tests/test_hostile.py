"""The hostile corpus through every command, as a user runs it: a located message, exit 1, bounded cost.

Each bad workbook of tests/hostile_corpus.py goes to `validate` and to every rendering command the
CLI has, each in a fresh process started by a small launcher that reports the child's own peak
memory and time (the launcher is tiny, so the child's peak is not inflated by pytest's own size).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.cli import UNEXPECTED, cli
from reportgen.input import converters as cv
from tests.hostile_corpus import CASES, INVISIBLE, PRESENTATION_NAME

# Limits every run must stay within (README, "Limits and safety"); measured peaks are far lower.
SECONDS = 30  # processor seconds for any input, validate or render, on a 2-core machine
LOADED = 10  # wall-clock slack for a machine whose every core is busy (tools/loaded-test): a runaway backstop
SECONDS_BIG = 60  # the inputs at the size limits (a million rows, a 10 MB cell, a 51 MB file)
PEAK_MB = 600  # resident memory of the reportgen process (and its workers)
ADDRESS_SPACE = 4 << 30  # a hard cap in the child, so a runaway fails instead of swapping

# How each rendering command is asked to write into a run's folder.
RENDERING = {
    "brief": lambda out: ["-o", str(out / "brief.pdf")],
    "dossiers": lambda out: ["-o", str(out / "dossiers"), "--jobs", "1", "--unsigned"],
    "handout": lambda out: ["-o", str(out / "handout.pdf")],
}
COMMANDS = ["validate", *(c for c in RENDERING if c in cli.commands)]

LAUNCHER = """
import json, os, resource, sys, time
report, limit, *args = sys.argv[1:]
start = time.monotonic()
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
    os.execv(sys.executable, [sys.executable, "-m", "reportgen", *args])
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as fh:
    json.dump({"exit": os.waitstatus_to_exitcode(status), "seconds": usage.ru_utime + usage.ru_stime,
               "wall": time.monotonic() - start, "peak_mb": usage.ru_maxrss / 1024}, fh)
"""


@dataclass
class Run:
    """A finished command: exit code, output, processor time (its workers' included) and peak memory.

    Processor time, not wall-clock time: the bound is on the work an input can cause, which a busy machine
    does not change; the wall clock only stops a runaway (LOADED times the bound).
    """

    exit: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_measured(args: list[str], cwd: Path, timeout: float) -> Run:
    """Run `reportgen ARGS` in cwd under the launcher; kill it and fail past timeout seconds."""
    report = cwd / ".measure.json"
    with (cwd / ".stdout").open("w+b") as out, (cwd / ".stderr").open("w+b") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, str(report), str(ADDRESS_SPACE), *args],
            cwd=cwd,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=timeout * LOADED)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"reportgen {' '.join(args)} ran past {timeout * LOADED} s of wall-clock time")
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    measured = json.loads(report.read_text())
    return Run(measured["exit"], stdout, stderr, measured["seconds"], measured["peak_mb"])


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """Return a function building a corpus case once per session and returning its workbook."""
    root = tmp_path_factory.mktemp("corpus")
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            folder = root / name
            folder.mkdir()
            built[name] = CASES[name].build(folder)
        return built[name]

    return get


def _command(command: str, workbook: Path, folder: Path) -> list[str]:
    extra = RENDERING[command](folder) if command in RENDERING else []
    return [command, str(workbook), *extra]


def _outputs(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if not p.name.startswith(".std") and p.name != ".measure.json"
    )


@pytest.mark.parametrize("name", list(CASES))
def test_corpus_case(name, corpus, tmp_path):
    case = CASES[name]
    workbook = corpus(name)
    folders = {command: tmp_path / command for command in COMMANDS}
    for folder in folders.values():
        folder.mkdir()
    limit = SECONDS_BIG if case.slow else SECONDS
    with ThreadPoolExecutor(max_workers=2) as pool:  # two at a time: the machine has two cores
        runs = dict(
            zip(
                COMMANDS,
                pool.map(lambda c: run_measured(_command(c, workbook, folders[c]), folders[c], limit), COMMANDS),
                strict=True,
            )
        )
    for command, run in runs.items():
        where = f"{name} / {command}: {run.output[-2000:]}"
        expected_exit = case.exit_code if command == "validate" or case.exit_code else 0
        assert run.exit == expected_exit, where
        assert "Traceback" not in run.output and UNEXPECTED not in run.output, where
        if command == "validate" or not case.rendered:
            for text in case.expect:
                assert text in run.output, f"{text!r} missing in {where}"
        for text in case.forbid:
            assert text not in run.output, where
        assert run.seconds < limit, (where, run.seconds)
        assert run.peak_mb < PEAK_MB, (where, run.peak_mb)
        written = _outputs(folders[command])
        assert not any(p.endswith(".part") for p in written), written
        if command in RENDERING and run.exit != 0:
            assert written == [], (where, written)
        if command in RENDERING and case.rendered:
            assert written, where


def test_presentation_forms_and_invisible_marks_are_normalised(corpus):
    from reportgen.commands.brief import html as brief_html
    from reportgen.commands.common import load
    from reportgen.settings import Settings

    settings = Settings(today=dt.date(2026, 11, 19))
    workbook = corpus("presentation_forms_and_invisible_marks")
    parsed = load(workbook, settings)
    assert parsed.problems == []
    first = parsed.dataset.clusters[0]
    assert first.id == "EG-T-001" and first.name == "تجمع الفخار"
    assert [i.cluster_id for i in parsed.dataset.interventions] == ["EG-T-001"]  # the reference matched
    html, _ = brief_html(workbook, settings)
    assert "تجمع الفخار" in html
    assert not any(ch in html for ch in PRESENTATION_NAME.replace(" ", "") + INVISIBLE.replace("\u2066", ""))


ODD_VALUES = st.one_of(
    st.binary(max_size=20),
    st.complex_numbers(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(float("inf")),
    st.just(float("-inf")),
    st.just(float("nan")),
    st.just(Decimal("sNaN")),
    st.just(Decimal("-Infinity")),
    st.just(10**400),
    st.just(-(10**400)),
    st.just(Decimal("1e400")),
    st.just(object()),
    st.just(dt.date.min),
    st.just(dt.date.max),
    st.just(dt.datetime.max),
    st.just(dt.timedelta.max),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
)
CONVERTERS = [cv.to_int, cv.to_decimal, cv.to_percent, cv.to_float, cv.to_date, cv.to_dates, cv.to_time, cv.to_bool]


@pytest.mark.parametrize("converter", CONVERTERS, ids=lambda c: c.__name__)
@settings(deadline=None)
@given(value=ODD_VALUES)
def test_converters_refuse_odd_values_with_conversion_error_only(converter, value):
    try:
        converter(value)
    except cv.ConversionError as error:
        assert error.expected


@pytest.mark.parametrize(
    ("epoch", "message"),
    [
        ("253402300799", "is in the year 9999; expected 1970 to 2199"),  # a dossier's validity would overflow
        ("-99999999999", "is not a Unix timestamp"),
        ("soon", "is not a Unix timestamp"),
    ],
)
def test_hostile_source_date_epoch(monkeypatch, epoch, message):
    from reportgen.errors import ConfigError
    from reportgen.settings import load

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(ConfigError, match=message):
        load()


@pytest.mark.parametrize(
    "day",
    [
        dt.date(1, 1, 1),
        dt.date(1800, 1, 1),
        dt.date(1923, 12, 31),
        dt.date(2077, 11, 16),
        dt.date(2078, 1, 1),
        dt.date(9999, 12, 31),
    ],
)
@pytest.mark.parametrize("adjust", [-2, 0, 2])
def test_hijri_outside_its_tables_is_left_out_not_a_crash(day, adjust):
    from reportgen.render.formatting import Formatter

    fmt = Formatter(hijri_adjust=adjust)
    assert fmt.date_with_hijri(day).startswith(fmt.date(day))


VERIFY_INPUTS = {
    "device": (lambda folder: Path("/dev/zero"), "/dev/zero: FAILED: not a regular file (a folder, device or pipe)"),
    "pipe": (lambda folder: _fifo(folder / "pipe.pdf"), "pipe.pdf: FAILED: not a regular file"),
    "oversized": (
        lambda folder: _sparse(folder / "huge.pdf", 101),
        "huge.pdf: FAILED: 101 MB is over the 100 MB limit",
    ),
}


def _fifo(path: Path) -> Path:
    os.mkfifo(path)  # nobody writes to it: opening it for reading alone would wait forever
    return path


def _sparse(path: Path, megabytes: int) -> Path:
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(megabytes * 1_048_576)
    return path


@pytest.mark.parametrize("kind", list(VERIFY_INPUTS))
def test_verify_reads_regular_files_of_bounded_size_only(kind, tmp_path):
    build, expected = VERIFY_INPUTS[kind]
    run = run_measured(["verify", str(build(tmp_path))], tmp_path, SECONDS)
    assert run.exit == 1 and expected in run.output, run.output
    assert "Traceback" not in run.output
    assert run.peak_mb < 100, run.peak_mb  # nothing of the file was read into memory


@pytest.mark.parametrize(
    ("command", "limit", "message"),
    [
        ("brief", "render_seconds = 0.001", "brief.pdf: rendering took more than 0.001 s of processor time"),
        ("handout", "render_memory_mb = 1", "handout.pdf: rendering needed more than 1 MB of memory"),
        ("dossiers", "render_memory_mb = 1", "EG-T-001.pdf: rendering needed more than 1 MB of memory"),
        ("dossiers-2", "render_seconds = 0.001", "EG-T-001.pdf: rendering took more than 0.001 s"),
    ],
)
def test_rendering_past_its_limits_is_a_located_error(corpus, tmp_path, command, limit, message):
    """Limits no render can meet, set in reportgen.toml: the document is named, exit 1, nothing written."""
    (tmp_path / "reportgen.toml").write_text(f"[limits]\n{limit}\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = _command(command.removesuffix("-2"), corpus("logo_at_the_limits"), out)
    if command == "dossiers-2":
        args[args.index("--jobs") + 1] = "2"
    run = run_measured(args, tmp_path, SECONDS)
    assert run.exit == 1, run.output
    assert f"error: {message}" in run.output and "[limits]); nothing was written" in run.output, run.output
    assert "Traceback" not in run.output and UNEXPECTED not in run.output
    assert _outputs(out) == []


UNSIGNED = "not signed: anyone could have made this file, so it does not show who issued it"


def test_the_longest_texts_allowed_keep_the_certificate_to_one_page_and_verify(corpus, tmp_path):
    """Every text field at its limit, a conditional decision and more conditions than the certificate lists."""
    import re

    from tests.pdftext import pages_text

    out = tmp_path / "dossiers"
    run = run_measured(_command("dossiers", corpus("longest_allowed_texts"), tmp_path), tmp_path, SECONDS)
    assert run.exit == 0, run.output
    (pdf,) = out.glob("*.pdf")
    pages = pages_text(pdf)
    assert "شهادة مطابقة مشروطة" in pages[0] and "صفحة" not in pages[0]
    assert re.search(r"صفحة ٢ من [٠-٩]", pages[1]) and "ملف التجمع" in pages[1]  # the certificate kept to page 1
    checked = run_measured(["verify", str(pdf)], tmp_path, SECONDS)
    # A draft (--unsigned): its one failure is that it is not signed; record, fingerprint and QR code all agree.
    assert checked.output.strip().endswith(": FAILED: " + UNSIGNED), checked.output
