"""Reading rendered PDFs in tests: text per page, outline titles, fonts."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

_DIGIT_RUN = re.compile(r"[٠-٩][٠-٩٬٫]*[٠-٩]")


def pages_text(path: Path) -> list[str]:
    """Return each page's text with Arabic-Indic digit runs put back in reading order.

    pypdf emits the digits of a number inside right-to-left lines reversed (١٢٬٣٤٥ comes out
    as ٥٤٣٬٢١); the rendered page is right (looked at as pictures), so undo that here.
    """
    reader = PdfReader(str(path))
    return [_DIGIT_RUN.sub(lambda m: m.group()[::-1], page.extract_text() or "") for page in reader.pages]


def outline_titles(path: Path) -> list[str]:
    """Return the titles of every bookmark, depth first."""
    reader = PdfReader(str(path))
    titles: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def font_names(path: Path) -> set[str]:
    """Return the base names of every font embedded in the PDF (subset prefix removed)."""
    reader = PdfReader(str(path))
    names: set[str] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            name = str(ref.get_object().get("/BaseFont", ""))
            names.add(name.split("+", 1)[-1].lstrip("/"))
    return names
