"""`reportgen validate`: every problem of a workbook, located, including characters no bundled font draws."""

from __future__ import annotations

from pathlib import Path

from reportgen.commands.common import check_glyphs, load
from reportgen.fonts.coverage import strings_of
from reportgen.input.validation import Parsed
from reportgen.model.problems import Problem
from reportgen.settings import Settings


def run(workbook: Path, settings: Settings) -> tuple[Parsed, list[Problem]]:
    """Return the parsed workbook and all its problems (the glyph warnings after the workbook's own)."""
    parsed = load(workbook, settings)
    return parsed, parsed.problems + check_glyphs(strings_of(parsed.dataset), workbook, settings)
