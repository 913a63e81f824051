"""One launch of `reportgen serve`: its token, its temporary folder, the workbook shown and the jobs running."""

from __future__ import annotations

import contextlib
import itertools
import re
import secrets
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportgen import i18n

_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_name(name: str, default: str) -> str:
    """Return an uploaded file's name without folders or odd characters (default when nothing is left)."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return base[:120] or default


@dataclass
class Job:
    """Work running in a thread (a document being generated), telling what it does as events."""

    id: str
    language: str
    events: list[dict] = field(default_factory=list)
    result: Path | None = None  # the file to download when done
    finished: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def tell(self, **event: object) -> None:
        """Add an event ({"type": "stage" | "progress" | "done" | "error", ...}) and wake whoever waits."""
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
                except Exception as exc:  # shown to the user as a sentence, never a traceback
                    self.tell(type="error", text=failure(exc))
                else:
                    self.tell(type="done", name=name)

        threading.Thread(target=run, name=f"reportgen-job-{self.id}", daemon=True).start()


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
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    @contextlib.contextmanager
    def open(cls, workbook: Path | None, language: str, token: str | None = None) -> Iterator[Session]:
        """Yield a session with a fresh token and temporary folder; the folder is removed when the block ends."""
        with tempfile.TemporaryDirectory(prefix="reportgen-serve-") as folder:
            given = Path(workbook).resolve() if workbook is not None else None
            yield cls(token or secrets.token_urlsafe(32), Path(folder), language, given, given)

    def place(self, kind: str) -> Path:
        """Return a new empty folder for one upload, preview or job (kind-N)."""
        with self._lock:
            number = next(self._numbers)
        path = self.folder / f"{kind}-{number}"
        path.mkdir()
        return path

    def add_job(self) -> Job:
        """Return a new job, registered under its id, in the session's current language."""
        job = Job(self.place("job").name, i18n.current())
        with self._lock:
            self.jobs[job.id] = job
        return job

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
