"""Tests for reportgen.input.converters: one accept/reject table per converter, then properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.input.converters import (
    ConversionError,
    is_blank,
    to_bool,
    to_date,
    to_dates,
    to_decimal,
    to_float,
    to_int,
    to_percent,
    to_text,
    to_time,
)

D = dt.date
T = dt.time
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
REJECT = object()  # marks a table row whose input must raise ConversionError


def check(converter, value, expected, **kwargs) -> None:
    """Assert converter(value) == expected, or that it raises ConversionError for REJECT."""
    if expected is REJECT:
        with pytest.raises(ConversionError) as caught:
            converter(value, **kwargs)
        assert caught.value.expected and str(caught.value).startswith("expected ")
    else:
        result = converter(value, **kwargs)
        assert result == expected and type(result) is type(expected)


# --- is_blank / to_text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, blank",
    [
        (None, True),
        ("", True),
        ("   ", True),
        ("\u00a0\t", True),
        ("\u200f\u200e", True),
        ("\ufeff \u2066\u2069", True),
        ("ـ", True),
        (0, False),
        (0.0, False),
        (False, False),
        ("0", False),
        ("-", False),
        ("نعم", False),
        (D(2026, 1, 1), False),
    ],
)
def test_is_blank(value, blank):
    assert is_blank(value) is blank


@pytest.mark.parametrize(
    "value, text",
    [
        (None, ""),
        ("  تجمع  الفخار ", "تجمع الفخار"),
        ("\u200fEG-LX-003\u200e", "EG-LX-003"),
        (12.0, "12"),
        (12.5, "12.5"),
        (-3.0, "-3"),
        (7, "7"),
        (True, "TRUE"),
        (False, "FALSE"),
        (D(2026, 1, 31), "2026-01-31"),
        (dt.datetime(2026, 1, 31), "2026-01-31"),
        (dt.datetime(2026, 1, 31, 9, 30), "2026-01-31 09:30"),
        (T(9, 30), "09:30"),
        (T(9, 30, 15), "09:30:15"),
        ("ﻣﺮﺣﺒﺎ", "مرحبا"),
        (float("inf"), "inf"),
    ],
)
def test_to_text(value, text):
    assert to_text(value) == text


# --- to_int ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (12, 12),
        (0, 0),
        (12.0, 12),
        ("12", 12),
        (" 12 ", 12),
        ("١٢٣", 123),
        ("۱۲۳", 123),
        ("1,234", 1234),
        ("١٬٢٣٤", 1234),
        ("1'234'567", 1234567),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("12.0", 12),
        ("١٢٫٠", 12),
        ("+5", 5),
        (Decimal("7"), 7),
        ("1,234,567", 1234567),
        (12.5, REJECT),
        ("12.5", REJECT),
        ("١٢٫٥", REJECT),
        (-3, REJECT),
        ("-3", REJECT),
        (True, REJECT),
        (False, REJECT),
        ("twelve", REJECT),
        ("اثنا عشر", REJECT),
        ("", REJECT),
        (None, REJECT),
        ("12a", REJECT),
        ("1,23", REJECT),
        ("1234,567", REJECT),
        ("1,2345", REJECT),
        ("1.234.567", REJECT),
        ("1e3", REJECT),
        (float("nan"), REJECT),
        (float("inf"), REJECT),
        ("१२", REJECT),
        (D(2026, 1, 1), REJECT),
        ("12 ج.م", REJECT),
        (",", REJECT),
        ("-", REJECT),
    ],
)
def test_to_int(value, expected):
    check(to_int, value, expected)


@pytest.mark.parametrize(
    "value, expected",
    [(-3, -3), ("-3", -3), ("\u22123", -3), ("-١٬٢٣٤", -1234), (-3.0, -3), ("-3.5", REJECT)],
)
def test_to_int_allow_negative(value, expected):
    check(to_int, value, expected, allow_negative=True)


def test_to_int_messages():
    with pytest.raises(ConversionError, match="whole number") as caught:
        to_int("12.5")
    assert caught.value.expected == "a whole number (0 or more)"
    assert caught.value.value == "12.5"
    with pytest.raises(ConversionError) as caught:
        to_int("x", allow_negative=True)
    assert caught.value.expected == "a whole number"
    assert isinstance(caught.value, ValueError)


# --- to_decimal -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (12500, Decimal("12500")),
        (0.1, Decimal("0.1")),
        (12500.75, Decimal("12500.75")),
        ("12,500.75", Decimal("12500.75")),
        ("١٢٬٥٠٠٫٧٥", Decimal("12500.75")),
        ("12500.75", Decimal("12500.75")),
        ("1,234", Decimal("1234")),
        ("١٢٫٥", Decimal("12.5")),
        ("12,500 ج.م", Decimal("12500")),
        ("١٢٬٥٠٠ ج.م.", Decimal("12500")),
        ("12500 جنيه", Decimal("12500")),
        ("12500 جنيهاً", Decimal("12500")),
        ("EGP 12,500", Decimal("12500")),
        ("12,500 egp", Decimal("12500")),
        ("LE 250", Decimal("250")),
        ("250 L.E.", Decimal("250")),
        ("ج.م 250", Decimal("250")),
        (".5", Decimal("0.5")),
        ("5.", Decimal("5")),
        ("1 250 000", Decimal("1250000")),
        ("12,5", REJECT),
        ("1,23", REJECT),
        ("12,5000", REJECT),
        ("1.234,56", REJECT),
        ("-5", REJECT),
        (-5, REJECT),
        ("ج.م", REJECT),
        ("EGP 12 EGP", REJECT),
        (True, REJECT),
        ("12 USD", REJECT),
        ("", REJECT),
        (None, REJECT),
        (float("nan"), REJECT),
        ("١٢٫٥٫٠", REJECT),
    ],
)
def test_to_decimal(value, expected):
    check(to_decimal, value, expected)


def test_to_decimal_allow_negative():
    assert to_decimal("-1,500.5 ج.م", allow_negative=True) == Decimal("-1500.5")


# --- to_percent -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (0.37, 0.37),
        (0, 0.0),
        (1, 1.0),
        (1.0, 1.0),
        (37, 0.37),
        (37.5, 0.375),
        (100, 1.0),
        (1.5, 0.015),
        ("0.37", 0.37),
        ("37", 0.37),
        ("37%", 0.37),
        ("37 %", 0.37),
        ("٣٧٪", 0.37),
        ("٣٧٫٥٪", 0.375),
        ("٪٣٧", 0.37),
        ("0.5%", 0.005),
        ("1%", 0.01),
        ("100%", 1.0),
        ("0%", 0.0),
        ("٠٫٣٧", 0.37),
        ("1", 1.0),
        (101, REJECT),
        (-0.1, REJECT),
        ("120%", REJECT),
        ("-5%", REJECT),
        ("%", REJECT),
        ("37%%", REJECT),
        ("abc", REJECT),
        (True, REJECT),
        (None, REJECT),
        ("", REJECT),
        (float("inf"), REJECT),
        (float("nan"), REJECT),
        ("3 7%", REJECT),
    ],
)
def test_to_percent(value, expected):
    check(to_percent, value, expected)


# --- to_float -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, lo, hi, expected",
    [
        (85, 0, 100, 85.0),
        ("85", 0, 100, 85.0),
        ("٨٥٫٥", 0, 100, 85.5),
        (0, 0, 100, 0.0),
        (100, 0, 100, 100.0),
        ("2", 0, None, 2.0),
        ("-2.5", None, None, -2.5),
        (7, None, 10, 7.0),
        (150, 0, 100, REJECT),
        (-1, 0, 100, REJECT),
        ("-0.5", 0, None, REJECT),
        (11, None, 10, REJECT),
        ("high", 0, 100, REJECT),
        (True, 0, 100, REJECT),
        (float("nan"), None, None, REJECT),
        (float("inf"), None, None, REJECT),
        ("9" * 400, None, None, REJECT),
    ],
)
def test_to_float(value, lo, hi, expected):
    check(to_float, value, expected, lo=lo, hi=hi)


@pytest.mark.parametrize(
    "lo, hi, phrase",
    [
        (0, 100, "a number from 0 to 100"),
        (0, None, "a number of at least 0"),
        (None, 5, "a number of at most 5"),
        (0.5, 2.5, "a number from 0.5 to 2.5"),
    ],
)
def test_to_float_message_names_range(lo, hi, phrase):
    with pytest.raises(ConversionError) as caught:
        to_float("x", lo=lo, hi=hi)
    assert caught.value.expected == phrase


# --- to_date / to_dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.datetime(2026, 1, 31, 0, 0), D(2026, 1, 31)),
        (dt.datetime(2026, 1, 31, 15, 45), D(2026, 1, 31)),
        (D(2026, 1, 31), D(2026, 1, 31)),
        ("2026-01-31", D(2026, 1, 31)),
        ("2026-1-5", D(2026, 1, 5)),
        ("٢٠٢٦-٠١-٣١", D(2026, 1, 31)),
        ("2026/01/31", D(2026, 1, 31)),
        ("31/01/2026", D(2026, 1, 31)),
        ("1/2/2026", D(2026, 2, 1)),
        ("31-01-2026", D(2026, 1, 31)),
        ("31.01.2026", D(2026, 1, 31)),
        ("٣١/٠١/٢٠٢٦", D(2026, 1, 31)),
        ("31/01/2026 م", D(2026, 1, 31)),
        (" 2026-01-31 ", D(2026, 1, 31)),
        ("2026-01-31 00:00:00", D(2026, 1, 31)),
        ("2026-01-31T09:30", D(2026, 1, 31)),
        ("15 نوفمبر 2026", D(2026, 11, 15)),
        ("١٥ أغسطس ٢٠٢٦", D(2026, 8, 15)),
        ("15 November 2026", D(2026, 11, 15)),
        ("29/02/2028", D(2028, 2, 29)),
        (46053, D(2026, 1, 31)),
        (46053.75, D(2026, 1, 31)),
        (20000, D(1954, 10, 3)),
        ("31/02/2026", REJECT),
        ("2026-02-30", REJECT),
        ("29/02/2026", REJECT),
        ("2026-13-01", REJECT),
        ("00/01/2026", REJECT),
        ("31/01/26", REJECT),
        ("31/01-2026", REJECT),
        ("0202-01-31", REJECT),
        ("tomorrow", REJECT),
        ("46053", REJECT),
        (19999, REJECT),
        (80001, REJECT),
        (-1, REJECT),
        (True, REJECT),
        (None, REJECT),
        ("", REJECT),
        (T(9, 30), REJECT),
        ("15 فلان 2026", REJECT),
        (float("nan"), REJECT),
        ("2026-01-31 / 2026-02-01", REJECT),
    ],
)
def test_to_date(value, expected):
    check(to_date, value, expected)


def test_to_date_message():
    with pytest.raises(ConversionError) as caught:
        to_date("31/02/2026")
    assert caught.value.expected == "a date (a date cell, 2026-01-31 or 31/01/2026)"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-12-14 / 2026-12-15", (D(2026, 12, 14), D(2026, 12, 15))),
        ("14/12/2026 - 15/12/2026", (D(2026, 12, 14), D(2026, 12, 15))),
        ("2026-12-14 إلى 2026-12-15", (D(2026, 12, 14), D(2026, 12, 15))),
        ("من ١٤/١٢/٢٠٢٦ إلى ١٥/١٢/٢٠٢٦", (D(2026, 12, 14), D(2026, 12, 15))),
        ("2026-12-14/2026-12-15", (D(2026, 12, 14), D(2026, 12, 15))),
        ("2026-12-14 – 2026-12-16", (D(2026, 12, 14), D(2026, 12, 16))),
        ("2026-12-14 to 2026-12-15", (D(2026, 12, 14), D(2026, 12, 15))),
        ("2026-12-14", (D(2026, 12, 14),)),
        ("14/12/2026", (D(2026, 12, 14),)),
        ("14 ديسمبر 2026", (D(2026, 12, 14),)),
        (dt.datetime(2026, 12, 14), (D(2026, 12, 14),)),
        (D(2026, 12, 14), (D(2026, 12, 14),)),
        ("2026-12-14 / 2026-12-14", (D(2026, 12, 14), D(2026, 12, 14))),
        ("2026-12-15 / 2026-12-14", REJECT),
        ("2026-12-14 / 2026-12-15 / 2026-12-16", REJECT),
        ("2026-12-14 and then 2026-12-15", REJECT),
        ("31/02/2026 - 01/03/2026", REJECT),
        ("", REJECT),
        (None, REJECT),
        ("soon", REJECT),
        (True, REJECT),
    ],
)
def test_to_dates(value, expected):
    check(to_dates, value, expected)


# --- to_time --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (T(9, 30), T(9, 30)),
        (dt.datetime(2026, 1, 1, 14, 5), T(14, 5)),
        (0.5, T(12, 0)),
        (0.395833333, T(9, 30)),
        (0, T(0, 0)),
        (dt.timedelta(hours=9, minutes=30), T(9, 30)),
        ("9:30", T(9, 30)),
        ("09:30", T(9, 30)),
        ("١٠:٠٠", T(10, 0)),
        ("9.30", T(9, 30)),
        ("٩٫٣٠", T(9, 30)),
        ("14:05:20", T(14, 5, 20)),
        ("2:30 م", T(14, 30)),
        ("2:30 PM", T(14, 30)),
        ("2:30pm", T(14, 30)),
        ("9:30 ص", T(9, 30)),
        ("9:30 am", T(9, 30)),
        ("12:00 ص", T(0, 0)),
        ("12:15 م", T(12, 15)),
        ("2 م", T(14, 0)),
        ("2:30 مساءً", T(14, 30)),
        ("9:30 صباحاً", T(9, 30)),
        ("23:59", T(23, 59)),
        ("24:00", REJECT),
        ("9:60", REJECT),
        ("13:00 م", REJECT),
        ("0:30 ص", REJECT),
        ("9", REJECT),
        ("9.5", REJECT),
        ("9:3", REJECT),
        ("noon", REJECT),
        (1, REJECT),
        (1.5, REJECT),
        (-0.1, REJECT),
        (True, REJECT),
        (None, REJECT),
        ("", REJECT),
        (D(2026, 1, 1), REJECT),
        (dt.timedelta(hours=25), REJECT),
        ("9-30", REJECT),
    ],
)
def test_to_time(value, expected):
    check(to_time, value, expected)


# --- to_bool --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (True, True),
        (False, False),
        (None, False),
        ("", False),
        ("  ", False),
        (1, True),
        (0, False),
        (1.0, True),
        ("yes", True),
        ("YES", True),
        ("Y", True),
        ("no", False),
        ("true", True),
        ("False", False),
        ("1", True),
        ("0", False),
        ("١", True),
        ("٠", False),
        ("x", True),
        ("X", True),
        ("نعم", True),
        ("لا", False),
        (" نعم ", True),
        ("✓", True),
        ("maybe", REJECT),
        (2, REJECT),
        (0.5, REJECT),
        ("ربما", REJECT),
        (D(2026, 1, 1), REJECT),
    ],
)
def test_to_bool(value, expected):
    check(to_bool, value, expected)


# --- properties -----------------------------------------------------------------------------


@st.composite
def grouped_integers(draw) -> tuple[int, str]:
    """Draw a non-negative int and its text with a grouping separator and either digit style."""
    number = draw(st.integers(min_value=0, max_value=10**15))
    separator = draw(st.sampled_from([",", "٬", "'", " ", "\u00a0", ""]))
    text = f"{number:,}".replace(",", separator)
    if draw(st.booleans()):
        text = text.translate(ARABIC_DIGITS)
    return number, text


@given(grouped_integers())
def test_grouped_integers_round_trip(case):
    number, text = case
    assert to_int(text) == number
    assert to_decimal(text) == number


@given(
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    st.booleans(),
)
def test_grouped_decimals_round_trip(number, arabic):
    text = f"{number:,.2f}"
    if arabic:
        text = text.replace(",", "٬").replace(".", "٫").translate(ARABIC_DIGITS)
    assert to_decimal(text) == number


@given(
    st.dates(min_value=D(1900, 1, 1), max_value=D(2199, 12, 31)),
    st.sampled_from(["iso", "dmy", "d/m"]),
    st.booleans(),
)
def test_dates_round_trip(date, style, arabic):
    text = {
        "iso": date.isoformat(),
        "dmy": date.strftime("%d/%m/%Y"),
        "d/m": f"{date.day}/{date.month}/{date.year}",
    }[style]
    assert to_date(text.translate(ARABIC_DIGITS) if arabic else text) == date


@given(st.dates(min_value=D(1954, 10, 3), max_value=D(2119, 1, 10)))
def test_excel_serials_round_trip(date):
    assert to_date((date - D(1899, 12, 30)).days) == date


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_percent_sign_divides_by_100(x):
    text = format(Decimal(repr(x)), "f")  # positional: scientific notation is not a cell format
    assert to_percent(f"{text}%") == x / 100
    assert to_percent(f"{text} ٪".translate(ARABIC_DIGITS).replace(".", "٫")) == x / 100


@given(st.times())
def test_times_round_trip(time):
    text = time.strftime("%H:%M:%S")
    assert to_time(text) == time.replace(microsecond=0)
    assert to_time(text.translate(ARABIC_DIGITS)) == time.replace(microsecond=0)


CONVERTERS = [to_int, to_decimal, to_percent, to_float, to_date, to_dates, to_time, to_bool]
CELL_VALUES = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


@pytest.mark.parametrize("converter", CONVERTERS, ids=lambda c: c.__name__)
@given(value=st.text())
def test_arbitrary_text_raises_only_conversion_error(converter, value):
    try:
        converter(value)
    except ConversionError as error:
        assert error.expected


@pytest.mark.parametrize("converter", CONVERTERS + [to_text, is_blank], ids=lambda c: c.__name__)
@given(value=CELL_VALUES)
def test_any_cell_value_raises_only_conversion_error(converter, value):
    try:
        converter(value)
    except ConversionError as error:
        assert error.expected


LATIN_TO_ARABIC = str.maketrans("0123456789,.%", "٠١٢٣٤٥٦٧٨٩٬٫٪")  # digits, grouping, decimal point, percent


def outcome(converter, value) -> tuple[str, object]:
    """Return ("value", the result) or ("rejected", what was expected) for converter(value)."""
    try:
        result = converter(value)
    except ConversionError as error:
        return "rejected", error.expected
    return "value", (type(result), result)


@pytest.mark.parametrize("converter", CONVERTERS, ids=lambda c: c.__name__)
@given(st.text(alphabet="0123456789,.%-/: جمEGP", max_size=20))
def test_arabic_indic_text_converts_as_its_latin_form_does(converter, latin):
    assert outcome(converter, latin.translate(LATIN_TO_ARABIC)) == outcome(converter, latin)


AS_TEXT = {
    "integer": (to_int, st.integers(0, 10**12).map(lambda n: f"{n:,}")),
    "amount": (to_decimal, st.decimals(0, 10**9, places=2).map(lambda d: f"{d:,.2f} EGP")),
    "percentage": (to_percent, st.decimals(0, 100, places=1).map(lambda d: f"{d}%")),
    "date": (to_date, st.dates(D(1900, 1, 1), D(2199, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y"))),
    "dates": (to_dates, st.dates(D(1900, 1, 1), D(2199, 12, 30)).map(lambda d: f"{d} / {d + dt.timedelta(1)}")),
}


@pytest.mark.parametrize("kind", AS_TEXT)
@given(data=st.data())
def test_values_written_in_arabic_indic_digits_convert_to_the_latin_value(kind, data):
    converter, texts = AS_TEXT[kind]
    latin = data.draw(texts)
    arabic = latin.translate(LATIN_TO_ARABIC)
    assert arabic != latin and not any(c.isascii() and c.isdigit() for c in arabic)
    assert outcome(converter, arabic) == outcome(converter, latin)
    assert outcome(converter, latin)[0] == "value"
