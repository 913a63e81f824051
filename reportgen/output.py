"""WRITE: files appear whole or not at all; an earlier good file survives a failed run."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import ReportgenError


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target; on success it replaces target, on any failure it is removed."""
    target = Path(target)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportgenError(f"cannot create the folder {folder}: {exc.strerror}") from exc
    if target.is_dir():
        raise ReportgenError(f"{target} is a folder; give a file name")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except BaseException:  # Ctrl-C included: never leave a half file behind
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_bytes(target: Path, data: bytes) -> None:
    """Write data to target atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
