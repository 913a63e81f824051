"""Text widths from HarfBuzz shaping of the bundled fonts, to fit text before layout."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import groupby

import uharfbuzz as hb

from reportgen.fonts.files import FONT_FACES
from reportgen.settings import fonts_dir

ELLIPSIS = "…"
_BREAKING = re.compile(r"[^\S\u00a0\u2007\u202f]+")  # white space but the no-break spaces
_TRAILING = " \t،,;؛:.-–—(«\"'/"  # nothing of these is left dangling before an ellipsis
_FILES = {(family, weight == "bold"): file for family, file, weight in FONT_FACES}
_ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


@dataclass(frozen=True)
class _Face:
    """One font file ready to shape: a HarfBuzz font in font units, and the code points it draws."""

    font: hb.Font
    upem: int
    code_points: frozenset[int]


@cache
def _face(file: str) -> _Face:
    face = hb.Face(hb.Blob.from_file_path(fonts_dir() / file))
    return _Face(hb.Font(face), face.upem, frozenset(face.unicodes))


def _file(family: str, bold: bool) -> str:
    # A family without a bold face is emboldened by Pango (HarfBuzz < 7 on this stack: same advances).
    return _FILES.get((family, bold)) or _FILES[(family, False)]


def _script(char: str) -> str:
    """Return "Arab" or "Latn" for a letter, "" for a character that takes its neighbours' script."""
    cp = ord(char)
    if any(low <= cp <= high for low, high in _ARABIC) and unicodedata.category(char)[0] in "LM":
        return "Arab"
    return "Latn" if unicodedata.category(char)[0] == "L" else ""


def _runs(text: str, files: tuple[str, ...]) -> list[tuple[str, str, int, int]]:
    """Split text as Pango itemizes it: (font file, script, start, end) per run of one font and one script.

    Each character takes the first font of the stack that draws it (the first font if none does);
    spaces and controls stay in the font before them, digits and punctuation in the script before them.
    """
    keys = []
    file, script = files[0], ""
    for char in text:
        if char.isprintable() and not char.isspace():
            file = next((f for f in files if ord(char) in _face(f).code_points), files[0])
        script = _script(char) or script
        keys.append((file, script))
    first = next((s for _, s in keys if s), "")  # what leads the text takes the script after it
    runs, start = [], 0
    for key, group in groupby((f, s or first) for f, s in keys):
        end = start + len(list(group))
        runs.append((*key, start, end))
        start = end
    return runs


@lru_cache(maxsize=1 << 16)
def _em_width(text: str, files: tuple[str, ...]) -> float:
    """Return the shaped width of text in em, each run shaped in the context of the whole text."""
    total = 0.0
    for file, script, start, end in _runs(text, files):
        face = _face(file)
        buffer = hb.Buffer()
        buffer.add_str(text, start, end - start)  # the text around the run decides its joining forms
        buffer.language = "ar"  # as the documents' lang; otherwise HarfBuzz takes the process locale's
        if script:
            buffer.script, buffer.direction = script, "rtl" if script == "Arab" else "ltr"
        buffer.guess_segment_properties()  # fills in only what is left unset
        hb.shape(face.font, buffer)
        total += sum(position.x_advance for position in buffer.glyph_positions) / face.upem
    return total


@dataclass(frozen=True)
class Font:
    """A CSS font stack at one size: measures, wraps and shortens text as the PDF will set it."""

    families: tuple[str, ...]  # CSS order, e.g. ("RG Naskh", "RG Latin")
    size_pt: float
    bold: bool = False

    def width(self, text: str) -> float:
        """Return the text's width in points, shaped as Pango shapes it (ligatures, kerning, font fallback)."""
        if not text:
            return 0.0
        return _em_width(text, tuple(_file(family, self.bold) for family in self.families)) * self.size_pt

    def lines(self, text: str, width_pt: float) -> int:
        """Return how many lines text takes in a box width_pt wide, breaking at spaces (0 for no text)."""
        count, line = 0, 0.0
        space = self.width(" ")
        for word in _words(text):
            w = self.width(word)
            if line and line + space + w <= width_pt:
                line += space + w
            elif w > width_pt:  # an overlong word breaks anywhere (CSS overflow-wrap: anywhere)
                whole = math.ceil(w / width_pt)
                count += whole
                line = w - (whole - 1) * width_pt
            else:
                count += 1
                line = w
        return count

    def fit(self, text: str, width_pt: float, max_lines: int) -> str:
        """Return text (spaces collapsed) if it fits in max_lines, else shortened after a word, with "…"."""
        text = " ".join(_words(text))
        if max_lines <= 0:
            return ""
        if self.lines(text, width_pt) <= max_lines:
            return text
        words = text.split(" ")
        low, high = 0, len(words) - 1  # the largest k whose first k words fit, ellipsis included
        while low < high:
            k = (low + high + 1) // 2
            if self.lines(_cut(words[:k]), width_pt) <= max_lines:
                low = k
            else:
                high = k - 1
        if low:
            return _cut(words[:low])
        # Even the first word does not fit: the one case where a word is cut, as late as possible.
        word = words[0]
        while len(word) > 1 and self.lines(word + ELLIPSIS, width_pt) > max_lines:
            word = word[: len(word) * 9 // 10] if len(word) > 20 else word[:-1]
        return word + ELLIPSIS


def _words(text: str) -> list[str]:
    """Return the text's words: what lies between the spaces a line may break at (a no-break space joins two words
    into one, as a title's preposition and the word after it, or an amount and its unit)."""
    return [word for word in _BREAKING.split(text) if word]


def _cut(words: list[str]) -> str:
    return " ".join(words).rstrip(_TRAILING) + ELLIPSIS
