"""WRITE, for commands that fill a folder: claim it, stage every file, then put them all in place.

A folder reportgen fills carries a hidden manifest, `.reportgen`, listing each file it wrote with
its SHA-256. A run writes into a new or empty folder, or into one with that manifest; it never
overwrites a file the manifest does not list, nor one changed since reportgen wrote it. Files are
staged as hidden temporary files and renamed into place together at the end, so an interrupted
or failed run leaves every earlier file, and the manifest, as they were.

The manifest also records what each file was made from (a digest of its inputs, see incremental.py)
and what the last complete run was asked to do, so that a run can leave alone every file whose
inputs are unchanged. A file changed by hand is rendered again only when the caller asks
(replace_altered), and the hand-made version is then kept beside it, never lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from pathlib import Path

from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _, ngettext
from reportgen.output.atomic import remove_stale_parts, temp_path, write_bytes, write_error

MARKER = ".reportgen"
LOCK = ".reportgen.lock"  # held (flock) by the run writing into the folder; the kernel frees it if the run dies
_FORMAT = "reportgen output folder 2"  # files: name → {sha256, inputs}; and the last run's record
_FORMATS_READ = (_FORMAT, "reportgen output folder 1")  # 1: files: name → SHA-256 (no inputs known)


class OutputFolder:
    """A folder reportgen may write into; use as a context manager around the run."""

    def __init__(
        self,
        path: Path,
        owned: dict[str, str],
        pending: dict[str, str] | None = None,
        inputs: dict[str, str] | None = None,
        run: dict | None = None,
    ) -> None:
        self.path = path
        self.owned = owned  # file name → SHA-256 when reportgen last wrote it
        self.pending = pending or {}  # SHA-256 of files being renamed into place (a killed commit)
        self.inputs = inputs or {}  # file name → digest of what it was made from
        self.run = run  # the last complete run: what it was asked, what it made and reported
        self.staged: dict[str, Path] = {}  # file name → its temporary file, until commit
        self.staged_inputs: dict[str, str] = {}
        self.aside: dict[str, str] = {}  # file changed by hand → its SHA-256: kept under another name at commit
        self._on_disk: dict[str, str | None] = {}  # SHA-256 of the file there now (None: no file)
        self._lock: int | None = None  # the lock file's descriptor while this run holds the folder
        self._made = False  # claim() made the folder: a failed run removes it again when empty
        self.kept: list[Path] = []  # files changed by hand that commit() kept under another name

    @classmethod
    def claim(cls, path: Path) -> OutputFolder:
        """Return the folder, made if missing; ReportgenError when it holds files reportgen did not write."""
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise ReportgenError(_("{path} is a file; give a folder for the output").format(path=quoted(path)))
        made = not path.exists()
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise write_error(path, exc) from exc
        if not (path / MARKER).is_file():
            cls._refuse_foreign(path)  # before the lock file: a folder not ours gets nothing from us
        lock = _lock(path)
        try:
            folder = cls._claimed(path)
        except BaseException:
            os.close(lock)
            raise
        folder._lock = lock
        folder._made = made
        return folder

    @staticmethod
    def _refuse_foreign(path: Path) -> None:
        """Raise ReportgenError when the folder (without a manifest) holds files someone else put there."""
        others = sorted(p.name for p in path.iterdir() if not p.name.startswith("."))
        if others:
            shown = _(", ").join(quoted(o) for o in others[:3])
            if len(others) > 3:
                more = len(others) - 3
                shown = ngettext("{files} and {n} more", "{files} and {n} more", more).format(files=shown, n=more)
            raise ReportgenError(
                _("{path} already holds files reportgen did not write ({files}); give a new or empty folder").format(
                    path=quoted(path), files=shown
                )
            )

    @classmethod
    def _claimed(cls, path: Path) -> OutputFolder:
        """Return the folder as its manifest says, or a new one for an empty folder (the lock is held)."""
        marker = path / MARKER
        if marker.is_file():
            return cls(path, *_read_manifest(marker))
        cls._refuse_foreign(path)
        folder = cls(path, {})
        folder._save_manifest()  # the folder is ours from now on, even if this run stops early
        return folder

    @classmethod
    def peek(cls, path: Path) -> OutputFolder | None:
        """Return the folder as its manifest describes it, without making or changing anything; None if not ours."""
        marker = Path(path) / MARKER
        if not marker.is_file():
            return None
        try:
            return cls(Path(path), *_read_manifest(marker))
        except ReportgenError:
            return None

    def check(self, names: list[str], replace_altered: bool = False) -> None:
        """Raise ReportgenError, before any work, if writing names would overwrite someone else's file.

        With replace_altered, a file reportgen wrote and someone changed since may be replaced: the
        changed version is kept beside it at commit (see altered()).
        """
        for name in names:
            if replace_altered and self.altered(name):
                self.aside[name] = self.sha_on_disk(name) or ""
            self._check(name)

    def sha_on_disk(self, name: str) -> str | None:
        """Return the SHA-256 of the file name holds now (None when there is none), read once per run."""
        if name not in self._on_disk:
            target = self.path / name
            plain = target.is_file() and not target.is_symlink()
            self._on_disk[name] = _sha256(target) if plain else None
        return self._on_disk[name]

    def altered(self, name: str) -> bool:
        """Return True when name is a file reportgen wrote and someone has changed since."""
        sha = self.sha_on_disk(name) if name in self.owned else None
        return sha is not None and sha not in (self.owned[name], self.pending.get(name))

    def current(self, name: str, inputs: str) -> bool:
        """Return True when name is there as reportgen wrote it, from these same inputs: no need to make it again."""
        return (
            bool(inputs)
            and self.inputs.get(name) == inputs
            and name in self.owned
            and self.sha_on_disk(name) == self.owned[name]
        )

    def _check(self, name: str) -> Path:
        if not name or name != Path(name).name or name.startswith(".") or name in (".", ".."):
            raise ReportgenError(_("refusing to write {name}: not a plain file name").format(name=quoted(repr(name))))
        target = self.path / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise ReportgenError(
                _("{path} exists and is not a plain file; move it away first").format(path=quoted(target))
            )
        if target.exists():
            if name not in self.owned and name not in self.pending:
                raise ReportgenError(
                    _("{path} exists and reportgen did not write it; move it away first").format(path=quoted(target))
                )
            if _sha256(target) not in (self.owned.get(name), self.pending.get(name), self.aside.get(name)):
                raise ReportgenError(
                    _("{path} was changed since reportgen wrote it; move it away first").format(path=quoted(target))
                )
        return target

    def stage(self, name: str, data: bytes, inputs: str = "") -> None:
        """Write data to a hidden temporary file that commit() will rename to name (made from inputs)."""
        with self.stage_path(name, inputs) as tmp:
            tmp.write_bytes(data)

    @contextlib.contextmanager
    def stage_path(self, name: str, inputs: str = ""):
        """Yield a hidden temporary path to write name's content into (for writers that need a path)."""
        target = self._check(name)
        remove_stale_parts(target)
        tmp = temp_path(target)
        try:
            yield tmp
        except BaseException as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if isinstance(exc, OSError):  # a full disk, a folder made read-only meanwhile
                raise write_error(target, exc) from exc
            raise
        old = self.staged.pop(name, None)
        if old is not None:
            with contextlib.suppress(OSError):
                old.unlink()
        self.staged[name] = tmp
        self.staged_inputs[name] = inputs

    def commit(self, run: dict | None = None) -> list[Path]:
        """Rename every staged file into place, record it (and run, when given) in the manifest; return the paths.

        A file changed by hand that is being replaced is first renamed to kept_name(); kept holds those paths.
        """
        targets = {name: self._check(name) for name in self.staged}
        self.pending = {name: _sha256(tmp) for name, tmp in self.staged.items()}
        self.run = None  # until every file is in place, no run is complete
        self._save_manifest()  # first, so that a run killed among the renames still owns its files
        self.kept = []
        for name, tmp in sorted(self.staged.items()):
            if name in self.aside and targets[name].is_file():
                self.kept.append(self.path / kept_name(name, self.aside[name]))
                os.replace(targets[name], self.kept[-1])
            os.chmod(tmp, 0o644)
            os.replace(tmp, targets[name])
        self.owned.update(self.pending)
        self.inputs.update(self.staged_inputs)
        for name in self.pending:
            if not self.staged_inputs.get(name):
                self.inputs.pop(name, None)
        self.pending = {}
        self.staged.clear()
        self.staged_inputs.clear()
        self.run = run
        self._save_manifest()
        return [targets[name] for name in sorted(targets)]

    def append(self, name: str, data: bytes) -> Path:
        """Append data to name (made if missing), a log that is never rewritten; record its new SHA-256.

        The file must be as reportgen last left it: a log changed by hand is refused, not extended. The new
        SHA-256 is recorded as pending first, so a run killed mid-append still owns the longer file.
        """
        target = self._check(name)
        old = target.read_bytes() if target.is_file() else b""
        if old and hashlib.sha256(old).hexdigest() not in (self.owned.get(name), self.pending.get(name)):
            raise ReportgenError(
                _("{path} was changed since reportgen wrote it; it is only ever appended to").format(
                    path=quoted(target)
                )
            )
        self.pending = {name: hashlib.sha256(old + data).hexdigest()}
        self._save_manifest()
        try:
            fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise write_error(target, exc) from exc
        self.owned.update(self.pending)
        self.inputs.pop(name, None)
        self.pending = {}
        self._save_manifest()
        return target

    def discard(self) -> None:
        """Remove every staged temporary file."""
        for tmp in self.staged.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
        self.staged.clear()

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, kind, value, tb) -> None:
        self.discard()  # after commit() there is nothing left; after a failure, the temporaries go
        self.release()
        if kind is not None and self._made and not self.owned:
            with contextlib.suppress(OSError):  # a run that failed leaves no folder it made
                (self.path / MARKER).unlink()
                self.path.rmdir()  # only when empty

    def release(self) -> None:
        """Let another run write into the folder."""
        if self._lock is not None:
            with contextlib.suppress(OSError):
                (self.path / LOCK).unlink()  # while still locked: the next run makes a fresh one
            os.close(self._lock)  # closing the descriptor drops the flock
            self._lock = None

    def _save_manifest(self) -> None:
        files = {name: {"sha256": sha, "inputs": self.inputs.get(name, "")} for name, sha in sorted(self.owned.items())}
        content: dict = {"format": _FORMAT, "files": files}
        if self.pending:
            content["pending"] = dict(sorted(self.pending.items()))
        if self.run is not None:
            content["run"] = self.run
        text = json.dumps(content, ensure_ascii=False, indent=1)
        write_bytes(self.path / MARKER, text.encode("utf-8") + b"\n")


def _lock(path: Path) -> int:
    """Return the descriptor of the folder's lock file, locked; ReportgenError when another run holds it.

    The lock file exists only while a run holds it (release() removes it), so a finished run leaves the
    folder as it made it. A lock taken on a file that its holder has just removed is let go and taken again.
    """
    lock_path = path / LOCK
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise write_error(lock_path, exc) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise ReportgenError(
                _(
                    "another reportgen run is writing into {path} (process {pid}); wait for it to finish and run again"
                ).format(path=quoted(path), pid=holder)
            ) from None
        try:
            same = os.stat(lock_path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # its holder removed it as we opened it: take the new one
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    return fd


def kept_name(name: str, sha: str) -> str:
    """Return the name a file changed by hand is kept under when reportgen makes it again."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem} (changed by hand {sha[:8]}){dot}{suffix}" if dot else f"{name} (changed by hand {sha[:8]})"


def _read_manifest(marker: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict | None]:
    try:
        data = json.loads(marker.read_text("utf-8"))
        files, pending, run = data["files"], data.get("pending", {}), data.get("run")
        if data.get("format") not in _FORMATS_READ or not isinstance(files, dict) or not isinstance(pending, dict):
            raise ValueError(data.get("format"))
        owned, inputs = {}, {}
        for name, entry in files.items():
            if isinstance(entry, dict):
                owned[str(name)], inputs[str(name)] = str(entry["sha256"]), str(entry.get("inputs", ""))
            else:
                owned[str(name)] = str(entry)
        return owned, {str(k): str(v) for k, v in pending.items()}, inputs, run if isinstance(run, dict) else None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ReportgenError(
            _("{path} is not a manifest reportgen can read; remove the folder's content or give a new folder").format(
                path=quoted(marker)
            )
        ) from exc


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
