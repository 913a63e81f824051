"""Where per-document work runs: in this process, in spawned local worker processes, or on a Dask cluster.

Every executor runs the same two module-level functions: `setup(*args)` once per worker process
(fonts, stylesheets, Jinja environment) and `task(item)` per document, and yields each result as
soon as it is ready, so that the caller writes it to disk and keeps none of them. Documents are
handed out one at a time, with a short queue per worker, so a slow document never idles the others.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from typing import Any

from reportgen import i18n
from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _

# Long-lived WeasyPrint processes have leaked: each worker process is replaced after this many documents.
# (Not with ProcessPoolExecutor's max_tasks_per_child: on Python 3.11 the pool hangs once a worker has
# retired, CPython gh-115634; a fresh pool is started instead, while the old one finishes its last ones.)
RECYCLE_AFTER = 40
QUEUED_PER_WORKER = 2  # documents given to a worker ahead of time: enough to never wait, few to hold
DASK_SCHEME = "dask://"


@dataclass(frozen=True)
class Limits:
    """What rendering one document may use in its worker: processor time and address space."""

    seconds: float
    memory_mb: int


@dataclass(frozen=True)
class Work:
    """The per-process set-up and the per-document task (both module-level functions, so picklable).

    With limits, every document is rendered in a worker process (even with one job) under them, and
    a document that reaches one stops the run with an error naming it (`name(item)`, in this process).
    """

    setup: Callable[..., None]
    setup_args: tuple
    task: Callable
    limits: Limits | None = None
    name: Callable[[Any], str] = str


class LimitReached(Exception):  # noqa: N818 - what the user is told: a limit was reached
    """Raised in a worker when a document reaches a rendering limit; the message says which."""


class _OverTime(BaseException):  # not an Exception: WeasyPrint's `except Exception` must not swallow it
    """Raised by the processor-time timer inside a task."""


def limited(task: Callable, item, limits: Limits):
    """Return task(item), run under limits.seconds of processor time and limits.memory_mb of address space.

    Processor time, not wall time: a busy machine slows a render down but does not make it fail.
    """
    import resource
    import sys

    armed, expired = [True], []

    def expire(signum, frame):
        expired.append(True)
        if armed[0]:
            raise _OverTime

    def unraisable(hook_args):  # raised where it cannot propagate (a C callback): `expired` still says so
        if not isinstance(hook_args.exc_value, _OverTime):
            previous_hook(hook_args)

    over_time = LimitReached(
        _("rendering took more than {seconds} s of processor time (render_seconds in reportgen.toml, [limits])").format(
            seconds=f"{limits.seconds:g}"
        )
    )
    previous = signal.signal(signal.SIGPROF, expire)
    previous_hook, sys.unraisablehook = sys.unraisablehook, unraisable
    before = resource.getrlimit(resource.RLIMIT_AS)
    limit = limits.memory_mb * 1_048_576
    resource.setrlimit(resource.RLIMIT_AS, (limit if before[1] < 0 else min(limit, before[1]), before[1]))
    signal.setitimer(signal.ITIMER_PROF, limits.seconds, 0.05)  # again every 50 ms until the task ends
    try:
        try:
            result = task(item)
        finally:
            armed[0] = False  # from here on the timer only records
        if expired:  # its exception was swallowed somewhere: the limit was reached all the same
            raise over_time
        return result
    except _OverTime:
        raise over_time from None
    except (MemoryError, ImportError, OSError) as exc:
        resource.setrlimit(resource.RLIMIT_AS, before)  # room to say so
        # A lazy import or a file mapping that failed for want of address space is the limit too.
        mapping = "failed to map" in str(exc) or getattr(exc, "errno", None) == errno.ENOMEM
        if not isinstance(exc, MemoryError) and not mapping:
            raise
        raise LimitReached(
            _("rendering needed more than {size} MB of memory (render_memory_mb in reportgen.toml, [limits])").format(
                size=f"{limits.memory_mb:,}"
            )
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        sys.unraisablehook = previous_hook
        resource.setrlimit(resource.RLIMIT_AS, before)


def default_jobs() -> int:
    """Return the number of worker processes to use by default: one per core available."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_executor(text: str | None) -> str | None:
    """Return the Dask scheduler address of `dask://HOST:PORT`, or None for the local executor."""
    if text in (None, "", "local"):
        return None
    if text.startswith(DASK_SCHEME) and len(text) > len(DASK_SCHEME):
        return "tcp://" + text[len(DASK_SCHEME) :]
    raise ReportgenError(
        _("--executor {value}: give 'local' or dask://HOST:PORT (a Dask scheduler)").format(value=quoted(repr(text)))
    )


def run(items: Iterable, work: Work, jobs: int | None = None, executor: str | None = None) -> Iterator:
    """Yield task(item) for each item, in the order they finish, on the executor asked for."""
    items = list(items)
    if not items:
        return
    address = check_executor(executor)
    if address:
        yield from _dask(items, work, address)
        return
    jobs = min(jobs or default_jobs(), len(items))
    if jobs == 1 and work.limits is None:
        work.setup(*work.setup_args)
        for item in items:
            yield work.task(item)
        return
    yield from _processes(items, work, jobs)


def _worker_setup(setup: Callable[..., None], args: tuple, language: str = i18n.DEFAULT) -> None:
    """Set a worker process up: the run's language, interrupts left to the parent (it stops the workers), setup."""
    i18n.set_language(language)  # a spawned process starts in English: its messages follow the run's
    # Ctrl-C in a terminal reaches the whole process group: a worker would print a traceback and die
    # half-way; the parent decides instead, and terminates its workers when the run is interrupted.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Started inside _interrupts_deferred, it inherited SIGTERM blocked: the parent's terminate() must reach it (one
    # sent meanwhile was kept pending, and ends it now).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    atexit.register(_exit_at_once)  # before setup's own exit handlers, so it runs after them (last in, first run)
    setup(*args)


def _exit_at_once() -> None:
    """End a spawned worker without the interpreter's teardown: its last exit handler, after every other one.

    A worker reaches its exit when the pool has told it to stop (or its set-up failed, which the pool reports
    itself). Freeing its WeasyPrint and matplotlib objects one by one then took 0.3 to 1.3 s, twice at once,
    which every run waited for at its end. What must be cleaned up has its own exit handler (render.pdf
    removes WeasyPrint's temporary font folder); the results went back to the parent before.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


@contextlib.contextmanager
def _interrupts_deferred():
    """Hold SIGINT and SIGTERM back for the block (a submission to the pool): a worker started now begins with them
    blocked (it ignores SIGINT and unblocks SIGTERM: _worker_setup), and one that comes meanwhile reaches this process
    as soon as the block ends: never lost. Raised inside the pool's submit (cli.main turns SIGTERM into an exception),
    it left the pool's lock held, and stopping the workers then waited on it for ever."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _stop_workers(pools: list[ProcessPoolExecutor], before: set) -> None:
    """Stop the pools at once: cancel what is queued and terminate the worker processes they started."""
    for pool in pools:
        pool.shutdown(wait=False, cancel_futures=True)
    ours = [p for p in multiprocessing.active_children() if p not in before]  # only the pools' own workers
    for process in ours:
        process.terminate()
    for process in ours:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()


def _processes(items: list, work: Work, jobs: int) -> Iterator:
    """Run on jobs spawned processes, a new set every RECYCLE_AFTER documents per process."""
    context = get_context("spawn")  # WeasyPrint is imported in each worker, never forked half-initialised
    pools: list[ProcessPoolExecutor] = []
    pending: set = set()
    items_of: dict = {}  # future → its item, to name the document
    queue = iter(items)
    given = RECYCLE_AFTER * jobs  # documents handed to the current pool
    before = set(multiprocessing.active_children())
    finished = False
    try:
        while True:
            for item in islice(queue, QUEUED_PER_WORKER * jobs - len(pending)):
                if given == RECYCLE_AFTER * jobs:
                    if pools:  # its workers finish what they hold, then exit; the new ones start meanwhile
                        pools[-1].shutdown(wait=False)
                    pools.append(
                        ProcessPoolExecutor(
                            max_workers=jobs,
                            mp_context=context,
                            initializer=_worker_setup,
                            initargs=(work.setup, work.setup_args, i18n.current()),
                        )
                    )
                    given = 0
                with _interrupts_deferred():  # a worker started now inherits it: no Ctrl-C traceback at start-up
                    if work.limits is None:
                        future = pools[-1].submit(work.task, item)
                    else:
                        future = pools[-1].submit(limited, work.task, item, work.limits)
                pending.add(future)
                items_of[future] = item
                given += 1
            if not pending:
                finished = True
                return
            # A backstop for a worker stuck where the processor-time timer cannot reach (in C, waiting).
            backstop = None if work.limits is None else 2 * work.limits.seconds + 60
            done, pending = wait(pending, timeout=backstop, return_when=FIRST_COMPLETED)
            if not done:
                names = _(", ").join(sorted(work.name(items_of[f]) for f in pending))
                raise ReportgenError(
                    _("{names}: no document finished within {seconds} s; nothing was written").format(
                        names=names, seconds=f"{backstop:g}"
                    )
                )
            for future in done:
                item = items_of.pop(future)
                try:
                    yield future.result()
                except LimitReached as exc:
                    raise ReportgenError(
                        _("{name}: {problem}; nothing was written").format(name=work.name(item), problem=exc)
                    ) from None
                except BrokenProcessPool as exc:
                    raise ReportgenError(
                        _("a worker process stopped unexpectedly (out of memory, or killed); nothing was written")
                    ) from exc
    finally:
        if finished:
            for pool in pools:
                pool.shutdown(wait=True)
        else:  # interrupted, failed, or abandoned by the caller: nothing more is wanted from the workers
            _stop_workers(pools, before)


# ----------------------------------------------------------------------------- Dask


_remote_lock = threading.Lock()  # one document at a time per worker process, whatever its threads
_remote_state: dict = {}


def _on_worker(setup: Callable, setup_args: tuple, token: str, task: Callable, item, epoch: str | None, language: str):
    """Run task(item) on a Dask worker, setting the process up first if this run's set-up is not done yet."""
    with _remote_lock, _source_date_epoch(epoch), i18n.language(language):
        if _remote_state.get("token") != token:
            setup(*setup_args)
            _remote_state["token"] = token
        return task(item)


@contextlib.contextmanager
def _source_date_epoch(epoch: str | None):
    """Use the client's SOURCE_DATE_EPOCH on the worker while a task runs (the same bytes as a local run)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def worker_version() -> str:
    """Return the reportgen version this process runs (asked of every Dask worker before a run)."""
    from reportgen import __version__

    return __version__


def _dask(items: list, work: Work, address: str) -> Iterator:
    """Run on the workers of the Dask cluster whose scheduler is at address; results come back here."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise ReportgenError(_("--executor dask://… needs Dask: pip install 'reportgen[dask]'")) from exc
    import hashlib
    import pickle

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ReportgenError(
            _("cannot reach the Dask scheduler at {address}: {reason}").format(address=quoted(address), reason=exc)
        ) from exc
    try:
        threads = _check_workers(client)
        token = hashlib.sha256(pickle.dumps((work.setup, work.setup_args))).hexdigest()
        epoch, language = os.environ.get("SOURCE_DATE_EPOCH"), i18n.current()
        queue = iter(items)
        finished = as_completed()

        def submit(item) -> None:
            finished.add(
                client.submit(
                    _on_worker, work.setup, work.setup_args, token, work.task, item, epoch, language, pure=False
                )
            )

        for item in islice(queue, QUEUED_PER_WORKER * threads):
            submit(item)
        for future in finished:
            try:
                result = future.result()
            except Exception as exc:  # a worker lost (KilledWorker), or reportgen failing there unexpectedly
                raise ReportgenError(
                    _("the Dask cluster could not render a document ({reason}); nothing was written").format(
                        reason=f"{type(exc).__name__}: {exc}"
                    )
                ) from exc
            future.release()  # the cluster forgets the PDF as soon as it is here
            for item in islice(queue, 1):
                submit(item)
            yield result
    finally:
        client.close()


def _check_workers(client) -> int:
    """Return the cluster's worker threads; ReportgenError when it has none or they run another reportgen."""
    from reportgen import __version__

    try:
        versions = client.run(worker_version)
    except Exception as exc:  # a worker without reportgen cannot even unpickle the question
        raise ReportgenError(
            _("the Dask workers cannot run reportgen ({reason}); install reportgen {version} on every worker").format(
                reason=f"{type(exc).__name__}: {exc}", version=__version__
            )
        ) from exc
    if not versions:
        raise ReportgenError(_("the Dask cluster has no workers"))
    other = {addr: v for addr, v in versions.items() if v != __version__}
    if other:
        shown = _(", ").join(
            _("{address} has {version}").format(address=a, version=v) for a, v in sorted(other.items())
        )
        raise ReportgenError(
            _("the Dask workers must run reportgen {version}, as this machine does: {workers}").format(
                version=__version__, workers=shown
            )
        )
    return max(1, sum(client.nthreads().values()))
