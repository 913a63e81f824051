"""Cell values → typed Python values; each converter raises ConversionError saying what was expected."""  # noqa: E501

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import TypeGuard

from reportgen.i18n import N_, _
from reportgen.model.arabic import TATWEEL, ascii_digits, clean, fold

# What a column expects, in English (translated where the problem is reported: ConversionError.expected).
WHOLE = N_("a whole number")
WHOLE_NON_NEGATIVE = N_("a whole number (0 or more)")
NUMBER = N_("a number")
AMOUNT = N_("an amount (12500, 12,500.75 or ١٢٬٥٠٠٫٧٥, optionally with ج.م or EGP)")
PERCENT = N_("a percentage (0.37, 37, ٣٧٪ or 37%)")
DATE = N_("a date (a date cell, 2026-01-31 or 31/01/2026)")
DATES = N_("one date or two dates (2026-12-14 / 2026-12-15 or 14/12/2026 - 15/12/2026)")
TIME = N_("a time (a time cell, 9:30, 14:00 or 2:30 م)")
BOOL = N_("yes or no (نعم/لا)")

EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (20_000, 80_000)  # 1954-10-03 .. 2119-01-10: plausible dates in a General cell
TEXT_YEARS = (1900, 2199)  # a year outside this in text is a typo (0202, 20266)

_NUMBER = re.compile(r"([+-])?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.([0-9]*))?")
_GROUPING = re.compile("[\\s\u00a0\u202f\u2009'\u2019]")
_CURRENCY_MARK = r"(?:ج\.?\s?م\.?|جنيه(?:ا|اً|ًا)?(?: مصري(?:ا|اً|ًا)?)?|egp|l\.?e\.?|e£|£e?)"
_CURRENCY = re.compile(rf"^{_CURRENCY_MARK}\s*|\s*{_CURRENCY_MARK}$", re.IGNORECASE)
_PERCENT_SIGN = re.compile(r"^\s*[%٪]\s*|\s*[%٪]\s*$")
_ISO = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?")
_DMY = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})")
_NAMED = re.compile(r"([0-9]{1,2})\s+(\S+)\s+([0-9]{4})")
_DATE_TOKEN = re.compile(
    r"(?<![0-9])[0-9]{4}([-/.])[0-9]{1,2}\1[0-9]{1,2}(?![0-9])"
    r"|(?<![0-9])[0-9]{1,2}([-/.])[0-9]{1,2}\2[0-9]{4}(?![0-9])"
)
_RANGE_FILLER = re.compile(r"(?:\s|[-–—/,،~]|من|إلى|الى|حتى|لغاية|و|م|to|until|till)*", re.IGNORECASE)
_GREGORIAN_MARK = re.compile(r"\s*(?:م|مـ|ميلادي(?:ة)?)\.?$")
_TIME = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2})(?::([0-9]{2}))?)?")
# Folded (reportgen.model.arabic.fold) trailing markers: True for PM, False for AM.
_MERIDIEM = {
    "ص": False,
    "صباحا": False,
    "صباح": False,
    "am": False,
    "a.m.": False,
    "a.m": False,
    "م": True,
    "مساء": True,
    "مساءا": True,
    "ظهرا": True,
    "pm": True,
    "p.m.": True,
    "p.m": True,
}
_MONTHS = {
    fold(name): number
    for number, names in enumerate(
        [
            ("يناير", "january", "jan"),
            ("فبراير", "february", "feb"),
            ("مارس", "march", "mar"),
            ("ابريل", "أبريل", "april", "apr"),
            ("مايو", "may"),
            ("يونيو", "يونية", "june", "jun"),
            ("يوليو", "يولية", "july", "jul"),
            ("اغسطس", "أغسطس", "august", "aug"),
            ("سبتمبر", "september", "sep", "sept"),
            ("اكتوبر", "أكتوبر", "october", "oct"),
            ("نوفمبر", "november", "nov"),
            ("ديسمبر", "december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_TRUE = {"yes", "y", "true", "1", "x", "✓", "✔", "نعم", "اجل", "صح", "صحيح"}
_FALSE = {"no", "n", "false", "0", "لا", "✗", "✘", "خطا"}


class ConversionError(ValueError):
    """A cell value that is not what its column expects; `expected` says what would be."""

    def __init__(self, expected: str, value: object = None) -> None:
        self.expected = expected
        self.value = value
        super().__init__(f"expected {expected}, got {_shown(value)}")


def _shown(value: object) -> str:
    """Return a short, readable rendering of a rejected value for messages."""
    if value is None:
        return "an empty cell"
    text = str(value)
    text = text if len(text) <= 40 else text[:39] + "…"
    return repr(text) if isinstance(value, str) else text


def is_blank(value: object) -> bool:
    """Return True for None, empty or whitespace-only text, and text of invisible marks only."""
    if value is None:
        return True
    return isinstance(value, str) and clean(value).replace(TATWEEL, "") == ""


def to_text(value: object) -> str:
    """Return a cell as clean text: whole floats without ".0", dates as ISO, booleans TRUE/FALSE."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.time):
        return value.isoformat("seconds" if value.second else "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean(str(value))


def _is_number(value: object) -> TypeGuard[int | float | Decimal]:
    """Return True for int, float and finite Decimal values (never for booleans)."""
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number_text(text: str, expected: str, value: object) -> Decimal:
    """Parse normalised numeric text (ASCII digits) into a Decimal, or raise ConversionError."""
    text = ascii_digits(clean(text)).replace("٫", ".").replace("٬", ",").replace("\u2212", "-")
    text = _GROUPING.sub(",", text.strip())
    match = _NUMBER.fullmatch(text)
    if not match or not (match.group(2) or match.group(3)):
        raise ConversionError(expected, value)
    sign, whole, fraction = match.group(1) or "", match.group(2) or "0", match.group(3) or ""
    return Decimal(f"{sign}{whole.replace(',', '')}.{fraction or '0'}")


def _decimal(value: object, expected: str) -> Decimal:
    """Return a number cell or numeric text as a finite Decimal, or raise ConversionError."""
    if isinstance(value, str):
        return _number_text(value, expected, value)
    if not _is_number(value):
        raise ConversionError(expected, value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ConversionError(expected, value)
    return number


def to_int(value: object, allow_negative: bool = False) -> int:
    """Return a whole number from an int, a whole float or text ("1,234", "١٬٢٣٤")."""
    expected = WHOLE if allow_negative else WHOLE_NON_NEGATIVE
    number = _decimal(value, expected)
    if number != number.to_integral_value() or (number < 0 and not allow_negative):
        raise ConversionError(expected, value)
    return int(number)


def to_decimal(value: object, allow_negative: bool = False) -> Decimal:
    """Return an amount as a Decimal from a number or text ("12,500.75", "١٢٬٥٠٠٫٧٥ ج.م")."""
    if isinstance(value, str):
        value_text = _CURRENCY.sub("", clean(value), count=1)
        number = _number_text(value_text, AMOUNT, value)
    else:
        number = _decimal(value, AMOUNT)
    if number < 0 and not allow_negative:
        raise ConversionError(AMOUNT, value)
    return number


def _range_phrase(lo: float | None, hi: float | None) -> str:
    """Return "a number from lo to hi" (or the one-sided form) for messages."""
    if lo is not None and hi is not None:
        return _("a number from {lo} to {hi}").format(lo=f"{lo:g}", hi=f"{hi:g}")
    if lo is not None:
        return _("a number of at least {lo}").format(lo=f"{lo:g}")
    if hi is not None:
        return _("a number of at most {hi}").format(hi=f"{hi:g}")
    return NUMBER


def to_float(value: object, lo: float | None = None, hi: float | None = None) -> float:
    """Return a number (score, weight) as a float, checked against lo ≤ x ≤ hi when given."""
    expected = _range_phrase(lo, hi)
    number = float(_decimal(value, expected))
    if not math.isfinite(number) or (lo is not None and number < lo) or (hi is not None and number > hi):
        raise ConversionError(expected, value)
    return number


def to_percent(value: object) -> float:
    """Return a fraction 0..1: x ≤ 1 is a fraction, 1 < x ≤ 100 or "37%"/"٣٧٪" a percent."""
    signed = isinstance(value, str) and bool(_PERCENT_SIGN.search(clean(value)))
    if isinstance(value, str) and signed:
        number = _number_text(_PERCENT_SIGN.sub("", clean(value), count=1), PERCENT, value)
    else:
        number = _decimal(value, PERCENT)
    number_float = float(number)
    if not 0 <= number_float <= 100:
        raise ConversionError(PERCENT, value)
    return number_float / 100 if signed or number_float > 1 else number_float


def _checked_date(year: int, month: int, day: int, value: object) -> dt.date:
    """Return date(year, month, day) for a year typed as text, or raise ConversionError."""
    try:
        result = dt.date(year, month, day)
    except ValueError:
        raise ConversionError(DATE, value) from None
    if not TEXT_YEARS[0] <= year <= TEXT_YEARS[1]:
        raise ConversionError(DATE, value)
    return result


def _date_text(text: str, value: object) -> dt.date:
    """Parse ISO, d/m/yyyy (/, - or .) or "15 نوفمبر 2026" text into a date."""
    text = _GREGORIAN_MARK.sub("", ascii_digits(clean(text)))
    if match := _ISO.fullmatch(text):
        return _checked_date(int(match[1]), int(match[3]), int(match[4]), value)
    if match := _DMY.fullmatch(text):
        return _checked_date(int(match[4]), int(match[3]), int(match[1]), value)
    if (match := _NAMED.fullmatch(text)) and fold(match[2]) in _MONTHS:
        return _checked_date(int(match[3]), _MONTHS[fold(match[2])], int(match[1]), value)
    raise ConversionError(DATE, value)


def _serial_date(value: float | int | Decimal) -> dt.date:
    """Return the date of an Excel serial number (1899-12-30 epoch) typed in a General cell."""
    # Range first: math.isfinite() overflows on a huge int (a 400-digit number cell).
    if not (SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1] and math.isfinite(value)):
        raise ConversionError(DATE, value)
    return EXCEL_EPOCH + dt.timedelta(days=math.floor(value))


def to_date(value: object) -> dt.date:
    """Return a date from a date cell, ISO or dd/mm/yyyy text, or an Excel serial number."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _is_number(value):
        return _serial_date(value)
    if isinstance(value, str):
        return _date_text(value, value)
    raise ConversionError(DATE, value)


def to_dates(value: object) -> tuple[dt.date, ...]:
    """Return one date, or two in order ("2026-12-14 / 2026-12-15", "14/12/2026 - 15/12/2026")."""
    if not isinstance(value, str):
        try:
            return (to_date(value),)
        except ConversionError:
            raise ConversionError(DATES, value) from None
    try:
        return (_date_text(value, value),)
    except ConversionError:
        pass
    text = ascii_digits(clean(value))
    tokens = [match.group() for match in _DATE_TOKEN.finditer(text)]
    if not 1 <= len(tokens) <= 2 or not _RANGE_FILLER.fullmatch(_DATE_TOKEN.sub(" ", text)):
        raise ConversionError(DATES, value)
    try:
        dates = tuple(_date_text(token, value) for token in tokens)
    except ConversionError:
        raise ConversionError(DATES, value) from None
    if len(dates) == 2 and dates[1] < dates[0]:
        raise ConversionError(DATES, value)
    return dates


def _day_fraction(value: float | int | Decimal) -> dt.time:
    """Return the time of a fraction of a day (Excel's time value), rounded to the second."""
    if not (0 <= value < 1 and math.isfinite(value)):  # range first, as in _serial_date
        raise ConversionError(TIME, value)
    seconds = min(round(float(value) * 86_400), 86_399)
    return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def _split_meridiem(text: str) -> tuple[str, bool | None]:
    """Split a trailing AM/PM marker (ص/م, am/pm) off folded time text; None when there is none."""
    for marker, pm in sorted(_MERIDIEM.items(), key=lambda item: -len(item[0])):
        if text.endswith(marker):
            return text[: -len(marker)].strip(), pm
    return text, None


def _time_text(text: str, value: object) -> dt.time:
    """Parse "9:30", "09:30:15", "9.30", "١٠:٠٠", "2:30 م" or "2 PM" into a time."""
    body, pm = _split_meridiem(fold(ascii_digits(text).replace("٫", ".")))
    match = _TIME.fullmatch(body)
    if not match or (match[2] is None and pm is None):
        raise ConversionError(TIME, value)
    hour, minute, second = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    if pm is not None:
        if not 1 <= hour <= 12:
            raise ConversionError(TIME, value)
        hour = hour % 12 + (12 if pm else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ConversionError(TIME, value)
    return dt.time(hour, minute, second)


def to_time(value: object) -> dt.time:
    """Return a time from a time/datetime cell, a fraction of a day, or text ("9:30", "2:30 م")."""
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.timedelta):
        return _day_fraction(value.total_seconds() / 86_400)
    if _is_number(value):
        return _day_fraction(value)
    if isinstance(value, str):
        return _time_text(value, value)
    raise ConversionError(TIME, value)


def to_bool(value: object) -> bool:
    """Return True for yes/نعم/true/1/x, False for no/لا/false/0 and for a blank cell."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if _is_number(value) and value in (0, 1):
        return bool(value)
    key = fold(ascii_digits(value)) if isinstance(value, str) else None
    if key in _TRUE or key in _FALSE:
        return key in _TRUE
    raise ConversionError(BOOL, value)
