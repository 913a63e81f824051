"""Certificate numbers and their check character, canonical records, fingerprints, QR payloads and codes.

Where an independent implementation exists it is the oracle: python-stdnum for ISO 7064 MOD 37,36, the
rfc8785 package for canonical JSON, zxing-cpp for reading what segno drew.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import unicodedata

import pytest
import rfc8785
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from stdnum.iso7064 import mod_37_36

from reportgen.certification import numbers, qr
from reportgen.certification import record as certs
from reportgen.input.pdffile import Bitmap

NUMBERS = [
    numbers.certificate_number("EG-LX-003", "ألباستر طيبة", "ISO 9001:2015", dt.date(2026, 6, 10)),
    numbers.certificate_number("EG-KN-001", "خزف جراجوس", "ES 7000:2023", dt.date(2025, 1, 31)),
    numbers.certificate_number("eg-c-12", "B", "", dt.date(2030, 12, 1)),
]


def _stdnum_valid(number: str) -> bool:
    return mod_37_36.is_valid(number.replace("-", ""))


# ----------------------------------------------------------------------------- numbers


def test_number_shape_and_stability():
    number = NUMBERS[0]
    assert re.fullmatch(r"EG-LX-003-2026-[0-9A-HJKMNP-TV-Z]{4}[0-9A-Z]", number)
    assert number == numbers.certificate_number("EG-LX-003", "ألباستر طيبة", "ISO 9001:2015", dt.date(2026, 6, 10))
    others = {
        numbers.certificate_number("EG-LX-003", "ألباستر طيبة", "ISO 9001:2015", dt.date(2026, 6, d))
        for d in range(1, 29)
    }
    assert len(others) == 28  # a re-audit on another day is another certificate
    assert NUMBERS[2].startswith("EG-C-12-2030-")


def test_cluster_ids_outside_ascii_still_give_a_plain_number():
    number = numbers.certificate_number("تجمع ١", "علامة", "", dt.date(2026, 1, 1))
    assert re.fullmatch(r"C[0-9A-Z]{8}-2026-[0-9A-Z]{5}", number)
    assert numbers.is_valid_number(number) and _stdnum_valid(number)


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("0", "2"),  # by hand: p = 36 → (36 + 0) mod 36 = 0 → 36 → 72 mod 37 = 35; check = 37 - 35 = 2
        ("A", "H"),  # by hand: (36 + 10) mod 36 = 10 → 20; check = 37 - 20 = 17 = H
        ("A12425GABC1234002", "M"),  # the worked example of ISO 7064 quoted by python-stdnum
        ("EG-T-001-2026-N947", "7"),  # numbers issued by 0.1.0 (tests/fixtures/v0_1_0)
        ("EG-T-002-2026-F7G6", "S"),
        ("EG-T-003-2026-6E4J", "O"),
    ],
)
def test_check_character_known_values(body, check):
    assert numbers.check_character(body) == check
    assert mod_37_36.calc_check_digit(body.replace("-", "")) == check
    assert numbers.is_valid_number(body + check)


def test_check_character_refuses_other_characters():
    with pytest.raises(ValueError, match="outside 0-9 A-Z"):
        numbers.check_character("EG-É")
    assert not numbers.is_valid_number("EG-LX-003-2026-ÄBCDE")
    assert not numbers.is_valid_number("")
    assert not numbers.is_valid_number("2")  # a check character alone is no number
    assert numbers.is_valid_number(NUMBERS[0].lower())  # typed in lower case: same number


_ids = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)
_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31))


@given(cluster=_ids, brand=st.text(max_size=30), standard=st.text(max_size=20), audit=_dates, data=st.data())
def test_numbers_validate_and_every_single_substitution_is_caught(cluster, brand, standard, audit, data):
    number = numbers.certificate_number(cluster, brand, standard, audit)
    assert numbers.is_valid_number(number) and _stdnum_valid(number)
    positions = [i for i, ch in enumerate(number) if ch != "-"]
    i = data.draw(st.sampled_from(positions), label="position")
    other = data.draw(st.sampled_from([c for c in numbers.ALPHABET if c != number[i]]), label="replacement")
    typo = number[:i] + other + number[i + 1 :]
    assert not numbers.is_valid_number(typo), f"{typo} passes for {number}"
    assert not _stdnum_valid(typo)


def test_check_character_catches_adjacent_swaps():
    for number in NUMBERS:
        symbols = [i for i, ch in enumerate(number) if ch != "-"]
        pairs = [(a, b) for a, b in zip(symbols, symbols[1:], strict=False) if number[a] != number[b]]
        for a, b in pairs:
            swapped = list(number)
            swapped[a], swapped[b] = swapped[b], swapped[a]
            assert not numbers.is_valid_number("".join(swapped))


# ----------------------------------------------------------------------------- record + canonical JSON


def test_decimal_text_is_exact():
    assert certs.decimal_text(85.0) == "85"
    assert certs.decimal_text(72.5) == "72.5"
    assert certs.decimal_text(83.04166666) == "83.04"
    assert certs.decimal_text(0.1 + 0.2) == "0.3"
    assert certs.decimal_text(None) is None


def test_canonical_json_format_2_is_rfc8785_of_the_nfc_record():
    record = {"format": certs.RECORD_FORMAT, "b": "e\u0301", "a": [1, True, None, "x"], "\u0628": "تجمع 𝔸"}
    data = certs.canonical_json(record)
    assert data == rfc8785.dumps({**record, "b": "é"})
    assert data == ('{"a":[1,true,null,"x"],"b":"é","format":"reportgen/certificate-record/2","ب":"تجمع 𝔸"}').encode()


def test_canonical_json_format_1_is_0_1_0s_form():
    record = {"format": certs.FORMAT_1, "b": "e\u0301", "a": [1, True, None, "x"]}
    assert (
        certs.canonical_json(record)
        == '{"a":[1,true,null,"x"],"b":"é","format":"reportgen/certificate-record/1"}'.encode()
    )


def test_the_two_formats_differ_where_rfc8785_sorts_keys_by_utf16():
    # U+FFFD sorts before U+1F600 by code point (format 1) but after its surrogates D83D DE00 (RFC 8785).
    keys = {"\ufffd": 1, "\U0001f600": 2}
    one = certs.canonical_json({**keys, "format": certs.FORMAT_1})
    two = certs.canonical_json({**keys, "format": certs.RECORD_FORMAT})
    assert one == '{"format":"reportgen/certificate-record/1","\ufffd":1,"\U0001f600":2}'.encode()
    assert two == '{"format":"reportgen/certificate-record/2","\U0001f600":2,"\ufffd":1}'.encode()


@pytest.mark.parametrize("form", [certs.FORMAT_1, certs.RECORD_FORMAT])
def test_canonical_json_refuses_what_json_would_blur(form):
    with pytest.raises(TypeError, match="float"):
        certs.canonical_json({"format": form, "score": 85.5})
    with pytest.raises(TypeError, match="not Unicode text"):
        certs.canonical_json({"format": form, "name": "\ud800"})


def test_canonical_json_needs_a_known_format():
    with pytest.raises(ValueError, match="unknown record format"):
        certs.canonical_json({"a": 1})
    with pytest.raises(ValueError, match="unknown record format 'reportgen/certificate-record/9'"):
        certs.canonical_json({"format": "reportgen/certificate-record/9"})
    with pytest.raises(TypeError):  # JSON readers round such an integer: RFC 8785 refuses it
        certs.canonical_json({"format": certs.RECORD_FORMAT, "n": 2**60})


# Arabic letters and marks, non-BMP characters (emoji, mathematical letters), and anything else but
# lone surrogates, which no UTF-8 file can carry; in NFC, the form every record string is kept in.
_text = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=12),
    st.text(alphabet=st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, blacklist_categories=("Cs",))),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
).map(lambda s: unicodedata.normalize("NFC", s))
_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200)
@given(
    body=st.dictionaries(_text.filter(lambda k: k != "format"), _values, max_size=6),
    form=st.sampled_from([certs.FORMAT_1, certs.RECORD_FORMAT]),
)
def test_record_round_trips_through_its_canonical_json(body, form):
    record = {**body, "format": form}
    data = certs.canonical_json(record)
    assert json.loads(data) == record
    assert certs.canonical_json(json.loads(data)) == data  # what `verify` relies on
    if form == certs.RECORD_FORMAT:
        assert data == rfc8785.dumps(record)


def test_fingerprints():
    # The "abc" test vector of FIPS 180-2.
    assert certs.fingerprint(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert certs.short_fingerprint("ab" * 32) == "ABAB ABAB ABAB ABAB"


# ----------------------------------------------------------------------------- QR payload and codes


@pytest.mark.parametrize("prefix", ["", "https://verify.example.org/c", "https://x.example/v?lang=ar"])
def test_payload_round_trip(prefix):
    payload = certs.Payload("EG-LX-003-2026-7K3QP", "granted", "2026-10-20", "2029-10-19", "0f" * 16)
    text = payload.text(prefix)
    assert text.startswith(prefix.split("?")[0] or "RGC1;N=EG-LX-003-2026-7K3QP;D=granted")
    assert len(text) < 160
    # A page address carries the number and fingerprint only; the page shows the rest.
    page = dataclasses.replace(payload, decision="", issued="", valid_until="", complete=False)
    assert certs.parse_payload(text) == (page if prefix else payload)
    refusal = certs.Payload("EG-KN-001-2026-XY1G0", "refused", "2026-10-20", "", "aa" * 16)
    page = dataclasses.replace(refusal, decision="", issued="", complete=False)
    assert certs.parse_payload(refusal.text(prefix)) == (page if prefix else refusal)
    with pytest.raises(ValueError):
        certs.parse_payload("hello")


def test_every_payload_form_is_read():
    fp = "8201f6e9e4f312230bebaff79337ec48"
    old_url = certs.parse_payload(f"https://verify.example.org/c?n=EG-LX-003-2026-7K3QP&d=granted&f={fp}")
    assert (old_url.number, old_url.decision, old_url.fingerprint, old_url.complete) == (
        "EG-LX-003-2026-7K3QP",
        "granted",
        fp,
        True,
    )
    page = certs.parse_payload(f"https://verify.example.org/c/EG-LX-003-2026-7K3QP/#{fp}")
    assert (page.number, page.decision, page.fingerprint, page.complete) == ("EG-LX-003-2026-7K3QP", "", fp, False)
    made = certs.Payload("EG-LX-003-2026-7K3QP", "granted", "2026-10-20", "", fp).text("https://v.example.org/x/")
    assert made == f"https://v.example.org/x/c/EG-LX-003-2026-7K3QP/#{fp}"


def test_keywords_round_trip():
    kw = certs.keywords("N-1", "ab" * 32, "RGC1;N=N-1;F=ab")
    assert certs.parse_keywords(", ".join(kw)) == {
        "number": "N-1",
        "sha256": "ab" * 32,
        "qr": "RGC1;N=N-1;F=ab",
    }


PAYLOADS = [
    "RGC1;N=EG-LX-003-2026-7K3QP;D=conditional;I=2026-10-20;V=2029-10-19;F=8201f6e9e4f312230bebaff79337ec48",
    "https://verify.example.org/c?n=EG-LX-003-2026-7K3QP&d=granted&f=8201f6e9e4f312230bebaff79337ec48",
    "HELLO 123",
    "0123456789",
    "x" * 400,
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_png_scans(payload):
    picture = Image.open(io.BytesIO(qr.png(payload)))
    (code,) = zxingcpp.read_barcodes(picture)
    assert code.format == zxingcpp.BarcodeFormat.QRCode and code.text == payload
    assert picture.mode == "1"  # 1-bit: small, sharp at any size


def _page(*pngs: bytes) -> Bitmap:
    """Return a white greyscale 'page' with the given QR pictures pasted one under the other."""
    codes = [Image.open(io.BytesIO(p)).convert("L") for p in pngs]
    page = Image.new("L", (max((c.width for c in codes), default=50) + 40, sum(c.height + 20 for c in codes) + 20), 255)
    y = 20
    for c in codes:
        page.paste(c, (20, y))
        y += c.height + 20
    return Bitmap(page.width, page.height, page.tobytes())


def test_read_all_finds_every_code_top_to_bottom():
    assert qr.read_all(_page(qr.png(PAYLOADS[0]), qr.png(PAYLOADS[2]))) == [PAYLOADS[0], PAYLOADS[2]]
    assert qr.read_all(_page()) == []


def test_read_all_skips_a_damaged_code():
    picture = Image.open(io.BytesIO(qr.png(PAYLOADS[0]))).convert("L")
    # Ink over the middle third: more than error correction level M can restore.
    third = picture.width // 3
    picture.paste(0, (third, third, 2 * third, 2 * third))
    assert qr.read_all(Bitmap(picture.width, picture.height, picture.tobytes())) == []
