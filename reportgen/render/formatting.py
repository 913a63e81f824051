"""Numbers, money, percentages and Gregorian + Hijri dates for Arabic documents; the only importer of Babel."""  # noqa: E501

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import (
    NumberPattern,
    format_compact_decimal,
    format_decimal,
    format_percent,
    get_currency_symbol,
)
from hijridate import Gregorian

from reportgen.documents.common import unit_places
from reportgen.i18n import _
from reportgen.model.arabic import arabic_indic_digits, ascii_digits
from reportgen.settings import DIGIT_STYLES

Number = int | float | Decimal

LRI = "\u2066"  # left-to-right isolate
RLI = "\u2067"  # right-to-left isolate
FSI = "\u2068"  # first-strong isolate
PDI = "\u2069"  # pop directional isolate
NBSP = "\u00a0"  # keeps an amount and its unit on one line
CURRENCY_AR = "ج.م"
GREGORIAN_ERA = "م"
HIJRI_ERA = "هـ"
HIJRI_ADJUST_LIMIT = 2

# Bidi marks Babel inserts (RLM, LRM, ALM); isolates are ours and are kept.
_MARKS = re.compile("[\u200e\u200f\u061c]")
_ARABIC_SYMBOLS = {"group": "٬", "decimal": "٫", "percentSign": "٪"}
_COMPACT_CEILING = Decimal("999.95")  # rounds to 1000.0 at one decimal: use the next unit
_LARGEST_UNIT = Decimal(10) ** 12
_SCALE_WORDS = {10**3: "ألف", 10**6: "مليون", 10**9: "مليار"}
_SCALE_WORDS_EN = {10**3: "thousand", 10**6: "million", 10**9: "billion"}

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")  # CLDR's, all six used by Arabic
# Counted phrases, one per CLDR plural category ("other" stands in for a missing one); {n} is where the
# number goes. Arabic: 1 and 2 are said by the noun alone (تدخل، تدخلان), 3–10 (and 103–110…) take a
# plural (٣ تدخلات), 11–99 a singular in the accusative (١١ تدخلا), 100–102 (200–202…) a singular (١٠٠ تدخل).
COUNTED: dict[str, dict[str, str]] = {
    "more_interventions": {
        "one": "وتدخل آخر",
        "two": "وتدخلان آخران",
        "few": "و{n} تدخلات أخرى",
        "many": "و{n} تدخلا آخر",
        "other": "و{n} تدخل آخر",
    },
    "planned_interventions": {
        "one": "تدخل مخطط واحد",
        "two": "تدخلان مخططان",
        "few": "{n} تدخلات مخططة",
        "many": "{n} تدخلا مخططا",
        "other": "{n} تدخل مخطط",
    },
    "planned_interventions_genitive": {  # after a noun: اعتماد تمويل تدخلين مخططين
        "one": "تدخل مخطط واحد",
        "two": "تدخلين مخططين",
        "few": "{n} تدخلات مخططة",
        "many": "{n} تدخلا مخططا",
        "other": "{n} تدخل مخطط",
    },
    "interventions": {  # every intervention whatever its status: ٨ تدخلات
        "one": "تدخل واحد",
        "two": "تدخلان",
        "few": "{n} تدخلات",
        "many": "{n} تدخلا",
        "other": "{n} تدخل",
    },
    "interventions_object": {  # the object of a verb: تشمل الاستراتيجية تدخلين
        "one": "تدخلا واحدا",
        "two": "تدخلين",
        "few": "{n} تدخلات",
        "many": "{n} تدخلا",
        "other": "{n} تدخل",
    },
    "interventions_label": {  # under a figure that shows the number: "تدخلات" under ٢ (the dual would say two again)
        "zero": "تدخلات",
        "one": "تدخل",
        "two": "تدخلات",
        "few": "تدخلات",
        "many": "تدخلا",
        "other": "تدخل",
    },
    # How many of the interventions just counted have each status (the noun understood): ٨ تدخلات: ٣ منجزة،
    # و٢ قيد التنفيذ، و٣ مخططة.
    "status_done": {
        "one": "واحد منجز",
        "two": "اثنان منجزان",
        "few": "{n} منجزة",
        "many": "{n} منجزا",
        "other": "{n} منجز",
    },
    "status_in_progress": {
        "one": "واحد قيد التنفيذ",
        "two": "اثنان قيد التنفيذ",
        "other": "{n} قيد التنفيذ",
    },
    "status_planned": {
        "one": "واحد مخطط",
        "two": "اثنان مخططان",
        "few": "{n} مخططة",
        "many": "{n} مخططا",
        "other": "{n} مخطط",
    },
    # Every intervention counted has the one status: ٣ تدخلات: جميعها مخططة (not "٣ تدخلات: ٣ مخططة")
    "status_all_done": {"one": "منجز", "two": "كلاهما منجز", "other": "جميعها منجزة"},
    "status_all_in_progress": {"one": "قيد التنفيذ", "two": "كلاهما قيد التنفيذ", "other": "جميعها قيد التنفيذ"},
    "status_all_planned": {"one": "مخطط", "two": "كلاهما مخطط", "other": "جميعها مخططة"},
    "planned_interventions_label": {  # under a figure that shows the number
        "zero": "تدخلات مخططة",
        "one": "تدخل مخطط",
        "two": "تدخلان مخططان",
        "few": "تدخلات مخططة",
        "many": "تدخلا مخططا",
        "other": "تدخل مخطط",
    },
    "more_conditions": {
        "one": "وحالة أخرى",
        "two": "وحالتان أخريان",
        "few": "و{n} حالات أخرى",
        "many": "و{n} حالة أخرى",
        "other": "و{n} حالة أخرى",
    },
    "minor_conditions": {  # after بإغلاق, with their deadlines: بإغلاق حالتي عدم المطابقة البسيطتين في موعديهما
        "one": "حالة عدم المطابقة البسيطة في موعدها",
        "two": "حالتي عدم المطابقة البسيطتين في موعديهما",
        "few": "{n} حالات عدم مطابقة بسيطة في مواعيدها",
        "many": "{n} حالة عدم مطابقة بسيطة في مواعيدها",
        "other": "{n} حالة عدم مطابقة بسيطة في مواعيدها",
    },
    "every_months": {
        "one": "كل شهر",
        "two": "كل شهرين",
        "few": "كل {n} أشهر",
        "many": "كل {n} شهرا",
        "other": "كل {n} شهر",
    },
    "criteria": {  # the object of a verb: قيم الفريق معيارين
        "one": "معيارا واحدا",
        "two": "معيارين",
        "few": "{n} معايير",
        "many": "{n} معيارا",
        "other": "{n} معيار",
    },
    "axes": {  # after a preposition: على محورين
        "one": "محور واحد",
        "two": "محورين",
        "few": "{n} محاور",
        "many": "{n} محورا",
        "other": "{n} محور",
    },
    "enterprises": {  # the object of a verb: تضم منشأتين
        "one": "منشأة واحدة",
        "two": "منشأتين",
        "few": "{n} منشآت",
        "many": "{n} منشأة",
        "other": "{n} منشأة",
    },
    "clusters": {  # the subject of a sentence or a heading's figure: ٥ تجمعات
        "one": "تجمع واحد",
        "two": "تجمعان",
        "few": "{n} تجمعات",
        "many": "{n} تجمعا",
        "other": "{n} تجمع",
    },
    "clusters_object": {  # the object of a verb: يبلغ عدد التجمعات المشمولة تجمعين
        "one": "تجمعا واحدا",
        "two": "تجمعين",
        "few": "{n} تجمعات",
        "many": "{n} تجمعا",
        "other": "{n} تجمع",
    },
    "workers": {  # the object of a verb: يعمل بها ٩٨٬٢٧٩ عاملا وعاملة
        "one": "عامل واحد",
        "two": "عاملان",
        "few": "{n} عمال وعاملات",
        "many": "{n} عاملا وعاملة",
        "other": "{n} عامل وعاملة",
    },
    "workers_label": {  # under a figure that shows the number
        "zero": "عمال وعاملات",
        "one": "عامل",
        "two": "عاملان",
        "few": "عمال وعاملات",
        "many": "عاملا وعاملة",
        "other": "عامل وعاملة",
    },
    "priority_clusters": {  # the subject of a sentence: ٢٦ تجمعا ذا أولوية عالية
        "one": "تجمع واحد ذو أولوية عالية",
        "two": "تجمعان ذوا أولوية عالية",
        "few": "{n} تجمعات ذات أولوية عالية",
        "many": "{n} تجمعا ذا أولوية عالية",
        "other": "{n} تجمع ذي أولوية عالية",
    },
    "enterprises_label": {
        "zero": "منشآت",
        "one": "منشأة",
        "two": "منشأتان",
        "few": "منشآت",
        "many": "منشأة",
        "other": "منشأة",
    },
    "clusters_label": {
        "zero": "تجمعات إنتاجية طبيعية",
        "one": "تجمع إنتاجي طبيعي",
        "two": "تجمعان إنتاجيان طبيعيان",
        "few": "تجمعات إنتاجية طبيعية",
        "many": "تجمعا إنتاجيا طبيعيا",
        "other": "تجمع إنتاجي طبيعي",
    },
    "governorates": {  # after a preposition: في ٨ محافظات، في محافظتين
        "one": "محافظة واحدة",
        "two": "محافظتين",
        "few": "{n} محافظات",
        "many": "{n} محافظة",
        "other": "{n} محافظة",
    },
    "governorates_label": {
        "zero": "محافظات ممثلة",
        "one": "محافظة ممثلة",
        "two": "محافظتان ممثلتان",
        "few": "محافظات ممثلة",
        "many": "محافظة ممثلة",
        "other": "محافظة ممثلة",
    },
}


def _wrap(text: object, opener: str) -> str:
    """Return text between opener and PDI; empty text (or None) stays empty."""
    text = "" if text is None else str(text)
    return f"{opener}{text}{PDI}" if text else ""


def ltr(text: object) -> str:
    """Return text in a left-to-right isolate (codes, ids, numeric dates, ISO 9001:2015, URLs)."""
    return _wrap(text, LRI)


def isolate(text: object) -> str:
    """Return text in a first-strong isolate, so its direction cannot disturb the sentence."""
    return _wrap(text, FSI)


def rtl(text: object) -> str:
    """Return text in a right-to-left isolate: "٤٠٪" with its ٪ after the number in Arabic reading order (on its
    left), whatever follows; a first-strong isolate finds no strong letter in it and sets it left to right."""
    return _wrap(text, RLI)


# A run of Latin letters/digits with the punctuation that binds them, spaces inside it included
# (ISO 105-C06, 2024-09-02, IRR ≥ 18%, ±10 °C, 150).
_RUN_CHARS = r"A-Za-z0-9.,:;/_+%#&≥≤=×°–\-"
_LATIN_RUN = re.compile(rf"±?[A-Za-z0-9°][{_RUN_CHARS}]*(?:[ {NBSP}]+±?[A-Za-z0-9≥≤=×°][{_RUN_CHARS}]*)*")
_LATIN_LETTER = re.compile("[A-Za-z]")
_BETWEEN_DIGITS = {".": "٫", ",": "٬"}  # Arabic decimal and thousands separators
WJ = "\u2060"  # word joiner: no line break here
# A measure: a number and the unit symbol after it (±10 °C, 0.5 ppm, 12 kg, 0.5 mg/L). Its number is a number of the
# text and takes the document's digits (±١٠ °C); the symbol stays as the trade writes it. A standard or a code
# (ISO 105-C06, ES 4850, EG-LX-001) is a name, not a quantity: it keeps its Latin digits.
UNIT_SYMBOL = r"(?:°C|°F|°|ppm|%|kg|g|mg|t|km|m|cm|mm|ml|l)(?:/[A-Za-z]+)?"
_MEASURE = re.compile(rf"([±+\-−]?[0-9][0-9.,]*)[ {NBSP}]*({UNIT_SYMBOL})")
_UNBROKEN = 24  # characters: a Latin run up to this long is kept on one line
# A quantity inside a Latin run (IRR ≥ 18%, pH ≤ 7 mg/L): a percentage, or a measure after a comparison sign, is a
# number of the text, not part of a name: it takes the document's digits (IRR ≥ ١٨٪) while the label stays Latin.
QUANTITY_IN_RUN = re.compile(
    rf"(?<![A-Za-z0-9.,\-/:])([0-9][0-9.,]*)(%)"
    rf"|(?<=[≥≤=<>])([ {NBSP}{WJ}]*)([0-9][0-9.,]*)[ {NBSP}]*({UNIT_SYMBOL})(?![A-Za-z])"
)


def free_number(number: str, digit_style: str) -> str:
    """Return a number typed in free text in the document's digits: "2.5" → "٢٫٥", "1,200" → "١٬٢٠٠" in Arabic."""
    if digit_style != "arabic":
        return number
    number = re.sub(r"(?<=\d)[.,](?=\d)", lambda m: _BETWEEN_DIGITS[m.group()], number)
    return arabic_indic_digits(number).replace("%", "٪")


def measure(number: str, unit: str, digit_style: str, gap: str = NBSP) -> str:
    """Return a number and its unit symbol as one isolated run, in the order its digits read.

    In Arabic digits the number is read first, from the right, as "١٢ كجم" is: right to left, the unit on its
    left (a signed number and a unit each kept whole: ±١٠, °C); in Latin digits the run reads left to right.
    """
    if digit_style != "arabic":
        return ltr(f"{number}{gap}{unit}")
    number = free_number(number, digit_style)
    unit = free_number(unit, digit_style)  # % → ٪; the others keep their own order (°C, not C°)
    return rtl(f"{ltr(number) if number[0] in '±+-−' else number}{gap}{unit if unit == '٪' else ltr(unit)}")


def isolate_latin(text: object, digit_style: str = "latin") -> str:
    """Return free text with its Latin runs kept whole, left to right, and its numbers in the digit style.

    A run with a Latin letter (a code, a standard: EG-LX-001, ISO 9001:2015) keeps Latin digits and never
    breaks across lines; a bare number in Arabic text ("150 منحة") and the number of a measure (±10 °C, see
    UNIT_SYMBOL) take the document's digits. Runs with a hyphen, dash, slash, colon or space are isolated left
    to right, so they keep their order; a full stop, comma, colon or semicolon ending a run is the sentence's
    and stays outside the isolate.
    """
    if text is None:
        return ""

    def one(match: re.Match) -> str:
        run = match.group()
        if (unit := _MEASURE.fullmatch(run)) and _LATIN_LETTER.search(run):  # ±10 °C: the number in the text's digits
            return measure(unit.group(1), unit.group(2), digit_style, " " + WJ)
        if _LATIN_LETTER.search(run) or digit_style != "arabic":
            if len(run) <= _UNBROKEN:  # a code or a measure, not a Latin sentence: break neither at spaces nor hyphens
                run = run.replace(" ", " " + WJ).replace("-", "-" + WJ)  # a plain space still searches as typed
            if digit_style == "arabic" and QUANTITY_IN_RUN.search(run):  # IRR ≥ 18%: the percentage is a quantity
                return ltr(QUANTITY_IN_RUN.sub(_quantity, run))  # left to right: ≥ stays ≥, never mirrored to ≤
        else:
            run = free_number(run, digit_style)
        return ltr(run) if re.search(r"[-–/: ]", match.group()) else run

    def whole(match: re.Match) -> str:
        # Punctuation ending a run ends the phrase ("2019–2030: أين"): it stays outside, after the run in reading.
        run = match.group()
        bare = run.rstrip(".,:;")
        return one(_LATIN_RUN.fullmatch(bare) or match) + run[len(bare) :] if bare else run

    # A run isolated already (a number and its unit) is left as it is: isolating it twice nests the isolates.
    parts = re.split(f"({LRI}[^{LRI}{PDI}]*{PDI})", str(text))
    return "".join(part if part.startswith(LRI) else _LATIN_RUN.sub(whole, part) for part in parts)


def _quantity(match: re.Match) -> str:
    """Return a quantity found inside a Latin run (QUANTITY_IN_RUN) as an Arabic measure: ١٨٪, ≥ ٧ mg/L."""
    if match.group(2):
        return measure(match.group(1), match.group(2), "arabic", "")
    return match.group(3) + measure(match.group(4), match.group(5), "arabic", "" if match.group(5) == "%" else " " + WJ)


def strip_marks(text: str) -> str:
    """Return text without the RLM, LRM and ALM marks that Babel puts into its output."""
    return _MARKS.sub("", text)


def _as_decimal(value: Number) -> Decimal:
    """Return a number as a Decimal, floats through their shortest repr (0.1 stays 0.1)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _rounded(value: Decimal, places: int) -> Decimal:
    """Return value rounded half-up to places decimals, with no negative zero."""
    result = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(result) if result == 0 else result


def _as_date(value: dt.date) -> dt.date:
    """Return the date part of a date or datetime."""
    return value.date() if isinstance(value, dt.datetime) else value


def _fixed(pattern: NumberPattern, places: int) -> NumberPattern:
    """Return a copy of a locale's number pattern showing exactly places decimals."""
    result = copy.copy(pattern)
    result.frac_prec = (places, places)
    return result


class Formatter:
    """Formats values for one document in one locale and one digit style ("arabic" or "latin")."""

    def __init__(self, locale: str = "ar_EG", digits: str = "arabic", hijri_adjust: int = 0) -> None:
        if digits not in DIGIT_STYLES:
            raise ValueError(f"digits must be one of {', '.join(DIGIT_STYLES)}, not {digits!r}")
        if not isinstance(hijri_adjust, int) or abs(hijri_adjust) > HIJRI_ADJUST_LIMIT:
            raise ValueError(f"hijri_adjust must be a whole number of days from -2 to 2, not {hijri_adjust!r}")
        try:
            self.locale = Locale.parse(locale)
        except (ValueError, TypeError, UnknownLocaleError) as error:
            raise ValueError(_("not a known language and country code (e.g. ar_EG)")) from error
        self.digit_style = digits
        self.hijri_adjust = hijri_adjust
        self.currency = CURRENCY_AR if self.locale.language == "ar" else get_currency_symbol("EGP", self.locale)
        self._separators = self._separator_table()

    def __repr__(self) -> str:
        locale, digits, adjust = str(self.locale), self.digit_style, self.hijri_adjust
        return f"Formatter(locale={locale!r}, digits={digits!r}, hijri_adjust={adjust})"

    def _separator_table(self) -> dict[int, str]:
        """Return the translation of Babel's Latin separators into this style (٬ ٫ ٪ for arabic)."""
        if self.digit_style == "latin":
            return {}
        symbols = {name: strip_marks(self.locale.number_symbols["latn"][name]) for name in _ARABIC_SYMBOLS}
        return {ord(symbols[name]): arabic for name, arabic in _ARABIC_SYMBOLS.items() if len(symbols[name]) == 1}

    def _number_text(self, babel_output: str) -> str:
        """Return Babel's Latin-numbered output in this digit style, without bidi marks."""
        return self.digits(strip_marks(babel_output).translate(self._separators))

    def digits(self, text: object) -> str:
        """Return text with its digits in this style (٠-٩ or 0-9) and without bidi marks."""
        text = strip_marks("" if text is None else str(text))
        return arabic_indic_digits(text) if self.digit_style == "arabic" else ascii_digits(text)

    def integer(self, n: Number | None) -> str:
        """Return a whole number with grouping, e.g. "١٢٬٣٤٥" (rounded half-up; None gives "")."""
        return self.decimal(n, 0)

    def plural(self, n: Number, forms: dict[str, str]) -> str:
        """Return the form for n's CLDR plural category in this locale (zero … other), else forms["other"]."""
        return forms.get(self.locale.plural_form(n), forms["other"])

    def counted(self, n: Number, forms: dict[str, str], number=None) -> str:
        """Return n's phrase from forms with the number in this digit style, e.g. "٣ تدخلات", "١١ تدخلا", "تدخلان".

        number, when given, formats the number instead of `integer` (a filter isolates it, for instance).
        """
        return self.plural(n, forms).replace("{n}", (number or self.integer)(n))

    def period(self, start: dt.date | None, end: dt.date | None, month=None) -> str:
        """Return the months from start to end, "نوفمبر ٢٠٢٦ – مارس ٢٠٢٧", "نوفمبر – ديسمبر ٢٠٢٦" (a shared year
        once), "نوفمبر ٢٠٢٦" (one month), "من …" or "حتى …" ("" without either).

        month, when given, formats each month instead of `month` (a filter isolates them, for instance).
        """
        m = month or self.month
        if start and end:
            a, b = _as_date(start), _as_date(end)
            if (a.year, a.month) == (b.year, b.month):  # one month: said once
                return m(a)
            if a.year == b.year and a < b:  # the year once, after the last month: "نوفمبر – ديسمبر ٢٠٢٦"
                return f"{self.digits(format_date(a, 'MMMM', locale=self.locale))} – {m(b)}"
            return f"{m(start)} – {m(end)}"
        return f"من {m(start)}" if start else f"حتى {m(end)}" if end else ""

    def decimal(self, x: Number | None, places: int = 1) -> str:
        """Return a number with exactly places decimals, e.g. "١٬٢٣٤٫٥" (None gives "")."""
        if x is None:
            return ""
        pattern = _fixed(self.locale.decimal_formats[None], places)
        value = _rounded(_as_decimal(x), places)
        return self._number_text(format_decimal(value, pattern, self.locale, numbering_system="latn"))

    def average(self, x: Number | None, places: int = 1) -> str:
        """Return a mean with up to places decimals, a whole one without them: "٣٫٥", "٣" (not "٣٫٠")."""
        if x is None:
            return ""
        value = _rounded(_as_decimal(x), places)
        return self.decimal(value, places if value != value.to_integral_value() else 0)

    def percent(self, fraction: Number | None, places: int = 0) -> str:
        """Return a fraction 0..1 as a percentage, e.g. 0.37 → "٣٧٪" (None gives "")."""
        if fraction is None:
            return ""
        pattern = _fixed(self.locale.percent_formats[None], places)
        value = _rounded(_as_decimal(fraction) * 100, places) / 100
        return self._number_text(format_percent(value, pattern, self.locale, numbering_system="latn"))

    def money(self, amount: Number | None, places: int = 0) -> str:
        """Return an amount in Egyptian pounds, e.g. "١٢٬٥٠٠ ج.م" (a no-break space before ج.م)."""
        if amount is None:
            return ""
        return f"{self.decimal(amount, places)}{NBSP}{self.currency}"

    def money_compact(self, amount: Number | None) -> str:
        """Return a large amount in words of thousands, e.g. "٤٫٢ مليار ج.م", "٨٥٠ ألف ج.م"."""
        if amount is None:
            return ""
        value = _as_decimal(amount)
        if abs(value) < 1000:
            return self.money(value)
        scale = Decimal(1000)
        while abs(value) / scale >= _COMPACT_CEILING and scale < _LARGEST_UNIT:
            scale *= 1000
        short = _rounded(value / scale, 1) * scale
        text = format_compact_decimal(short, locale=self.locale, fraction_digits=1, numbering_system="latn")
        return f"{self._number_text(text)}{NBSP}{self.currency}"

    def in_unit(self, amount: Number | None, scale: int) -> str:
        """Return an amount in a column's unit (see unit_name) without the unit, e.g. 4200000, 10**6 → "٤٫٢"."""
        if amount is None:
            return ""
        return self.decimal(_as_decimal(amount) / scale, unit_places(scale))

    def unit_name(self, scale: int) -> str:
        """Return the words of a column's money unit, "مليون ج.م" for 10**6, "ج.م" for 1."""
        words = _SCALE_WORDS.get(scale, "") if self.locale.language == "ar" else _SCALE_WORDS_EN.get(scale, "")
        return f"{words}{NBSP}{self.currency}" if words else self.currency

    def date(self, d: dt.date | None) -> str:
        """Return a Gregorian date in the locale's long form (no weekday), e.g. "١٥ نوفمبر ٢٠٢٦"."""
        if d is None:
            return ""
        return self.digits(format_date(_as_date(d), "long", locale=self.locale))

    def month(self, d: dt.date | None) -> str:
        """Return month and year, e.g. "نوفمبر ٢٠٢٦" (for periods in narrow table columns)."""
        if d is None:
            return ""
        return self.digits(strip_marks(format_date(_as_date(d), "MMMM y", locale=self.locale)))

    def hijri(self, d: dt.date | None) -> str:
        """Return the Umm al-Qura Hijri date, "٥ جمادى الآخرة ١٤٤٨ هـ" (in English "5 Jumada al-Akhirah 1448 AH");
        "" outside 1924–2077."""
        parts = self._hijri_parts(d)
        return f"{parts[0]} {parts[1]}" if parts else ""

    def _hijri_parts(self, d: dt.date | None) -> tuple[str, str, str] | None:
        """Return the Hijri day, "month year era" and year of d, or None outside 1924–2077."""
        if d is None:
            return None
        try:
            day = _as_date(d) + dt.timedelta(days=self.hijri_adjust)
            hijri = Gregorian(day.year, day.month, day.day).to_hijri()
        except (OverflowError, ValueError):
            return None
        if self.locale.language != "ar":  # an English page: "18 Dhu al-Qa'dah 1447 AH"
            return str(hijri.day), f"{hijri.month_name('en')} {hijri.year} AH", str(hijri.year)
        # After the day's number the month is in the genitive: ١٠ ذي الحجة, ٣ ذي القعدة (ذو is the nominative)
        month = re.sub(r"^ذو ", "ذي ", hijri.month_name("ar"))
        return self.digits(hijri.day), self.digits(f"{month} {hijri.year} {HIJRI_ERA}"), self.digits(hijri.year)

    def hijri_range(self, a: dt.date, b: dt.date | None = None) -> str:
        """Return the Hijri days from a to b as date_range says them: "من ٥ إلى ٦ رجب ١٤٤٨ هـ" (month and year
        once when shared); one date if b is None or a; "" outside 1924–2077."""
        first, last = self._hijri_parts(a), self._hijri_parts(b if b is not None else a)
        if first is None or last is None:
            return ""
        if first == last:
            return self.hijri(a)
        if first[1] == last[1]:
            start = first[0]
        elif first[2] == last[2]:
            start = f"{first[0]} {first[1].rsplit(' ', 2)[0]}"  # the month without "١٤٤٨ هـ"
        else:
            start = self.hijri(a)
        word_from, word_to = ("من", "إلى") if self.locale.language == "ar" else ("from", "to")
        return f"{word_from} {start} {word_to} {last[0]} {last[1]}"

    def date_with_hijri(self, d: dt.date | None) -> str:
        """Return "١٥ نوفمبر ٢٠٢٦ م الموافق ٥ جمادى الآخرة ١٤٤٨ هـ", or the Gregorian date alone."""
        hijri = self.hijri(d)
        gregorian = self.date(d)
        return f"{gregorian} {GREGORIAN_ERA} الموافق {hijri}" if hijri else gregorian

    def time(self, t: dt.time | dt.datetime | None) -> str:
        """Return a 24-hour time without seconds, e.g. "٩:٣٠" or "١٤:٠٥"."""
        if t is None:
            return ""
        return self.digits(format_time(t, "H:mm", locale=self.locale))

    def date_range(self, a: dt.date, b: dt.date | None = None) -> str:
        """Return "من ١٥ إلى ١٧ نوفمبر ٢٠٢٦" (shared month/year once); one date if b is None/a."""
        a = _as_date(a)
        b = a if b is None else _as_date(b)
        if b < a:
            raise ValueError(f"date range ends ({b}) before it starts ({a})")
        if a == b:
            return self.date(a)
        if (a.year, a.month) == (b.year, b.month):
            start = format_date(a, "d", locale=self.locale)
        elif a.year == b.year:
            start = format_date(a, "d MMMM", locale=self.locale)
        else:
            start = format_date(a, "long", locale=self.locale)
        return f"من {self.digits(start)} إلى {self.date(b)}"
