"""One launch of `reportgen serve`: its token, its temporary folder, the workbook shown and the jobs running."""

from __future__ import annotations

import contextlib
import itertools
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportgen import i18n

_UNSAFE = re.compile(r"[^\w.\- ]+")
JOB_STOP_SECONDS = 120  # a document being laid out when the server stops is waited for, at most this long


def safe_name(name: str, default: str) -> str:
    """Return an uploaded file's name without folders or odd characters (default when nothing is left)."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return base[:120] or default


class Stopped(BaseException):  # not an Exception: no `except Exception` in a command turns it into a failure
    """Raised inside a job when the server stops: the command ends at its next stage or progress step."""


@dataclass
class Job:
    """Work running in a thread (a document being generated), telling what it does as events."""

    id: str
    language: str
    stopping: threading.Event = field(default_factory=threading.Event)  # the session's: set when the server stops
    events: list[dict] = field(default_factory=list)
    result: Path | None = None  # the file to download when done
    finished: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _thread: threading.Thread | None = None

    def tell(self, **event: object) -> None:
        """Add an event ({"type": "stage" | "progress" | "cluster" | "done" | "error", ...}) and wake whoever waits.

        A stage or progress told while the server stops raises Stopped instead: the work ends there.
        """
        if event["type"] in ("stage", "progress", "cluster") and self.stopping.is_set():
            raise Stopped
        with self._changed:
            self.events.append(event)
            if event["type"] in ("done", "error"):
                self.finished = True
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> list[dict]:
        """Return the events after the first seen, waiting up to timeout seconds for one."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.events) > seen, timeout)
            return self.events[seen:]

    def start(self, work: Callable[[Job], tuple[Path, str]], failure: Callable[[BaseException], str]) -> None:
        """Run work(job) in a thread, in the job's language: it returns (file, download name); failure words errors."""

        def run() -> None:
            with i18n.language(self.language):
                try:
                    self.result, name = work(self)
                except Stopped:
                    return  # the server is stopping: no one is waiting for the result
                except Exception as exc:  # shown to the user as a sentence, never a traceback
                    self.tell(type="error", text=failure(exc))
                else:
                    self.tell(type="done", name=name)

        self._thread = threading.Thread(target=run, name=f"reportgen-job-{self.id}", daemon=True)
        self._thread.start()

    def join(self, timeout: float) -> None:
        """Wait up to timeout seconds for the job's thread to end."""
        if self._thread is not None:
            self._thread.join(timeout)


@dataclass
class Session:
    """A launch: what every request shares. Uploads and outputs live in folder, removed on exit."""

    token: str
    folder: Path
    language: str
    watched: Path | None = None  # the workbook given on the command line, re-validated when saved
    workbook: Path | None = None  # the workbook shown: the watched one or the last uploaded
    jobs: dict[str, Job] = field(default_factory=dict)
    previews: dict[str, Path] = field(default_factory=dict)
    closing: threading.Event = field(default_factory=threading.Event)  # set when the server stops
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _busy: int = 0  # previews being made in request threads
    _idle: threading.Condition = field(default_factory=threading.Condition)

    @classmethod
    @contextlib.contextmanager
    def open(cls, workbook: Path | None, language: str, token: str | None = None) -> Iterator[Session]:
        """Yield a session with a fresh token and temporary folder; the folder is removed when the block ends."""
        with tempfile.TemporaryDirectory(prefix="reportgen-serve-") as folder:
            given = Path(workbook).resolve() if workbook is not None else None
            session = cls(token or secrets.token_urlsafe(32), Path(folder), language, given, given)
            try:
                yield session
            finally:
                session.stop_jobs()  # before their folder goes: a job ends at its next step

    def place(self, kind: str) -> Path:
        """Return a new empty folder for one upload, preview or job (kind-N)."""
        with self._lock:
            number = next(self._numbers)
        path = self.folder / f"{kind}-{number}"
        path.mkdir()
        return path

    def add_job(self) -> Job:
        """Return a new job, registered under its id, in the session's current language."""
        job = Job(self.place("job").name, i18n.current(), self.closing)
        with self._lock:
            self.jobs[job.id] = job
        return job

    def stop_jobs(self, timeout: float = JOB_STOP_SECONDS) -> None:
        """Tell the jobs the server is stopping, and wait (up to timeout seconds in all) for them to end."""
        self.closing.set()
        with self._lock:
            jobs = list(self.jobs.values())
        ends = time.monotonic() + timeout
        for job in jobs:
            job.join(max(0.0, ends - time.monotonic()))
        with self._idle:
            self._idle.wait_for(lambda: self._busy == 0, max(0.0, ends - time.monotonic()))

    @contextlib.contextmanager
    def working(self) -> Iterator[Callable[..., None]]:
        """Count a piece of work done in a request's thread (a preview) until it ends; yield its `tell`, which
        raises Stopped once the server stops, so that stopping waits for it no longer than its current step."""

        def tell(**event: object) -> None:
            if self.closing.is_set():
                raise Stopped

        with self._idle:
            self._busy += 1
        try:
            yield tell
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def hide(self, text: str) -> str:
        """Return a message with the files of the temporary folder named by their names only."""
        return re.sub(re.escape(str(self.folder)) + r"/[\w.-]+/", "", text)

    def watched_mtime(self) -> int:
        """Return the watched workbook's modification time in nanoseconds (0 when none or missing)."""
        if self.watched is None or self.workbook != self.watched:
            return 0
        try:
            return self.watched.stat().st_mtime_ns
        except OSError:
            return 0
