"""Nothing lost: a failed, interrupted (Ctrl-C, SIGTERM) or killed run leaves earlier good output as it was.

Interrupted runs remove their own temporary files. SIGKILL cannot be caught, so a run killed while
writing may leave a hidden `.NAME.PID-RANDOM.part` beside its target; the next run that writes
there removes it (its process is gone). An output folder reportgen did not make is never written into.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.cli import UNEXPECTED, cli
from reportgen.errors import ReportgenError
from reportgen.output.atomic import remove_stale_parts, write_bytes
from reportgen.output.folder import MARKER, OutputFolder
from reportgen.output.ownership import check_target
from tests.conftest import SAMPLES, cluster_row
from tests.hostile_corpus import valid_sheets, write_xlsx

EARLIER = b"%PDF-1.7 an earlier good file\n"  # for folders: their manifest says whose a file is


@pytest.fixture(scope="module")
def earlier_brief(tmp_path_factory) -> bytes:
    """Return a brief reportgen made earlier (a file it may replace)."""
    out = tmp_path_factory.mktemp("earlier") / "brief.pdf"
    proc = start("brief", str(SAMPLES / "small.xlsx"), "-o", str(out), cwd=out.parent)
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    return out.read_bytes()


DOSSIERS = "dossiers" in cli.commands


def as_at_a_terminal() -> None:
    """Give Ctrl-C its default meaning in the child, as a terminal's foreground process has it.

    A test suite run as a background job of a non-interactive shell (CI scripts, tools/loaded-test) inherits
    SIGINT ignored, and Python then never raises KeyboardInterrupt: the interrupt tests would test nothing.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(*args: str, cwd: Path) -> subprocess.Popen:
    """Start `reportgen ARGS` in its own process group (so that a signal can reach its workers too)."""
    return subprocess.Popen(
        [sys.executable, "-m", "reportgen", *args],
        cwd=cwd,
        preexec_fn=as_at_a_terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def parts(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.part"))


def wait_for_line(proc: subprocess.Popen, wanted: str) -> list[str]:
    """Read the run's standard error until a line starting with wanted; return the lines read.

    An event, not a delay: the run is inside the stage that line announces, whatever the machine's load.
    """
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith(wanted):
            return seen
    raise AssertionError(f"the run ended before {wanted!r}: {''.join(seen)}")


@pytest.mark.parametrize(
    ("sig", "code", "message"),
    [
        (signal.SIGINT, 130, "interrupted; nothing was written"),
        (signal.SIGTERM, 143, "interrupted; nothing was written"),
        (signal.SIGKILL, -signal.SIGKILL, ""),
    ],
)
def test_interrupted_brief_keeps_the_earlier_file(tmp_path, sig, code, message, earlier_brief):
    out = tmp_path / "brief.pdf"
    out.write_bytes(earlier_brief)
    proc = start("brief", str(SAMPLES / "clusters.xlsx"), "-o", str(out), cwd=tmp_path)  # 145 clusters
    wait_for_line(proc, "brief: laying out the pages")  # a 20-page layout takes seconds
    os.killpg(proc.pid, sig)  # as Ctrl-C does: the whole foreground group
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert message in stderr and "Traceback" not in stderr
    assert out.read_bytes() == earlier_brief
    assert parts(tmp_path) == []


def test_failed_run_keeps_the_earlier_file(tmp_path, earlier_brief):
    sheets = valid_sheets()
    sheets["clusters"][1] = cluster_row(1, enterprises="ثلاثون")
    workbook = write_xlsx(tmp_path / "bad.xlsx", sheets)
    out = tmp_path / "brief.pdf"
    out.write_bytes(earlier_brief)
    proc = start("brief", str(workbook), "-o", str(out), cwd=tmp_path)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "nothing was written" in stderr
    assert out.read_bytes() == earlier_brief and parts(tmp_path) == []


def test_leftover_of_a_killed_run_is_removed_by_the_next(tmp_path):
    target = tmp_path / "brief.pdf"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    leftover = tmp_path / f".brief.pdf.{dead.stdout.strip()}-abc123.part"  # its writer has exited
    leftover.write_bytes(b"%PDF half a file")
    running = tmp_path / f".brief.pdf.{os.getpid()}-def456.part"  # a writer that is still running
    running.write_bytes(b"%PDF being written")
    remote = tmp_path / ".brief.pdf.1-ghi789.part"  # pid 1 runs, but the file is two hours old
    remote.write_bytes(b"%PDF from another machine")
    two_hours_ago = time.time() - 7200
    os.utime(remote, (two_hours_ago, two_hours_ago))
    other = tmp_path / ".other.pdf.999999999-x.part"  # another target's: not touched
    other.write_bytes(b"x")
    write_bytes(target, b"%PDF new")
    assert sorted(parts(tmp_path)) == sorted([running, other])
    assert target.read_bytes() == b"%PDF new"
    assert remove_stale_parts(target) == []


# ----------------------------------------------------------------------------- output folders


def _dossier_workbook(folder: Path, count: int = 1) -> Path:
    sheets = valid_sheets()
    sheets["clusters"] = [sheets["clusters"][0], *(cluster_row(i, "Luxor") for i in range(1, count + 1))]
    sheets["assessments"] = [
        sheets["assessments"][0],
        *(
            [f"EG-T-{i:03d}", area, f"معيار {area}", 1, 70 + i % 25]
            for i in range(1, count + 1)
            for area in ("materials", "product")
        ),
    ]
    sheets["certifications"] = [
        sheets["certifications"][0],
        *([f"EG-T-{i:03d}", f"علامة {i}", dt.date(2026, 10, 1), None] for i in range(1, count + 1)),
    ]
    return write_xlsx(folder / "dossiers.xlsx", sheets)


def test_folder_with_unrelated_files_is_refused(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(ReportgenError, match=r"already holds files reportgen did not write \(thesis\.docx\)"):
        OutputFolder.claim(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.docx"]


def test_folder_claimed_then_guarded(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / ".DS_Store").write_bytes(b"")  # hidden files do not make a folder someone else's
    with OutputFolder.claim(folder) as out:
        out.stage("a.pdf", b"A1")
        out.stage("b.pdf", b"B1")
        out.commit()
    manifest = json.loads((folder / MARKER).read_text())
    assert sorted(manifest["files"]) == ["a.pdf", "b.pdf"]
    (folder / "c.pdf").write_bytes(b"someone else's")
    (folder / "b.pdf").write_bytes(b"edited by hand")
    again = OutputFolder.claim(folder)
    again.check(["a.pdf"])  # ours, unchanged: may be replaced
    with pytest.raises(ReportgenError, match="c.pdf exists and reportgen did not write it"):
        again.check(["c.pdf"])
    with pytest.raises(ReportgenError, match="b.pdf was changed since reportgen wrote it"):
        again.check(["b.pdf"])
    for bad in ("../x.pdf", "sub/x.pdf", MARKER, ".hidden"):
        with pytest.raises(ReportgenError, match="not a plain file name"):
            again.check([bad])


def test_folder_run_that_fails_midway_changes_nothing(tmp_path):
    folder = tmp_path / "out"
    with OutputFolder.claim(folder) as out:
        out.stage("a.pdf", b"A1")
        out.commit()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(KeyboardInterrupt), OutputFolder.claim(folder) as out:
        out.stage("a.pdf", b"A2")
        out.stage("b.pdf", b"B2")
        raise KeyboardInterrupt
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_killed_among_the_renames_still_owns_its_files(tmp_path):
    folder = tmp_path / "out"
    with OutputFolder.claim(folder) as out:
        out.stage("a.pdf", b"A1")
        out.commit()
    out = OutputFolder.claim(folder)
    out.stage("a.pdf", b"A2")
    out.pending = {"a.pdf": __import__("hashlib").sha256(b"A2").hexdigest()}
    out._save_manifest()  # what commit() writes first …
    os.replace(out.staged.pop("a.pdf"), folder / "a.pdf")  # … then the kill comes after one rename
    out.release()  # the killed process's lock goes with it
    OutputFolder.claim(folder).check(["a.pdf"])  # the next run still recognises it as its own


@pytest.mark.skipif(not DOSSIERS, reason="no dossiers command")
def test_second_run_into_a_busy_folder_stops_and_names_the_first(tmp_path):
    workbook = _dossier_workbook(tmp_path, count=1)
    folder = tmp_path / "out"
    with OutputFolder.claim(folder) as first:  # a run in progress (this process)
        first.stage("EG-T-001.pdf", EARLIER)
        second = subprocess.run(
            [sys.executable, "-m", "reportgen", "dossiers", str(workbook), "-o", str(folder), "--unsigned"],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
        )
        assert second.returncode == 1, second.stderr
        assert f"another reportgen run is writing into {folder} (process {os.getpid()})" in second.stderr
        assert "Traceback" not in second.stderr
        first.commit()
    assert (folder / "EG-T-001.pdf").read_bytes() == EARLIER  # the first run's file, not blamed, not replaced
    third = subprocess.run(
        [sys.executable, "-m", "reportgen", "dossiers", str(workbook), "-o", str(folder), "--unsigned"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert third.returncode == 0, third.stderr  # once the first run is over, the folder is free again


@pytest.mark.skipif(not DOSSIERS, reason="no dossiers command")
def test_dossiers_refuse_a_folder_they_did_not_make(tmp_path):
    workbook = _dossier_workbook(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "EG-T-001.pdf").write_bytes(b"not ours")
    proc = start("dossiers", str(workbook), "-o", str(folder), "--unsigned", "--jobs", "1", cwd=tmp_path)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "already holds files reportgen did not write (EG-T-001.pdf)" in stderr
    assert (folder / "EG-T-001.pdf").read_bytes() == b"not ours" and not (folder / MARKER).exists()


@pytest.mark.skipif(not DOSSIERS, reason="no dossiers command")
def test_interrupted_dossiers_leave_the_earlier_folder_as_it_was(tmp_path):
    workbook = _dossier_workbook(tmp_path, count=16)  # about 10 s with two workers
    folder = tmp_path / "out"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795046400"}
    first = subprocess.run(
        [
            sys.executable,
            "-m",
            "reportgen",
            "dossiers",
            str(workbook),
            "-o",
            str(folder),
            "--unsigned",
            "--jobs",
            "2",
            "--cluster",
            "EG-T-001",
            "--cluster",
            "EG-T-002",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
    )
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert {"EG-T-001.pdf", "EG-T-002.pdf", "register.xlsx", MARKER} <= set(before)
    os.environ["SOURCE_DATE_EPOCH"] = "1800000000"  # a later day: every file would change
    try:
        proc = start("dossiers", str(workbook), "-o", str(folder), "--unsigned", "--jobs", "2", cwd=tmp_path)
    finally:
        os.environ["SOURCE_DATE_EPOCH"] = env["SOURCE_DATE_EPOCH"]
    wait_for_line(proc, "dossiers: 1/16")  # fifteen more to go
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert parts(tmp_path) == []
    assert survivors_of(proc.pid) == [], "worker processes outlived the run"


def survivors_of(group: int, patience: float = 30) -> list[str]:
    """Return the processes still alive in the run's process group once they have had time to exit."""
    deadline = time.monotonic() + patience  # a bound on waiting, not a delay: returns as soon as none is left
    while True:
        session = subprocess.run(["ps", "-o", "stat=,args=", "-g", str(group)], capture_output=True, text=True)
        alive = [line for line in session.stdout.splitlines() if not line.startswith("Z")]  # zombies have ended
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


@pytest.mark.skipif(not DOSSIERS, reason="no dossiers command")
def test_killed_worker_leaves_the_earlier_folder_as_it_was(tmp_path):
    workbook = _dossier_workbook(tmp_path, count=16)  # about 10 s with two workers
    folder = tmp_path / "out"
    with OutputFolder.claim(folder) as out:  # an earlier run's output
        out.stage("EG-T-001.pdf", EARLIER)
        out.commit()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    proc = start("dossiers", str(workbook), "-o", str(folder), "--unsigned", "--jobs", "2", cwd=tmp_path)
    wait_for_line(proc, "dossiers: 1/16")  # both workers started, fifteen dossiers to go
    workers = subprocess.run(["pgrep", "-P", str(proc.pid), "-f", "spawn_main"], capture_output=True, text=True)
    assert workers.stdout.split(), "no worker process found"
    os.kill(int(workers.stdout.split()[0]), signal.SIGKILL)  # out of memory, or killed by someone
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr and "nothing was written" in stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert parts(tmp_path) == []


@pytest.mark.skipif(not DOSSIERS, reason="no dossiers command")
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_to_reportgen_alone_stops_its_workers(tmp_path, sig, code):
    """A signal sent to reportgen only (not its process group) ends the run and its workers, without a traceback."""
    workbook = _dossier_workbook(tmp_path, count=16)
    folder = tmp_path / "out"
    proc = start("dossiers", str(workbook), "-o", str(folder), "--unsigned", "--jobs", "2", cwd=tmp_path)
    wait_for_line(proc, "dossiers: 1/16")
    os.kill(proc.pid, sig)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "interrupted; nothing was written" in stderr
    assert survivors_of(proc.pid) == [], "worker processes outlived the run"
    assert not folder.exists() or sorted(p.name for p in folder.iterdir()) in ([], [MARKER])
    assert parts(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path):
    """Yield a folder on a 200 KB disk of its own (tmpfs; needs root, as CI has)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a small disk for this test: {made.stderr.decode()}")
        pytest.skip("mounting a small disk needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_full_disk_is_a_clear_message_and_keeps_the_earlier_file(small_disk, earlier_brief):
    out = small_disk / "brief.pdf"
    out.write_bytes(earlier_brief)
    room = 200 * 1024 - len(earlier_brief) - 8 * 4096
    (small_disk / "filler").write_bytes(b"\0" * max(room, 0))  # room for the earlier file, not for a new brief
    proc = start("brief", str(SAMPLES / "small.xlsx"), "-o", str(out), cwd=small_disk.parent)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1, stderr
    assert f"cannot write {out}: the disk is full" in stderr and "Traceback" not in stderr
    assert UNEXPECTED not in stderr
    assert out.read_bytes() == earlier_brief and parts(small_disk) == []


def test_read_only_folder_is_a_clear_message(small_disk):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    proc = start("brief", str(SAMPLES / "small.xlsx"), "-o", str(small_disk / "brief.pdf"), cwd=small_disk.parent)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1, stderr
    assert "read-only disk" in stderr and "Traceback" not in stderr and UNEXPECTED not in stderr
    proc = start(
        "dossiers", str(SAMPLES / "small.xlsx"), "-o", str(small_disk / "d"), "--unsigned", cwd=small_disk.parent
    )
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1, stderr
    assert "read-only disk" in stderr and "Traceback" not in stderr and UNEXPECTED not in stderr


def test_no_command_writes_over_its_workbook_or_a_file_it_did_not_make(tmp_path, earlier_brief):
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes((SAMPLES / "small.xlsx").read_bytes())
    before = workbook.read_bytes()
    for command in ("brief", "handout"):
        for force in ((), ("--force",)):
            proc = start(command, str(workbook), "-o", str(workbook), *force, cwd=tmp_path)
            _, stderr = proc.communicate(timeout=300)
            assert proc.returncode == 1 and "give an output name ending in .pdf" in stderr, stderr
    assert workbook.read_bytes() == before
    (tmp_path / "input.pdf").write_bytes(b"%PDF-1.4 an input")  # an input named .pdf: never written, even forced
    with pytest.raises(ReportgenError, match="never writes over its input"):
        check_target(tmp_path / "input.pdf", (tmp_path / "input.pdf",), True)
    thesis = tmp_path / "thesis.pdf"
    thesis.write_bytes(b"%PDF-1.4 years of work")
    proc = start("brief", str(workbook), "-o", str(thesis), cwd=tmp_path)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1 and "reportgen did not make it" in stderr and "--force" in stderr, stderr
    assert thesis.read_bytes() == b"%PDF-1.4 years of work"
    mine = tmp_path / "brief.pdf"
    mine.write_bytes(earlier_brief)  # its own earlier output is replaced without asking
    proc = start("brief", str(workbook), "-o", str(mine), cwd=tmp_path)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    proc = start("brief", str(workbook), "-o", str(thesis), "--force", cwd=tmp_path)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0 and thesis.read_bytes().startswith(b"%PDF"), stderr
