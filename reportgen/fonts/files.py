"""The bundled font files: family names, @font-face rules, and fontTools tables (the only fontTools importer)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportgen.settings import fonts_dir

# Family names of our own, so that no system font of the same name can stand in for them.
FONT_FACES = (
    ("RG Naskh", "Amiri-Regular.ttf", "normal"),
    ("RG Naskh", "Amiri-Bold.ttf", "bold"),
    ("RG Sans", "NotoSansArabic-Regular.ttf", "normal"),
    ("RG Sans", "NotoSansArabic-Bold.ttf", "bold"),
    ("RG Latin", "NotoSans-Regular.ttf", "normal"),
    ("RG Latin", "NotoSans-Bold.ttf", "bold"),
    ("RG Symbols", "NotoSansMath-Regular.ttf", "normal"),  # ≥ ≤ ± × → and the like
)


def font_face_css(folder: Path | None = None) -> str:
    """Return the @font-face rules for the bundled fonts."""
    folder = folder or fonts_dir()
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(folder / file).as_uri()}"); font-weight: {weight}; }}'
        for family, file, weight in FONT_FACES
    )


@cache
def font(file: str):
    """Return the bundled font file opened with fontTools (tables are read when first used; once per process)."""
    from fontTools.ttLib import TTFont

    return TTFont(fonts_dir() / file)


def code_points(file: str) -> frozenset[int]:
    """Return the code points the font has a glyph for."""
    return frozenset(font(file).getBestCmap() or {})


def woff2(file: str) -> bytes:
    """Return a bundled font compressed as WOFF2 (fontTools with Brotli), for the verification site's pages."""
    import io

    from fontTools.ttLib import TTFont

    face = TTFont(fonts_dir() / file)
    face.flavor = "woff2"
    out = io.BytesIO()
    face.save(out)
    return out.getvalue()
