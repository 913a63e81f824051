"""WRITE, for commands that make one file: never over an input, never over a file reportgen did not make."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _
from reportgen.input.pdffile import FinishedPdf, UnreadablePdf

GENERATOR = "reportgen"  # the Creator every PDF reportgen makes carries (base.html's generator meta)


def made_by_reportgen(path: Path) -> bool:
    """Return True when path is a PDF whose Creator says reportgen made it."""
    try:
        with path.open("rb") as fh:
            if fh.read(5) != b"%PDF-":
                return False
        with FinishedPdf(path.read_bytes()) as pdf:
            return pdf.metadata().get("Creator", "").startswith(GENERATOR)
    except (OSError, UnreadablePdf):
        return False


def check_target(target: Path, inputs: Iterable[Path | None], force: bool = False) -> None:
    """Raise ReportgenError when writing target would replace an input, or (unless forced) a file not reportgen's."""
    target = Path(target)
    if not target.exists():
        return
    for source in inputs:
        if source is not None and Path(source).exists() and target.resolve() == Path(source).resolve():
            raise ReportgenError(
                _(
                    "{path} is one of this run's inputs; reportgen never writes over its input: give another -o name"
                ).format(path=quoted(target))
            )
    if target.is_file() and not force and not made_by_reportgen(target):
        raise ReportgenError(
            _("{path} exists and reportgen did not make it; give another -o name, or --force to replace it").format(
                path=quoted(target)
            )
        )
