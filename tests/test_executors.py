"""Executors: every item comes back once, workers are set up once and replaced every RECYCLE_AFTER items (without
Python 3.11's max_tasks_per_child hang), and a Dask cluster running another reportgen is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportgen.commands import executors
from reportgen.errors import ReportgenError

_SET_UP: list[int] = []  # in each worker process: how often setup ran there


def setup(tag: str) -> None:
    _SET_UP.append(os.getpid())


def task(item: int) -> tuple[int, int, int]:
    """Return (item, this process's id, how often it was set up)."""
    return item, os.getpid(), _SET_UP.count(os.getpid())


WORK = executors.Work(setup=setup, setup_args=("x",), task=task)


def note_exit(folder: str) -> None:
    """Set a worker up to write a file named after its process id when it exits (an exit handler)."""
    import atexit

    atexit.register(lambda: Path(folder, str(os.getpid())).write_text("exited"))


def test_local_processes_set_up_once_each_and_recycled(monkeypatch):
    monkeypatch.setattr(executors, "RECYCLE_AFTER", 2)  # a new pair of workers every 4 items
    results = list(executors.run(range(11), WORK, jobs=2))
    assert sorted(item for item, _, _ in results) == list(range(11))
    assert {setups for _, _, setups in results} == {1}
    # 11 items, 4 per pool: three pools, each with processes of its own. Which worker of a pool takes which
    # item depends on the machine, so only one process per pool is certain: at least three in all.
    assert len({pid for _, pid, _ in results}) >= 3 and os.getpid() not in {pid for _, pid, _ in results}


def test_workers_end_without_teardown_but_after_their_exit_handlers(tmp_path):
    # A worker skips the interpreter's teardown (executors._exit_at_once), never what was registered to run
    # at exit, such as the removal of WeasyPrint's font folder: every worker's handler wrote its file.
    work = executors.Work(setup=note_exit, setup_args=(str(tmp_path),), task=task)
    pids = {pid for _, pid, _ in executors.run(range(6), work, jobs=2)}
    exited = {p.name for p in tmp_path.iterdir()}  # a worker given no item exits as well
    assert {str(pid) for pid in pids} <= exited and len(exited) <= 2
    assert all(p.read_text() == "exited" for p in tmp_path.iterdir())


def test_one_job_runs_here():
    results = list(executors.run([1, 2], WORK, jobs=1))
    assert [item for item, _, _ in results] == [1, 2] and {pid for _, pid, _ in results} == {os.getpid()}


@pytest.mark.parametrize("text", ["dask://", "tcp://127.0.0.1:8786", "dask:/h:1", "ray://h:1"])
def test_executor_must_be_local_or_dask(text):
    with pytest.raises(ReportgenError, match="give 'local' or dask://HOST:PORT"):
        executors.check_executor(text)


def test_dask_address():
    assert executors.check_executor("dask://10.1.2.3:8786") == "tcp://10.1.2.3:8786"
    assert executors.check_executor("local") is None and executors.check_executor(None) is None


class FakeClient:
    def __init__(self, versions):
        self.versions = versions

    def run(self, function):
        if isinstance(self.versions, Exception):
            raise self.versions
        return self.versions

    def nthreads(self):
        return {address: 1 for address in self.versions}


def test_dask_workers_must_run_this_reportgen():
    from reportgen import __version__

    assert executors._check_workers(FakeClient({"tcp://a:1": __version__, "tcp://b:1": __version__})) == 2
    with pytest.raises(ReportgenError, match=r"must run reportgen .*tcp://b:1 has 0\.0\.1"):
        executors._check_workers(FakeClient({"tcp://a:1": __version__, "tcp://b:1": "0.0.1"}))
    with pytest.raises(ReportgenError, match="cannot run reportgen"):
        executors._check_workers(FakeClient(ModuleNotFoundError("No module named 'reportgen'")))
    with pytest.raises(ReportgenError, match="no workers"):
        executors._check_workers(FakeClient({}))


def test_a_submission_to_the_pool_holds_sigterm_back_as_it_holds_ctrl_c():
    """A SIGTERM raised inside the pool's submit (cli.main turns it into an exception) could leave the pool half
    set up, and the run then never ended (test_nothing_lost's SIGTERM case timed out on a loaded machine): during a
    submission it waits, as Ctrl-C does, and arrives as soon as the submission is done."""
    import signal
    import threading

    from reportgen.commands.executors import _interrupts_deferred

    arrived = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: arrived.append(signum))
    try:
        with _interrupts_deferred():
            signal.pthread_kill(threading.main_thread().ident, signal.SIGTERM)  # to this thread: pending while held
            held = signal.pthread_sigmask(signal.SIG_BLOCK, [])
            during = len(arrived)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [])  # a call: the pending handler has run by its return
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert {signal.SIGINT, signal.SIGTERM} <= held
    assert during == 0 and arrived == [signal.SIGTERM]
