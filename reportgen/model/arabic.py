"""Arabic text clean-up: folding names for matching, cleaning cell text, reading digits."""

from __future__ import annotations

import re
import unicodedata

TATWEEL = "\u0640"
# Bidi controls, zero-width characters and the BOM: invisible, and they break matching.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad]")
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_FOLD_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_SPACES = re.compile(r"[\s_\-]+")
NBSP = "\u00a0"
# A preposition (في، من، إلى، على، عن, with or without و) and the word after it: a title never breaks between them.
_PREPOSITION = re.compile(r"(?<!\S)(و?(?:في|من|إلى|الى|على|عن)) (?=\S)")


def clean(text: str) -> str:
    """Return cell text with presentation forms normalised, invisible marks removed and spaces trimmed."""
    text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def fold(text: str) -> str:
    """Return a matching key: case, tatweel, diacritics, alef/teh marbuta/yeh variants and spacing ignored."""
    text = clean(str(text)).casefold()
    text = text.replace(TATWEEL, "")
    text = _DIACRITICS.sub("", text)
    text = text.translate(_FOLD_LETTERS)
    return _SPACES.sub(" ", text).strip()


def ascii_digits(text: str) -> str:
    """Return text with Arabic-Indic and Persian digits turned into 0-9."""
    return text.translate(_DIGITS)


def arabic_indic_digits(text: str) -> str:
    """Return text with 0-9 turned into Arabic-Indic digits (٠-٩)."""
    return text.translate(_ARABIC_INDIC)


# First words of bodies' names that take a masculine verb ("يشهد مركز …"); a name ending in ة or ات, or دار, takes
# a feminine one. Any other first word (Latin letters, an acronym) gets the neutral "تشهد جهة منح الشهادة، …،".
_MASCULINE = frozenset(
    "مركز جهاز معهد مكتب مجلس اتحاد مختبر معمل قطاع صندوق بنك مصرف برنامج مشروع نادي مجمع تجمع مصنع".split()
)
_FEMININE = frozenset(("دار",))


def gender(name: str) -> str:
    """Return "m" or "f", the gender a verb or pronoun takes for a body's name (its first word), "" if unknown."""
    first = fold(name.split()[0] if name.split() else "")
    bare = first.removeprefix("ال") if len(first) > 4 else first
    if bare in _MASCULINE:
        return "m"
    if (bare.endswith(("ه", "ات")) and re.fullmatch("[\u0621-\u064a]+", bare)) or bare in _FEMININE:
        return "f"
    return ""


def attestation(body: str) -> str:
    """Return "<verb> <body>" for a certificate's "… attests that": the verb agrees with the name's first word."""
    agrees = gender(body)
    if agrees == "m":
        return f"يشهد {body}"
    if agrees == "f":
        return f"تشهد {body}"
    return f"تشهد جهة منح الشهادة، {body}،"


def keep_prepositions(text: str) -> str:
    """Return a title with each preposition (في، من، إلى، على، عن) joined to the word after it by a no-break space:
    the planner measures the title as the template prints it (render/textruns.py's `prepositions` filter)."""
    return _PREPOSITION.sub(lambda m: m.group(1) + NBSP, text)
