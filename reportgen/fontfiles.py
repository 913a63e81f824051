"""The bundled font files as fontTools reads them; the only fontTools importer."""

from __future__ import annotations

from functools import cache

from .settings import fonts_dir


@cache
def font(file: str):
    """Return the bundled font file opened with fontTools (tables are read when first used; once per process)."""
    from fontTools.ttLib import TTFont

    return TTFont(fonts_dir() / file)


def code_points(file: str) -> frozenset[int]:
    """Return the code points the font has a glyph for."""
    return frozenset(font(file).getBestCmap() or {})
