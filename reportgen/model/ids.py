"""Cluster ids: the characters allowed, the key under which two ids name the same file, the scripts they mix."""

from __future__ import annotations

import unicodedata

from reportgen.i18n import N_

MAX_LENGTH = 20
RULE = N_("an id of at most {n} letters, digits and dashes (e.g. EG-LX-003)")  # translated and filled where shown


def normal(text: str) -> str:
    """Return the id in composed form (NFC), as typed otherwise: é typed as e + accent is é."""
    return unicodedata.normalize("NFC", text)


def allowed(text: str) -> bool:
    """Return True when the id is letters (of any script), decimal digits and inner dashes only."""
    return (
        0 < len(text) <= MAX_LENGTH
        and not text.startswith("-")
        and not text.endswith("-")
        and all(ch == "-" or ch.isdecimal() or unicodedata.category(ch).startswith("L") for ch in text)
    )


def file_key(text: str) -> str:
    """Return what two ids share when they would name the same file: case and compatibility forms folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def scripts(text: str) -> list[str]:
    """Return the scripts of the id's letters in order of first use, e.g. ["LATIN", "CYRILLIC"] for EG-LХ-001."""
    found: list[str] = []
    for ch in text:
        if unicodedata.category(ch).startswith("L"):
            script = unicodedata.name(ch, "UNKNOWN").split()[0]
            if script not in found:
                found.append(script)
    return found
