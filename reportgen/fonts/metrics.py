"""Text widths from the bundled fonts' metrics, to decide what fits before layout."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache

from reportgen.fonts import files as fontfiles
from reportgen.fonts.files import FONT_FACES

ELLIPSIS = "…"
# Widths come from each letter's contextual form (init/medi/fina) without ligatures or kerning, so
# they run a little long for Amiri (its ligatures are narrower) and match Noto; the margin covers the rest.
SAFETY = 1.045
_TRAILING = " \t،,;؛:.-–—(«\"'/"  # nothing of these is left dangling before an ellipsis
_FILES = {(family, weight == "bold"): file for family, file, weight in FONT_FACES}
_RIGHT_JOINING = frozenset("\u0622\u0623\u0624\u0625\u0627\u0629\u062f\u0630\u0631\u0632\u0648\u0671")
_TATWEEL = "\u0640"
_MIN_EM = 0.15  # for a visible character whose advance the font leaves at 0 (Amiri's tatweel)


def _joining(char: str) -> str:
    """Return the Arabic joining type: D (dual), R (right), C (join-causing) or U (none)."""
    if char in _RIGHT_JOINING:
        return "R"
    if char == _TATWEEL:
        return "C"
    cp = ord(char)
    if (0x0620 <= cp <= 0x064A or 0x066E <= cp <= 0x06D3) and char != "\u0621":
        return "D"
    return "U"


def _skip(char: str) -> bool:
    """Return True for marks and controls, which neither take room nor break a join."""
    return unicodedata.category(char) in ("Mn", "Cf", "Cc")


@dataclass(frozen=True)
class _Metrics:
    """One font's advances in em: by code point, and of each contextual form."""

    isolated: dict[int, float]
    forms: dict[str, dict[int, float]]  # "init" | "medi" | "fina" → {code point: em}


@cache
def _metrics(file: str) -> _Metrics:
    font = fontfiles.font(file)
    per_em = font["head"].unitsPerEm
    advance = font["hmtx"].metrics
    cmap = font.getBestCmap()
    isolated = {cp: advance[name][0] / per_em for cp, name in cmap.items()}
    forms = {tag: {} for tag in ("init", "medi", "fina")}
    if "GSUB" in font:
        table = font["GSUB"].table
        for tag, target in forms.items():
            swaps = _substitutions(table, tag)
            target.update(
                {cp: sum(advance[g][0] for g in swaps[name]) / per_em for cp, name in cmap.items() if name in swaps}
            )
    return _Metrics(isolated, forms)


def _substitutions(table, tag: str) -> dict[str, list[str]]:
    """Return glyph → replacement glyphs of a feature's single and multiple substitutions."""
    lookups = sorted(
        {
            i
            for record in table.FeatureList.FeatureRecord
            if record.FeatureTag == tag
            for i in record.Feature.LookupListIndex
        }
    )
    out: dict[str, list[str]] = {}
    for index in lookups:
        lookup = table.LookupList.Lookup[index]
        for sub in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:  # extension: the real subtable is inside
                kind, sub = sub.ExtSubTable.LookupType, sub.ExtSubTable
            if kind in (1, 2):
                for glyph, new in sub.mapping.items():
                    out.setdefault(glyph, [new] if isinstance(new, str) else list(new))
    return out


def _forms(text: str) -> list[str | None]:
    """Return each character's contextual form tag (None: isolated or not Arabic)."""
    kinds = [_joining(c) for c in text]
    out: list[str | None] = []
    for i, kind in enumerate(kinds):
        if kind == "U":
            out.append(None)
            continue
        before = next((kinds[j] for j in range(i - 1, -1, -1) if not _skip(text[j])), "U")
        after = next((kinds[j] for j in range(i + 1, len(text)) if not _skip(text[j])), "U")
        joins_before = before in "DC"
        joins_after = kind in "DC" and after in "DRC"
        out.append(
            "medi" if joins_before and joins_after else "fina" if joins_before else "init" if joins_after else None
        )
    return out


@dataclass(frozen=True)
class Font:
    """A CSS font stack at one size: measures, wraps and shortens text as the PDF will set it."""

    families: tuple[str, ...]  # CSS order, e.g. ("RG Naskh", "RG Latin")
    size_pt: float
    bold: bool = False

    def _em(self, char: str, form: str | None) -> float:
        if _skip(char):
            return 0.0
        cp = ord(char)
        for family in self.families:  # a family without a bold face is made bold by Pango, same advances
            metrics = _metrics(_FILES.get((family, self.bold)) or _FILES[(family, False)])
            if cp in metrics.isolated:
                em = metrics.forms[form].get(cp, metrics.isolated[cp]) if form else metrics.isolated[cp]
                return em or _MIN_EM
        return 1.0  # none of our fonts has it: assume a full em

    def width(self, text: str) -> float:
        """Return the text's width in points (never much under what Pango sets, see SAFETY)."""
        return sum(self._em(c, f) for c, f in zip(text, _forms(text), strict=True)) * self.size_pt * SAFETY

    def lines(self, text: str, width_pt: float) -> int:
        """Return how many lines text takes in a box width_pt wide, breaking at spaces (0 for no text)."""
        count, line = 0, 0.0
        space = self.width(" ")
        for word in text.split():
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
        text = " ".join(text.split())
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


def _cut(words: list[str]) -> str:
    return " ".join(words).rstrip(_TRAILING) + ELLIPSIS
