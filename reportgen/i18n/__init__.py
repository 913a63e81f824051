"""Messages in the user's language: gettext catalogs shipped in the package, one language per run or request.

Owns: the choice of language (``--lang``, ``LANG``/``LC_ALL``/``LC_MESSAGES``, a web request) and the lookup of
a message's translation. Imports nothing from reportgen: every layer may translate what it says.

Messages are written in English in the code, wrapped in ``_()`` (or ``ngettext`` for counts; ``N_()`` marks a
constant translated later, where it is shown) so that ``pybabel extract`` finds them (see CONTRIBUTING.md,
"Translations"). The language lives in a context variable,
so a web request or a worker process can use its own without touching the others.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "reportgen"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("ar", "en")  # English is the source language: it needs no catalog
DEFAULT = "en"

_language: ContextVar[str] = ContextVar("reportgen_language", default=DEFAULT)


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    """Return the compiled catalog of one language (English and unknown languages: the messages as written)."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


def normalize(value: str | None) -> str | None:
    """Return 'ar' or 'en' for a language tag or locale name ('ar_EG.UTF-8', 'en-GB', 'AR'), None if unknown."""
    if not value:
        return None
    code = value.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def from_environment(environ: Mapping[str, str]) -> str:
    """Return the language a POSIX program would use: LANGUAGE, LC_ALL, LC_MESSAGES, then LANG; else English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            # LANGUAGE may list several ('ar:en'); the first one we have wins, as in gettext.
            for part in value.split(":"):
                language = normalize(part)
                if language:
                    return language
            if name != "LANGUAGE":
                return DEFAULT  # a set locale we don't translate (fr_FR, C.UTF-8) means English
    return DEFAULT


def current() -> str:
    """Return the language of the current run or request."""
    return _language.get()


def set_language(language: str) -> None:
    """Use language ('ar' or 'en') for the rest of this context (a CLI run, a worker process)."""
    _language.set(normalize(language) or DEFAULT)


@contextmanager
def language(value: str) -> Iterator[None]:
    """Use one language inside a with-block (a web request), then the previous one again."""
    token = _language.set(normalize(value) or DEFAULT)
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str) -> str:
    """Return message in the current language (as written when it has no translation)."""
    return _catalog(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the form of a counted message for n, in the current language (Arabic has six forms)."""
    return _catalog(_language.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark message for extraction without translating it now (a constant translated where it is shown)."""
    return message


def is_arabic() -> bool:
    """Return True when messages are shown in Arabic (right to left)."""
    return _language.get() == "ar"
