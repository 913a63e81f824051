"""The Arabic catalog: every message the code says has a translation, with the same placeholders, compiled."""

from __future__ import annotations

import gettext
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from reportgen import i18n

ROOT = Path(__file__).resolve().parent.parent
PO = i18n.LOCALE_DIR / "ar" / "LC_MESSAGES" / "reportgen.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}  # as `make messages` extracts them


def _catalog():
    with PO.open("rb") as f:
        return read_po(f, locale="ar")


def _extracted() -> dict[object, str]:
    """Return {msgid or (singular, plural): 'file:line'} of every message the code marks, with Babel's extractor."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # what `make messages` reads, as it reads it
    found: dict[object, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, options_map=options_map, keywords=KEYWORDS
    ):
        found.setdefault(message, f"{filename}:{line}")
    return found


def test_every_message_of_the_code_has_an_arabic_translation():
    catalog = _catalog()
    untranslated = []
    for message, where in _extracted().items():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        strings = () if entry is None else entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry is None or entry.fuzzy or not strings or not all(strings):
            untranslated.append(f"{where}: {key!r}")
    assert not untranslated, "run `make messages` and translate:\n" + "\n".join(untranslated)


def test_the_catalog_holds_no_message_the_code_no_longer_says():
    wanted = {m[0] if isinstance(m, tuple) else m for m in _extracted()}
    stale = [m.id for m in _catalog() if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) not in wanted]
    assert not stale, "run `make messages`: " + repr(stale)


def test_the_compiled_catalog_is_the_po_compiled():
    """The .mo shipped in the package says what the .po says (a .po edited without `make messages` fails)."""
    built = io.BytesIO()
    write_mo(built, _catalog())
    with MO.open("rb") as f:
        shipped = read_mo(f)
    built.seek(0)
    pairs = _pairs(read_mo(built))
    assert _pairs(shipped) == pairs
    assert len(pairs) == len(_extracted())


def _pairs(catalog) -> dict:
    def frozen(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {frozen(m.id): frozen(m.string) for m in catalog if m.id}


_PERCENT = re.compile(r"%\(\w+\)[sdr]|%[sdr]")
# Click fills {name} with an English noun ("File"); the Arabic sentences say "the path" without it.
MAY_DROP = {"{name} {filename!r} does not exist.", "{name} {filename!r} is a file.",
            "{name} {filename!r} is a directory.", "{name} {filename!r} is not readable."}  # fmt: skip


def placeholders(text: str) -> set[str]:
    """Return the {fields} (with conversion and format) and %(name)s of a message."""
    fields = {
        f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
        for _literal, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    }
    return fields | set(_PERCENT.findall(text))


def test_translations_keep_every_placeholder():
    wrong = []
    for m in _catalog():
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            # Forms 3 to 5 (3–10, 11–99, 100…) say everything the English plural says; the forms for 0, 1 and 2
            # may leave the number out ("تجمعان"), and the form for 1 follows the English singular.
            singular, plural = placeholders(m.id[0]), placeholders(m.id[1])
            for index, form in enumerate(m.string):
                got = placeholders(form)
                if index == 1:
                    needed = singular - {"{n}"}
                elif index in (0, 2):  # the count itself may be said in words ("قيمتين")
                    needed = (singular & plural) - {"{n}"}
                else:
                    needed = plural
                if not needed <= got <= singular | plural:
                    wrong.append((m.id, index, form))
        else:
            wanted, got = placeholders(m.id), placeholders(m.string)
            if got != wanted and not (m.id in MAY_DROP and got < wanted):
                wrong.append((m.id, sorted(wanted), sorted(got)))
    assert not wrong, wrong


def test_the_catalog_has_arabic_plural_rules():
    """The header's rule picks, for every count, the form CLDR's Arabic rule (Babel's) picks."""
    catalog = _catalog()
    ours, cldr = gettext.c2py(catalog.plural_expr), gettext.c2py(get_plural("ar").plural_expr)
    assert catalog.num_plurals == 6 == get_plural("ar").num_plurals
    assert [ours(n) for n in range(1000)] == [cldr(n) for n in range(1000)]


@pytest.mark.parametrize(
    ("n", "clusters", "errors"),
    [
        (0, "لا تجمعات", "لا أخطاء"),
        (1, "تجمع واحد", "خطأ واحد"),
        (2, "تجمعان", "خطآن"),
        (3, "3 تجمعات", "3 أخطاء"),
        (11, "11 تجمعًا", "11 خطأً"),
        (100, "100 تجمع", "100 خطأ"),
    ],
)
def test_arabic_counts_take_the_form_of_their_number(n, clusters, errors):
    with i18n.language("ar"):
        assert i18n.ngettext("{n} cluster", "{n} clusters", n).format(n=n) == clusters
        assert i18n.ngettext("{n} error(s)", "{n} error(s)", n).format(n=n) == errors
    assert i18n.ngettext("{n} cluster", "{n} clusters", n).format(n=n) == f"{n} cluster" + ("" if n == 1 else "s")


def test_translations_use_arabic_punctuation_and_no_latin_question_mark():
    """A translated sentence uses the Arabic comma and semicolon between its parts, as an agency's letter would."""
    latin = []
    for m in _catalog():
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        for form in forms:
            prose = re.sub(r"\{[^}]*\}|%\(\w+\)s|[A-Za-z0-9_./:\-\[\]<>*'\"@#|…]+", "", form)
            if re.search(r"[\u0600-\u06ff][;?]|[;?] ?[\u0600-\u06ff]|[\u0600-\u06ff], ", prose):
                latin.append(form)
    assert not latin, latin


def test_translations_hold_no_control_characters_messages_would_escape():
    """errors.visible() shows bidi marks as escapes (a literal \\u200e): a translation must not need them."""
    from reportgen.errors import visible

    hidden = []
    for m in _catalog():
        for form in m.string if isinstance(m.string, tuple) else (m.string,):
            text = form.replace("\n", " ").replace("\b", " ")  # help texts: line breaks and Click's \b marks
            if m.id and visible(text) != text:
                hidden.append(m.id)
    assert not hidden, hidden


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "ar_EG.UTF-8"}, "ar"),
        ({"LANG": "ar"}, "ar"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "ar_EG.UTF-8"}, "ar"),
        ({"LANG": "ar_EG.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),  # a set locale we do not translate is English
        ({"LANGUAGE": "fr:ar", "LANG": "en_US.UTF-8"}, "ar"),  # the first language of the list we have
        ({"LANGUAGE": "de", "LANG": "ar_EG.UTF-8"}, "ar"),
    ],
)
def test_the_language_of_the_environment(environ, language):
    assert i18n.from_environment(environ) == language


def test_a_problem_reads_in_the_language_it_is_shown_in():
    """The severity word and the joints are chosen when shown; the workbook's names stay as typed, isolated."""
    from reportgen.errors import FSI, PDI
    from reportgen.model.problems import WARNING, Problem

    problem = Problem("a message", "التجمعات", "C7", "عدد المنشآت", "3\u202e0", WARNING)
    assert problem.describe() == 'warning: التجمعات!C7 (عدد المنشآت): a message, got "3\\u202e0"'
    with i18n.language("ar"):
        assert problem.describe() == (
            f"تنبيه: {FSI}التجمعات!C7{PDI} ({FSI}عدد المنشآت{PDI}): a message، والقيمة الموجودة «{FSI}3\\u202e0{PDI}»"
        )
