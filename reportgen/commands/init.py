"""`reportgen init`: the starter workbook and settings file, written into a folder without overwriting."""

from __future__ import annotations

from pathlib import Path

from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _
from reportgen.input.starter import starter_files
from reportgen.output.atomic import write_bytes


def run(directory: Path, force: bool = False) -> list[Path]:
    """Write workbook.xlsx and reportgen.toml into directory; refuse to overwrite unless forced."""
    files = starter_files()
    targets = [Path(directory) / name for name in files]
    existing = [quoted(p) for p in targets if p.exists()]
    if existing and not force:
        raise ReportgenError(
            _("{files} already exist(s); use --force to overwrite").format(files=_(", ").join(existing))
        )
    for target, data in zip(targets, files.values(), strict=True):
        write_bytes(target, data)
    return targets
