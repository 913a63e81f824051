"""A folder of files written as a whole: staged beside its place, then swapped in (the verification site)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _
from reportgen.output.atomic import write_error

MARKER = ".reportgen-site"  # in a folder reportgen made: only such a folder is ever replaced


def _safe(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise ReportgenError(_("refusing to write {name}: not a path inside the folder").format(name=quoted(name)))
    return path


def write_tree(target: Path, files: dict[str, bytes]) -> list[Path]:
    """Write files (relative POSIX paths → bytes) as the folder target, replacing a folder reportgen made before.

    Everything is written into a hidden sibling first and renamed into place at the end, so an interrupted
    run leaves the previous folder as it was; a folder that exists and is not reportgen's is refused.
    """
    target = Path(target)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).is_file())):
        raise ReportgenError(
            _("{path} exists and is not a site reportgen made; give an empty or new folder").format(path=quoted(target))
        )
    stage = target.with_name(f".{target.name}.part-{os.getpid()}")
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    try:
        shutil.rmtree(stage, ignore_errors=True)
        for name, data in files.items():
            path = stage / _safe(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (stage / MARKER).write_text("made by reportgen site; replaced whole by the next run\n")
        if target.exists():
            target.rename(old)
        stage.rename(target)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        if old.exists() and not target.exists():
            old.rename(target)
        raise write_error(target, exc) from exc
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return [target / name for name in files]
