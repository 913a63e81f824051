"""WRITE: files appear whole or not at all; an earlier good file survives a failed run."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import N_, _

STALE_SECONDS = 3600  # a temporary file this old, or whose writer is gone, is a killed run's leftover


# What a person can do about a failed write, by its cause.
_REASONS = {
    errno.ENOSPC: N_("the disk is full; free some space and run again"),
    errno.EDQUOT: N_("your disk quota is used up; free some space and run again"),
    errno.EROFS: N_("the folder is on a read-only disk; choose another output folder"),
    errno.EACCES: N_("you may not write there; choose another output folder"),
    errno.EPERM: N_("you may not write there; choose another output folder"),
    errno.ENOENT: N_("the folder does not exist"),
    errno.ENOTDIR: N_("a part of the path is a file, not a folder"),
    errno.ENAMETOOLONG: N_("the file name is too long"),
}


def write_error(target: Path, exc: OSError) -> ReportgenError:
    """Return the message for an output that could not be written: the file, and what to do about it."""
    reason = _(_REASONS[exc.errno]) if exc.errno in _REASONS else exc.strerror or str(exc)
    return ReportgenError(
        _("cannot write {path}: {reason}; nothing was written").format(path=quoted(target), reason=reason)
    )


def temp_path(target: Path) -> Path:
    """Return a new, empty, hidden temporary file beside target: `.NAME.PID-RANDOM.part`."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise write_error(target, exc) from exc
    os.close(fd)
    return Path(tmp)


def remove_stale_parts(target: Path) -> list[Path]:
    """Remove target's temporary files left by runs that were killed (SIGKILL, power loss); return them.

    A run that is interrupted in any other way removes its own. A leftover is recognised by its
    name (`.NAME.PID-RANDOM.part`) and removed when that process no longer runs on this machine,
    or, for a writer elsewhere (a shared folder), when it is an hour old.
    """
    removed = []
    for part in Path(target).parent.glob(f".{glob.escape(Path(target).name)}.*.part"):
        pid = part.name[len(Path(target).name) + 2 :].split("-", 1)[0]
        try:
            old = time.time() - part.stat().st_mtime > STALE_SECONDS
            if old or (pid.isdigit() and not _alive(int(pid))):
                part.unlink()
                removed.append(part)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target; on success it replaces target, on any failure it is removed."""
    target = Path(target)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = _(_REASONS[exc.errno]) if exc.errno in _REASONS else exc.strerror
        raise ReportgenError(
            _("cannot create the folder {folder}: {reason}; nothing was written").format(
                folder=quoted(folder), reason=reason
            )
        ) from exc
    if target.is_dir():
        raise ReportgenError(_("{path} is a folder; give a file name").format(path=quoted(target)))
    remove_stale_parts(target)
    tmp_path = temp_path(target)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except BaseException as exc:  # Ctrl-C included: never leave a half file behind
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(exc, OSError):  # a full disk, a folder made read-only meanwhile
            raise write_error(target, exc) from exc
        raise


def write_bytes(target: Path, data: bytes) -> None:
    """Write data to target atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
