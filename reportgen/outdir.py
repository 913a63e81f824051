"""WRITE, for commands that fill a folder: claim it, stage every file, then put them all in place.

A folder reportgen fills carries a hidden manifest, `.reportgen`, listing each file it wrote with
its SHA-256. A run writes into a new or empty folder, or into one with that manifest; it never
overwrites a file the manifest does not list, nor one changed since reportgen wrote it. Files are
staged as hidden temporary files and renamed into place together at the end, so an interrupted
or failed run leaves every earlier file, and the manifest, as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from .errors import ReportgenError
from .output import remove_stale_parts, temp_path, write_bytes

MARKER = ".reportgen"
_FORMAT = "reportgen output folder 1"


class OutputFolder:
    """A folder reportgen may write into; use as a context manager around the run."""

    def __init__(self, path: Path, owned: dict[str, str], pending: dict[str, str] | None = None) -> None:
        self.path = path
        self.owned = owned  # file name → SHA-256 when reportgen last wrote it
        self.pending = pending or {}  # SHA-256 of files being renamed into place (a killed commit)
        self.staged: dict[str, Path] = {}  # file name → its temporary file, until commit

    @classmethod
    def claim(cls, path: Path) -> OutputFolder:
        """Return the folder, made if missing; ReportgenError when it holds files reportgen did not write."""
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise ReportgenError(f"{path} is a file; give a folder for the output")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReportgenError(f"cannot create the folder {path}: {exc.strerror}") from exc
        marker = path / MARKER
        if marker.is_file():
            return cls(path, *_read_manifest(marker))
        others = sorted(p.name for p in path.iterdir() if not p.name.startswith("."))
        if others:
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            raise ReportgenError(f"{path} already holds files reportgen did not write ({shown}); "
                                 "give a new or empty folder")
        folder = cls(path, {})
        folder._save_manifest()  # the folder is ours from now on, even if this run stops early
        return folder

    def check(self, names: list[str]) -> None:
        """Raise ReportgenError, before any work, if writing names would overwrite someone else's file."""
        for name in names:
            self._check(name)

    def _check(self, name: str) -> Path:
        if not name or name != Path(name).name or name.startswith(".") or name in (".", ".."):
            raise ReportgenError(f"refusing to write {name!r}: not a plain file name")
        target = self.path / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise ReportgenError(f"{target} exists and is not a plain file; move it away first")
        if target.exists():
            if name not in self.owned and name not in self.pending:
                raise ReportgenError(f"{target} exists and reportgen did not write it; move it away first")
            if _sha256(target) not in (self.owned.get(name), self.pending.get(name)):
                raise ReportgenError(f"{target} was changed since reportgen wrote it; move it away first")
        return target

    def stage(self, name: str, data: bytes) -> None:
        """Write data to a hidden temporary file that commit() will rename to name."""
        with self.stage_path(name) as tmp:
            tmp.write_bytes(data)

    @contextlib.contextmanager
    def stage_path(self, name: str):
        """Yield a hidden temporary path to write name's content into (for writers that need a path)."""
        target = self._check(name)
        remove_stale_parts(target)
        tmp = temp_path(target)
        try:
            yield tmp
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        old = self.staged.pop(name, None)
        if old is not None:
            with contextlib.suppress(OSError):
                old.unlink()
        self.staged[name] = tmp

    def commit(self) -> list[Path]:
        """Rename every staged file into place, record it in the manifest, and return the paths."""
        targets = {name: self._check(name) for name in self.staged}
        self.pending = {name: _sha256(tmp) for name, tmp in self.staged.items()}
        self._save_manifest()  # first, so that a run killed among the renames still owns its files
        for name, tmp in sorted(self.staged.items()):
            os.chmod(tmp, 0o644)
            os.replace(tmp, targets[name])
        self.owned.update(self.pending)
        self.pending = {}
        self.staged.clear()
        self._save_manifest()
        return [targets[name] for name in sorted(targets)]

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

    def _save_manifest(self) -> None:
        content = {"format": _FORMAT, "files": dict(sorted(self.owned.items()))}
        if self.pending:
            content["pending"] = dict(sorted(self.pending.items()))
        text = json.dumps(content, ensure_ascii=False, indent=1)
        write_bytes(self.path / MARKER, text.encode("utf-8") + b"\n")


def _read_manifest(marker: Path) -> tuple[dict[str, str], dict[str, str]]:
    try:
        data = json.loads(marker.read_text("utf-8"))
        files, pending = data["files"], data.get("pending", {})
        if data.get("format") != _FORMAT or not isinstance(files, dict) or not isinstance(pending, dict):
            raise ValueError(data.get("format"))
        return {str(k): str(v) for k, v in files.items()}, {str(k): str(v) for k, v in pending.items()}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ReportgenError(f"{marker} is not a manifest reportgen can read; remove the folder's "
                             "content or give a new folder") from exc


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
