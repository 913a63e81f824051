"""Free text set for an Arabic page: Latin runs isolated and kept on one line, numbers in the document's digits,
headings and short lines that never end with one word alone, honorifics kept with their names, addresses that break
only after a slash of their path."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from reportgen.model import arabic
from reportgen.render.formatting import LRI, NBSP, PDI, RLI, UNIT_SYMBOL, isolate_latin, measure

# A number and the unit or symbol after it (±10 °C, 0.5 ppm, 12 kg): one unit of meaning, kept on one line, its
# number in the document's digits (formatting.UNIT_SYMBOL). A unit per another stays whole with them (0.5 mg/L).
_NUMBER_UNIT = re.compile(rf"(?<![\w.])([±+\-−]?\d[\d.,٫٬]*) ({UNIT_SYMBOL})(?![\w/])")
# An amount and its scale and currency (50 مليون ج.م, 5 ملايين USD) and a clitic before a number (لـ 10): one
# phrase each, joined by no-break spaces so that no line ends inside them.
_AMOUNT = re.compile(
    r"(?<=\d) (?=(?:ألف|آلاف|مليون|ملايين|مليار|مليارات|ج\.م|جنيه|USD|EUR|دولار|يورو)(?!\w))"
    r"|(?:(?<=ألف)|(?<=آلاف)|(?<=مليون)|(?<=ملايين)|(?<=مليار)) (?=(?:ج\.م|جنيه|USD|EUR|دولار|يورو)(?!\w))"
    r"|(?<=ـ) (?=\d)"
)
# A number and the Arabic noun it counts (6 محافظات): a number alone at a line's end reads as nothing; a number
# that ends a code (ISO 105-C06 و) is not one; one after a clitic is (و3 تصميمات).
_COUNTED = re.compile(r"(?<![A-Za-z0-9.,:/\-−])(\d[\d.,٫٬]*) (?=[\u0621-\u064a])")
# A Latin run, a quantity isolated inside it included (IRR ≥ ١٨٪): kept on one line.
_ISOLATED = re.compile(f"{LRI}(?:[^{RLI}{PDI}]|{RLI}[^{PDI}]*{PDI}){{1,40}}{PDI}")
# An honorific before a name (د. نادية، م. طارق، أ. هبة، أ.د. سارة): a title torn from its name at a line's end reads
# as a stray letter. The space after it becomes a no-break space.
_HONORIFIC = re.compile(r"(?<![\w.])((?:أ\.\s?د|د|م|أ|ا\.\s?د)\.) (?=\w)")
# A preposition at a title's line end («…الاقتصادية في / صعيد مصر») reads as unfinished: the space after it (and after
# it with its و) becomes a no-break space, so it goes down with the next word. Not a no-wrap span: one once made
# WeasyPrint break a title's first line at its first space.
# The markup's tags and the text between them: only the text's spaces are touched.
_TAG = re.compile(r"(<[^>]*>)")
_BREAKING = " \t\r\n"  # the white space a line may break at (not the no-break space)


SHORT_NAME = 24  # characters: a name this short fits a narrow column's line, so it is kept whole


def whole_name(text: object, digit_style: str = "latin") -> Markup:
    """Return a person's name as free text, kept on one line when it is short enough to fit a narrow column."""
    name = unbreakable(text, digit_style)
    return Markup('<span class="nw">{}</span>').format(name) if len(str(text or "")) <= SHORT_NAME else name


def unbreakable(text: object, digit_style: str = "latin") -> Markup:
    """Return free text with its Latin runs isolated (see isolate_latin) and kept on one line.

    A code or standard split at its space or hyphen ("ISO 105-" / "C06") reads as two things, and
    a measure torn from its number ("±10" / "°C") reads as nothing; both are set in a no-wrap span.
    """
    isolated = isolate_latin(
        _NUMBER_UNIT.sub(
            lambda m: measure(m.group(1), m.group(2), digit_style),
            _COUNTED.sub(rf"\1{NBSP}", _AMOUNT.sub(NBSP, with_honorifics(str(text or "")))),
        ),
        digit_style,
    )
    out, last = [], 0
    for m in _ISOLATED.finditer(isolated):
        out.append(escape(isolated[last : m.start()]))
        out.append(Markup('<span class="nw">%s</span>') % m.group())
        last = m.end()
    out.append(escape(isolated[last:]))
    return Markup("").join(out)


def no_widow(text: object, digit_style: str = "latin") -> Markup:
    """Return a heading or title with its last two words kept on one line (a no-wrap span, so the words still
    copy with a plain space) and its Latin runs kept whole: it never ends with one word on a line of its own.
    Markup (a line the template composed, a `{% filter nowidow %}` block) has its last two words joined instead."""
    if isinstance(text, Markup):
        return keep_last_two(text)
    words = str(text or "").split(" ")
    if len(words) < 3:
        return unbreakable(" ".join(words), digit_style)
    head, tail = " ".join(words[:-2]), " ".join(words[-2:])
    return (
        unbreakable(head, digit_style)
        + Markup(' <span class="nw">')
        + unbreakable(tail, digit_style)
        + Markup("</span>")
    )


def with_honorifics(text: str) -> str:
    """Return text with each honorific (د. م. أ. أ.د.) joined to the name after it by a no-break space."""
    return _HONORIFIC.sub(lambda m: m.group(1) + NBSP, text)


def keep_prepositions(text: object) -> str:
    """Return a title with each preposition (في، من، إلى، على، عن) joined to the word after it by a no-break space."""
    return arabic.keep_prepositions(str(text or ""))


def keep_last_two(html: object) -> Markup:
    """Return markup (or plain text, escaped) whose last two words are joined by a no-break space, so that a short
    centred line, a heading or a paragraph never ends with one word alone on its last line; tags are left as they are.
    """
    markup = html if isinstance(html, Markup) else escape(str(html or ""))
    parts = _TAG.split(str(markup))  # text at even places, tags at odd ones
    word_after = False
    for i in range(len(parts) - 1 - (len(parts) - 1) % 2, -1, -2):
        text = parts[i]
        for j in range(len(text) - 1, -1, -1):
            if text[j] in _BREAKING and word_after:
                start = j
                while start and text[start - 1] in _BREAKING:  # the whole gap, a template's line break included
                    start -= 1
                parts[i] = text[:start] + NBSP + text[j + 1 :]
                return Markup("".join(parts))
            word_after = word_after or not text[j].isspace()
    return markup


def web_address(url: object) -> Markup:
    """Return an address set left to right that never breaks inside "https://host": only after a slash of its path.

    The scheme and host are one no-wrap run; each slash of the path is followed by a break opportunity (<wbr>).
    """
    text = str(url or "")
    match = re.match(r"([a-z][a-z0-9+.-]*://[^/]*)(.*)", text, re.IGNORECASE | re.DOTALL)
    head, path = (match.group(1), match.group(2)) if match else (text, "")
    pieces = [Markup('<span class="nw">%s</span>') % head]
    for piece in re.split(r"(?<=/)", path):
        if piece:
            pieces.append(escape(piece))
            if piece.endswith("/"):
                pieces.append(Markup("<wbr>"))
    return Markup(LRI) + Markup("").join(pieces) + Markup(PDI)
