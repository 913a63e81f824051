"""Free text set for an Arabic page: Latin runs isolated and kept on one line, numbers in the document's digits,
headings that never end with one word alone."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from reportgen.render.formatting import LRI, NBSP, PDI, isolate_latin, ltr

# A number and the unit or symbol after it (±10 °C, 0.5 ppm, 12 kg): one unit of meaning, kept on one line.
# A unit per another stays whole with them (0.5 mg/L).
_NUMBER_UNIT = re.compile(
    r"(?<![\w.])([±+\-−]?\d[\d.,٫٬]*) ((?:°C|°F|°|ppm|%|kg|g|mg|t|km|m|cm|mm|ml|l)(?:/[A-Za-z]+)?)(?![\w/])"
)
# An amount and its scale and currency (50 مليون ج.م, 5 ملايين USD) and a clitic before a number (لـ 10): one
# phrase each, joined by no-break spaces so that no line ends inside them.
_AMOUNT = re.compile(
    r"(?<=\d) (?=(?:ألف|آلاف|مليون|ملايين|مليار|مليارات|ج\.م|جنيه|USD|EUR|دولار|يورو)(?!\w))"
    r"|(?:(?<=ألف)|(?<=آلاف)|(?<=مليون)|(?<=ملايين)|(?<=مليار)) (?=(?:ج\.م|جنيه|USD|EUR|دولار|يورو)(?!\w))"
    r"|(?<=ـ) (?=\d)"
)
_ISOLATED = re.compile(f"{LRI}[^{PDI}]{{1,40}}{PDI}")


def unbreakable(text: object, digit_style: str = "latin") -> Markup:
    """Return free text with its Latin runs isolated (see isolate_latin) and kept on one line.

    A code or standard split at its space or hyphen ("ISO 105-" / "C06") reads as two things, and
    a measure torn from its number ("±10" / "°C") reads as nothing; both are set in a no-wrap span.
    """
    isolated = isolate_latin(
        _NUMBER_UNIT.sub(lambda m: ltr(f"{m.group(1)}{NBSP}{m.group(2)}"), _AMOUNT.sub(NBSP, str(text or ""))),
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
    copy with a plain space) and its Latin runs kept whole: it never ends with one word on a line of its own."""
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
