"""Tests for reportgen.render.formatting: both digit styles, money, percentages, Gregorian/Hijri dates."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hijridate import Gregorian
from hypothesis import given
from hypothesis import strategies as st

from reportgen.render.formatting import (
    COUNTED,
    FSI,
    LRI,
    NBSP,
    PDI,
    PLURAL_CATEGORIES,
    Formatter,
    isolate,
    ltr,
    strip_marks,
)

D = dt.date
AR = Formatter(digits="arabic")
LA = Formatter(digits="latin")
MARKS = re.compile("[\u200e\u200f\u061c]")
LATIN_DIGITS = re.compile("[0-9]")
ARABIC_DIGITS = re.compile("[٠-٩]")


def money(text: str) -> str:
    """Return the expected text with the no-break space the formatter puts before units."""
    return text.replace(" ", NBSP)


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, args, arabic, latin",
    [
        ("integer", (12345,), "١٢٬٣٤٥", "12,345"),
        ("integer", (0,), "٠", "0"),
        ("integer", (7,), "٧", "7"),
        ("integer", (1234567,), "١٬٢٣٤٬٥٦٧", "1,234,567"),
        ("integer", (-1234,), "-١٬٢٣٤", "-1,234"),
        ("integer", (2.5,), "٣", "3"),  # half-up, not banker's rounding
        ("integer", (Decimal("12345.4"),), "١٢٬٣٤٥", "12,345"),
        ("decimal", (1234.5,), "١٬٢٣٤٫٥", "1,234.5"),
        ("decimal", (12,), "١٢٫٠", "12.0"),
        ("decimal", (0.05,), "٠٫١", "0.1"),
        ("decimal", (2.675, 2), "٢٫٦٨", "2.68"),
        ("decimal", (-0.04,), "٠٫٠", "0.0"),  # no negative zero
        ("decimal", (3.14159, 3), "٣٫١٤٢", "3.142"),
        ("percent", (0.37,), "٣٧٪", "37%"),
        ("percent", (0.375,), "٣٨٪", "38%"),
        ("percent", (0.375, 1), "٣٧٫٥٪", "37.5%"),
        ("percent", (1,), "١٠٠٪", "100%"),
        ("percent", (0,), "٠٪", "0%"),
        ("percent", (0.005, 1), "٠٫٥٪", "0.5%"),
        ("percent", (12.5,), "١٬٢٥٠٪", "1,250%"),
        ("money", (12500,), money("١٢٬٥٠٠ ج.م"), money("12,500 ج.م")),
        ("money", (Decimal("12500.755"), 2), money("١٢٬٥٠٠٫٧٦ ج.م"), money("12,500.76 ج.م")),
        ("money", (0,), money("٠ ج.م"), money("0 ج.م")),
        ("money_compact", (4.2e9,), money("٤٫٢ مليار ج.م"), money("4.2 مليار ج.م")),
        ("money_compact", (4_150_000_000,), money("٤٫٢ مليار ج.م"), money("4.2 مليار ج.م")),
        ("money_compact", (125_000_000,), money("١٢٥ مليون ج.م"), money("125 مليون ج.م")),
        ("money_compact", (850_000,), money("٨٥٠ ألف ج.م"), money("850 ألف ج.م")),
        ("money_compact", (12_500,), money("١٢٫٥ ألف ج.م"), money("12.5 ألف ج.م")),
        ("money_compact", (999_950,), money("١ مليون ج.م"), money("1 مليون ج.م")),
        ("money_compact", (999_949,), money("٩٩٩٫٩ ألف ج.م"), money("999.9 ألف ج.م")),
        ("money_compact", (1_500_000,), money("١٫٥ مليون ج.م"), money("1.5 مليون ج.م")),
        ("money_compact", (999,), money("٩٩٩ ج.م"), money("999 ج.م")),
        ("money_compact", (Decimal("850.4"),), money("٨٥٠ ج.م"), money("850 ج.م")),
    ],
)
def test_numbers_in_both_digit_styles(method, args, arabic, latin):
    assert getattr(AR, method)(*args) == arabic
    assert getattr(LA, method)(*args) == latin


@pytest.mark.parametrize("method", ["integer", "decimal", "percent", "money", "money_compact"])
def test_none_formats_as_empty(method):
    assert getattr(AR, method)(None) == ""


# --- dates and times ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, args, arabic, latin",
    [
        ("date", (D(2026, 11, 15),), "١٥ نوفمبر ٢٠٢٦", "15 نوفمبر 2026"),
        ("date", (D(2026, 1, 5),), "٥ يناير ٢٠٢٦", "5 يناير 2026"),
        ("date", (dt.datetime(2026, 5, 1, 13, 0),), "١ مايو ٢٠٢٦", "1 مايو 2026"),
        ("hijri", (D(2024, 9, 2),), "٢٩ صفر ١٤٤٦ هـ", "29 صفر 1446 هـ"),
        ("hijri", (D(2024, 3, 11),), "١ رمضان ١٤٤٥ هـ", "1 رمضان 1445 هـ"),
        ("hijri", (D(2024, 7, 7),), "١ محرم ١٤٤٦ هـ", "1 محرم 1446 هـ"),
        ("hijri", (D(2023, 6, 28),), "١٠ ذي الحجة ١٤٤٤ هـ", "10 ذي الحجة 1444 هـ"),
        ("hijri", (D(2026, 11, 15),), "٥ جمادى الآخرة ١٤٤٨ هـ", "5 جمادى الآخرة 1448 هـ"),
        (
            "date_with_hijri",
            (D(2026, 11, 15),),
            "١٥ نوفمبر ٢٠٢٦ م الموافق ٥ جمادى الآخرة ١٤٤٨ هـ",
            "15 نوفمبر 2026 م الموافق 5 جمادى الآخرة 1448 هـ",
        ),
        ("time", (dt.time(9, 30),), "٩:٣٠", "9:30"),
        ("time", (dt.time(14, 5, 59),), "١٤:٠٥", "14:05"),
        ("time", (dt.time(0, 0),), "٠:٠٠", "0:00"),
        (
            "date_range",
            (D(2026, 11, 15), D(2026, 11, 17)),
            "من ١٥ إلى ١٧ نوفمبر ٢٠٢٦",
            "من 15 إلى 17 نوفمبر 2026",
        ),
        (
            "date_range",
            (D(2026, 11, 30), D(2026, 12, 2)),
            "من ٣٠ نوفمبر إلى ٢ ديسمبر ٢٠٢٦",
            "من 30 نوفمبر إلى 2 ديسمبر 2026",
        ),
        (
            "date_range",
            (D(2026, 12, 30), D(2027, 1, 2)),
            "من ٣٠ ديسمبر ٢٠٢٦ إلى ٢ يناير ٢٠٢٧",
            "من 30 ديسمبر 2026 إلى 2 يناير 2027",
        ),
        ("date_range", (D(2026, 11, 15), D(2026, 11, 15)), "١٥ نوفمبر ٢٠٢٦", "15 نوفمبر 2026"),
        ("date_range", (D(2026, 11, 15),), "١٥ نوفمبر ٢٠٢٦", "15 نوفمبر 2026"),
    ],
)
def test_dates_in_both_digit_styles(method, args, arabic, latin):
    assert getattr(AR, method)(*args) == arabic
    assert getattr(LA, method)(*args) == latin


@pytest.mark.parametrize("day", [D(2024, 9, 2), D(2026, 11, 15), D(1924, 8, 1), D(2077, 11, 16), D(2000, 2, 29)])
def test_hijri_agrees_with_hijridate(day):
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    month = hijri.month_name("ar").replace("ذو ", "ذي ")  # the genitive after the day: ١٠ ذي الحجة
    assert LA.hijri(day) == f"{hijri.day} {month} {hijri.year} هـ"


@pytest.mark.parametrize(
    "adjust, expected",
    [
        (-2, "27 صفر 1446 هـ"),
        (-1, "28 صفر 1446 هـ"),
        (0, "29 صفر 1446 هـ"),
        (1, "30 صفر 1446 هـ"),
        (2, "1 ربيع الأول 1446 هـ"),
    ],
)
def test_hijri_adjust_moves_days(adjust, expected):
    assert Formatter(digits="latin", hijri_adjust=adjust).hijri(D(2024, 9, 2)) == expected


@pytest.mark.parametrize("day", [D(1900, 1, 1), D(1924, 7, 31), D(2077, 11, 17), D(2100, 1, 1), D.min, D.max])
def test_out_of_range_hijri_does_not_crash(day):
    assert AR.hijri(day) == ""
    assert AR.date_with_hijri(day) == AR.date(day)


def test_adjust_at_the_edges_of_the_supported_range():
    assert Formatter(hijri_adjust=-1).hijri(D(1924, 8, 1)) == ""
    assert Formatter(hijri_adjust=1).hijri(D(2077, 11, 16)) == ""
    assert Formatter(hijri_adjust=2).hijri(D.max) == ""


def test_date_range_rejects_reversed_dates():
    with pytest.raises(ValueError):
        AR.date_range(D(2026, 11, 17), D(2026, 11, 15))


@pytest.mark.parametrize("method", ["date", "hijri", "date_with_hijri", "time"])
def test_none_dates_format_as_empty(method):
    assert getattr(AR, method)(None) == ""


# --- digits(), construction -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, arabic, latin",
    [
        ("صفحة 3 من 12", "صفحة ٣ من ١٢", "صفحة 3 من 12"),
        ("صفحة ٣ من ١٢", "صفحة ٣ من ١٢", "صفحة 3 من 12"),
        (7, "٧", "7"),
        (None, "", ""),
        ("\u200fISO 9001\u200e", "ISO ٩٠٠١", "ISO 9001"),
        (f"{LRI}2024{PDI}", f"{LRI}٢٠٢٤{PDI}", f"{LRI}2024{PDI}"),
        ("1,234.5", "١,٢٣٤.٥", "1,234.5"),  # only digits change in running text
    ],
)
def test_digits(text, arabic, latin):
    assert AR.digits(text) == arabic
    assert LA.digits(text) == latin


@pytest.mark.parametrize(
    "kwargs",
    [
        {"digits": "hindi"},
        {"digits": ""},
        {"locale": "xx_YY"},
        {"locale": "not a locale"},
        {"hijri_adjust": 3},
        {"hijri_adjust": -3},
        {"hijri_adjust": 1.5},
    ],
)
def test_bad_settings_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        Formatter(**kwargs)


def test_other_locale_uses_its_currency_symbol():
    assert Formatter(locale="en_US", digits="latin").money(1234.5, 2) == money("1,234.50 EGP")


def test_repr_names_the_settings():
    assert (
        repr(Formatter(digits="latin", hijri_adjust=-1)) == "Formatter(locale='ar_EG', digits='latin', hijri_adjust=-1)"
    )


# --- bidi -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "function, text, expected",
    [
        (ltr, "2024-09-02", f"{LRI}2024-09-02{PDI}"),
        (ltr, "ISO 9001:2015", f"{LRI}ISO 9001:2015{PDI}"),
        (ltr, 42, f"{LRI}42{PDI}"),
        (ltr, "", ""),
        (ltr, None, ""),
        (isolate, "EG-LX-003", f"{FSI}EG-LX-003{PDI}"),
        (isolate, "تجمع الفخار", f"{FSI}تجمع الفخار{PDI}"),
        (isolate, None, ""),
    ],
)
def test_isolates(function, text, expected):
    assert function(text) == expected


def test_strip_marks():
    assert strip_marks("\u200f12,500.00\u00a0ج.م.\u200f\u061c\u200e") == "12,500.00\u00a0ج.م."


ALL_OUTPUTS = [
    ("integer", st.integers(-(10**12), 10**12)),
    ("decimal", st.floats(-1e12, 1e12, allow_nan=False)),
    ("percent", st.floats(0, 1)),
    ("money", st.decimals(-(10**12), 10**12, places=2)),
    ("money_compact", st.integers(-(10**13), 10**13)),
    ("date", st.dates()),
    ("hijri", st.dates()),
    ("date_with_hijri", st.dates()),
    ("time", st.times()),
]


@pytest.mark.parametrize(
    "formatter",
    [AR, LA, Formatter(locale="ar_SA"), Formatter(locale="ar", digits="latin")],
    ids=repr,
)
@pytest.mark.parametrize("method, values", ALL_OUTPUTS, ids=[name for name, _ in ALL_OUTPUTS])
@given(data=st.data())
def test_no_output_contains_bidi_marks_or_foreign_digits(formatter, method, values, data):
    text = getattr(formatter, method)(data.draw(values))
    assert not MARKS.search(text)
    foreign = LATIN_DIGITS if formatter.digit_style == "arabic" else ARABIC_DIGITS
    assert not foreign.search(text)


@given(st.dates(min_value=D(1924, 8, 1), max_value=D(2077, 11, 16)))
def test_date_with_hijri_always_has_both_calendars(day):
    text = AR.date_with_hijri(day)
    assert text.startswith(AR.date(day) + " م الموافق ") and text.endswith(" هـ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وفق ISO 105-C06 فقط", "وفق \u2066ISO \u2060105-\u2060C06\u2069 فقط"),
        ("بتاريخ 2024-09-02", "بتاريخ \u20662024-\u206009-\u206002\u2069"),
        ("عدد 120 ورشة", "عدد 120 ورشة"),
        ("", ""),
    ],
)
def test_isolate_latin_keeps_codes_and_dates_in_order(text, expected):
    from reportgen.render.formatting import isolate_latin

    assert isolate_latin(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("150 منحة", "١٥٠ منحة"),
        ("بنسبة 25% و2.5 مليون و1,200 عامل", "بنسبة ٢٥٪ و٢٫٥ مليون و١٬٢٠٠ عامل"),
        ("من 10-20 يومًا", "من \u2066١٠-٢٠\u2069 يومًا"),
        ("شهادة ISO 9001:2015 لعدد 3 ورش", "شهادة \u2066ISO \u20609001:2015\u2069 لعدد ٣ ورش"),
        # a measure: its number in the text's digits, read first (right to left), the unit and a sign kept whole
        ("بدقة ±10 °C", "بدقة \u2067\u2066±١٠\u2069 \u2060\u2066°C\u2069\u2069"),
        ("أقل من 0.5 ppm", "أقل من \u2067٠٫٥ \u2060\u2066ppm\u2069\u2069"),
        ("مواصفة ES 4850", "مواصفة \u2066ES \u20604850\u2069"),  # a standard's number is a name: Latin
        ("وفق ISO 105-C06", "وفق \u2066ISO \u2060105-\u2060C06\u2069"),
        ("التجمع EG-LX-001", "التجمع \u2066EG-\u2060LX-\u2060001\u2069"),
        ("Cairo Handicrafts and Furniture Group", "\u2066Cairo Handicrafts and Furniture Group\u2069"),
        ("الطبيعية 2019–2030: أين نحن؟", "الطبيعية \u2066٢٠١٩–٢٠٣٠\u2069: أين نحن؟"),  # the colon is the sentence's
        ("حتى 2030.", "حتى ٢٠٣٠."),
        ("وفق ISO 9001:2015، و", "وفق \u2066ISO \u20609001:2015\u2069، و"),
    ],
)
def test_free_text_numbers_take_arabic_digits_and_latin_runs_stay_whole(text, expected):
    from reportgen.render.formatting import isolate_latin

    assert isolate_latin(text, "arabic") == expected


# --- counted nouns: Arabic's six plural categories ------------------------------------------

# The edges of each CLDR category in Arabic, as the grammar has them: the oracle beside Babel's.
EDGES = {0: "zero", 1: "one", 2: "two", 3: "few", 10: "few", 11: "many", 99: "many", 100: "other", 101: "other"}
EDGES |= {102: "other", 103: "few", 110: "few", 111: "many", 199: "many", 200: "other", 1000: "other"}


@pytest.mark.parametrize("n, category", sorted(EDGES.items()))
def test_plural_category_at_the_edges_is_babels_and_the_grammars(n, category):
    from babel import Locale

    forms = {name: name for name in PLURAL_CATEGORIES}
    assert Locale.parse("ar").plural_form(n) == category  # Babel's rules are the ones the grammar states
    assert AR.plural(n, forms) == LA.plural(n, forms) == category


def test_plural_follows_babel_everywhere():
    from babel import Locale

    forms = {name: name for name in PLURAL_CATEGORIES}
    rule = Locale.parse("ar_EG").plural_form
    assert [AR.plural(n, forms) for n in range(1200)] == [rule(n) for n in range(1200)]


@pytest.mark.parametrize(
    "n, arabic, latin",
    [
        (1, "تدخل مخطط واحد", "تدخل مخطط واحد"),
        (2, "تدخلان مخططان", "تدخلان مخططان"),
        (3, "٣ تدخلات مخططة", "3 تدخلات مخططة"),
        (10, "١٠ تدخلات مخططة", "10 تدخلات مخططة"),
        (11, "١١ تدخلا مخططا", "11 تدخلا مخططا"),
        (99, "٩٩ تدخلا مخططا", "99 تدخلا مخططا"),
        (100, "١٠٠ تدخل مخطط", "100 تدخل مخطط"),
        (101, "١٠١ تدخل مخطط", "101 تدخل مخطط"),
        (102, "١٠٢ تدخل مخطط", "102 تدخل مخطط"),
        (103, "١٠٣ تدخلات مخططة", "103 تدخلات مخططة"),
        (1250, "١٬٢٥٠ تدخلا مخططا", "1,250 تدخلا مخططا"),
    ],
)
def test_counted_noun_agrees_with_its_number(n, arabic, latin):
    forms = COUNTED["planned_interventions"]
    assert AR.counted(n, forms) == arabic
    assert LA.counted(n, forms) == latin


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "وتدخل آخر"),
        (2, "وتدخلان آخران"),
        (3, "و٣ تدخلات أخرى"),
        (10, "و١٠ تدخلات أخرى"),
        (11, "و١١ تدخلا آخر"),
        (99, "و٩٩ تدخلا آخر"),
        (100, "و١٠٠ تدخل آخر"),
        (101, "و١٠١ تدخل آخر"),
        (102, "و١٠٢ تدخل آخر"),
    ],
)
def test_more_interventions(n, text):
    assert AR.counted(n, COUNTED["more_interventions"]) == text


@pytest.mark.parametrize(
    "noun, by_n",
    [
        ("every_months", {1: "كل شهر", 2: "كل شهرين", 6: "كل ٦ أشهر", 18: "كل ١٨ شهرا", 100: "كل ١٠٠ شهر"}),
        ("axes", {1: "محور واحد", 2: "محورين", 8: "٨ محاور", 12: "١٢ محورا"}),
        ("enterprises", {2: "منشأتين", 7: "٧ منشآت", 45: "٤٥ منشأة", 300: "٣٠٠ منشأة"}),
        ("clusters_label", {0: "تجمعات إنتاجية طبيعية", 6: "تجمعات إنتاجية طبيعية", 60: "تجمعا إنتاجيا طبيعيا"}),
        ("governorates_label", {2: "محافظتان ممثلتان", 4: "محافظات ممثلة", 27: "محافظة ممثلة"}),
    ],
)
def test_other_counted_nouns(noun, by_n):
    assert {n: AR.counted(n, COUNTED[noun]) for n in by_n} == by_n


def test_every_table_of_forms_has_other_and_only_cldr_categories():
    for noun, forms in COUNTED.items():
        assert "other" in forms and set(forms) <= set(PLURAL_CATEGORIES), noun


def test_a_missing_category_falls_back_to_other():
    assert AR.counted(0, {"one": "واحد", "other": "{n} من الحالات"}) == "٠ من الحالات"
    assert AR.counted(5, {"other": "{n}"}, number=lambda n: f"[{n}]") == "[5]"


# --- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, arabic, shape",
    [
        (D(2026, 11, 1), D(2027, 3, 31), "نوفمبر ٢٠٢٦ – مارس ٢٠٢٧", "<2026-11> – <2027-03>"),
        (D(2026, 11, 1), None, "من نوفمبر ٢٠٢٦", "من <2026-11>"),
        (None, D(2027, 3, 31), "حتى مارس ٢٠٢٧", "حتى <2027-03>"),
        (None, None, "", ""),
        # a range within one month, or one year, says the month or the year once (not "نوفمبر ٢٠٢٦ – نوفمبر ٢٠٢٦")
        (D(2026, 11, 5), D(2026, 11, 6), "نوفمبر ٢٠٢٦", "<2026-11>"),
        (D(2026, 11, 1), D(2026, 12, 31), "نوفمبر – ديسمبر ٢٠٢٦", "نوفمبر – <2026-12>"),
    ],
)
def test_period_in_months(start, end, arabic, shape):
    assert AR.period(start, end) == arabic
    assert LA.period(start, end) == arabic.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    assert AR.period(start, end, month=lambda d: f"<{d:%Y-%m}>") == shape  # a filter isolates each month


def test_hijri_dates_in_english():
    import datetime as dt

    assert Formatter(locale="en", digits="latin").hijri(dt.date(2026, 5, 5)) == "18 Dhu al-Qa'dah 1447 AH"
