"""Missing glyphs: every character a document prints must be drawn by a bundled font.

A character none of the bundled fonts has would be drawn by whatever system font Pango finds, or as
an empty box. Before rendering, the text a document will print is checked against the fonts'
character maps; each character missing is reported where it came from (sheet!cell when a cell
holds it), as a warning, or as an error with --strict.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass
from functools import cache
from html.parser import HTMLParser

from reportgen.errors import quoted
from reportgen.fonts import files as fontfiles
from reportgen.i18n import _, ngettext
from reportgen.model.problems import WARNING, Problem

CELLS_SHOWN = 5  # cells named per missing character; the rest are counted

# Characters no font has to draw: controls, formatting (bidi marks and isolates, ZWJ, ZWNJ, soft
# hyphen), spaces and line breaks, and the other default-ignorable code points (variation selectors…).
_SKIPPED_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}
_DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)
_CSS_CONTENT = re.compile(r"""content\s*:\s*([^;}]*)""")
_CSS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')


@cache
def covered() -> frozenset[int]:
    """Return every code point some bundled font has a glyph for (read once per process)."""
    from reportgen.fonts.files import FONT_FACES

    points: set[int] = set()
    for _family, file, _weight in FONT_FACES:
        points |= fontfiles.code_points(file)
    return frozenset(points)


def needs_glyph(char: str) -> bool:
    """Return True for a character that must be drawn (not a control, format mark or space)."""
    return unicodedata.category(char) not in _SKIPPED_CATEGORIES and not _DEFAULT_IGNORABLE.match(char)


def uncovered(texts: Iterable[str]) -> dict[str, str]:
    """Return {character: the first text it appears in} for each character no bundled font draws."""
    fonts = covered()
    found: dict[str, str] = {}
    for text in texts:
        for char in set(text):
            if char not in found and ord(char) not in fonts and needs_glyph(char):
                found[char] = text
    return found


class _PrintedText(HTMLParser):
    """Collects the text a browser would lay out: body text, and the strings of CSS `content:`."""

    _SKIP = {"head", "script", "svg", "template", "title"}  # not laid out as text (svg: charts are paths)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self._SKIP:
            self._skipping.append(tag)
        self._in_style = tag == "style"

    def handle_endtag(self, tag) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
        if tag == "style":
            self._in_style = False

    def handle_data(self, data) -> None:
        if self._in_style:  # <style> may sit in <head>: its `content:` strings are printed
            for value in _CSS_CONTENT.findall(data):
                self.texts.extend(a or b for a, b in _CSS_STRING.findall(value))
        elif not self._skipping:
            self.texts.append(data)


def printed_text(html: str) -> list[str]:
    """Return the pieces of text an HTML document prints."""
    parser = _PrintedText()
    parser.feed(html)
    parser.close()
    return parser.texts


def strings_of(value: object, depth: int = 6) -> Iterator[str]:
    """Yield every string in value: itself, its dataclass fields, items and dict values, depth levels down."""
    if isinstance(value, str):
        yield value
    elif depth and is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from strings_of(getattr(value, f.name), depth - 1)
    elif depth and isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from strings_of(item, depth - 1)
    elif depth and isinstance(value, dict):
        for item in value.values():
            yield from strings_of(item, depth - 1)


def describe(char: str) -> str:
    """Return "'😀' (U+1F600 GRINNING FACE)"."""
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')})"


def problems(
    found: dict[str, str], cells: Callable[[], Iterable[tuple[str, str, str]]], severity: str = WARNING
) -> list[Problem]:
    """Return a located problem per missing character and cell holding it (cells: (sheet, coord, text)).

    cells is called only when something is missing: finding the cells means reading the workbook again.
    """
    if not found:
        return []
    where: dict[str, list[tuple[str, str, str]]] = {char: [] for char in found}
    for sheet, coord, text in cells():
        for char in found:
            if char in text:
                where[char].append((sheet, coord, text))
    out = []
    for char, text in found.items():
        message = _(
            "the character {char} is in none of the bundled fonts; it would print as an empty box or in a system font"
        ).format(char=quoted(describe(char)))
        places = where[char]
        if not places:  # from a template, or changed on the way (a cell's text is normalised)
            located = _("{problem}, in the text").format(problem=message)
            out.append(Problem(located, value=_around(text, char), severity=severity))
        for sheet, coord, cell_text in places[:CELLS_SHOWN]:
            out.append(Problem(message, sheet, coord, value=_around(cell_text, char), severity=severity))
        if len(places) > CELLS_SHOWN:
            more = len(places) - CELLS_SHOWN
            also = ngettext("{problem}; {n} more cell holds it", "{problem}; {n} more cells hold it", more)
            out.append(Problem(also.format(problem=message, n=more), severity=severity))
    return out


def _around(text: str, char: str, width: int = 25) -> str:
    """Return the part of text around char's first occurrence."""
    i = text.index(char)
    start, end = max(0, i - width), min(len(text), i + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
