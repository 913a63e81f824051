"""Certificate numbers and their check character, canonical records, fingerprints, QR payloads and codes."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from reportgen.certification import qr
from reportgen.certification import record as certs

NUMBERS = [
    certs.certificate_number("EG-LX-003", "ألباستر طيبة", "ISO 9001:2015", dt.date(2026, 6, 10)),
    certs.certificate_number("EG-KN-001", "خزف جراجوس", "ES 7000:2023", dt.date(2025, 1, 31)),
    certs.certificate_number("eg-c-12", "B", "", dt.date(2030, 12, 1)),
]


def test_number_shape_and_stability():
    number = NUMBERS[0]
    assert re.fullmatch(r"EG-LX-003-2026-[0-9A-HJKMNP-TV-Z]{4}[0-9A-Z]", number)
    assert number == certs.certificate_number("EG-LX-003", "ألباستر طيبة", "ISO 9001:2015", dt.date(2026, 6, 10))
    others = {
        certs.certificate_number("EG-LX-003", "ألباستر طيبة", "ISO 9001:2015", dt.date(2026, 6, d))
        for d in range(1, 29)
    }
    assert len(others) == 28  # a re-audit on another day is another certificate
    assert NUMBERS[2].startswith("EG-C-12-2030-")


def test_cluster_ids_outside_ascii_still_give_a_plain_number():
    number = certs.certificate_number("تجمع ١", "علامة", "", dt.date(2026, 1, 1))
    assert re.fullmatch(r"C[0-9A-Z]{8}-2026-[0-9A-Z]{5}", number)
    assert certs.is_valid_number(number)


@pytest.mark.parametrize("number", NUMBERS)
def test_check_character_catches_every_single_substitution(number):
    assert certs.is_valid_number(number)
    assert certs.is_valid_number(number.lower())  # typed in lower case: same number
    for i, ch in enumerate(number):
        if ch == "-":
            continue
        for other in certs.ALPHABET:
            if other != ch:
                typo = number[:i] + other + number[i + 1 :]
                assert not certs.is_valid_number(typo), f"{typo} passes for {number}"


def test_check_character_catches_adjacent_swaps_and_junk():
    number = NUMBERS[0]
    symbols = [i for i, ch in enumerate(number) if ch != "-"]
    caught = 0
    pairs = [(a, b) for a, b in zip(symbols, symbols[1:], strict=False) if number[a] != number[b]]
    for a, b in pairs:
        swapped = list(number)
        swapped[a], swapped[b] = swapped[b], swapped[a]
        caught += not certs.is_valid_number("".join(swapped))
    assert caught == len(pairs)
    assert not certs.is_valid_number("EG-LX-003-2026-ÄBCDE")
    assert not certs.is_valid_number("")


def test_decimal_text_is_exact():
    assert certs.decimal_text(85.0) == "85"
    assert certs.decimal_text(72.5) == "72.5"
    assert certs.decimal_text(83.04166666) == "83.04"
    assert certs.decimal_text(0.1 + 0.2) == "0.3"
    assert certs.decimal_text(None) is None


def test_canonical_json_sorts_normalises_and_refuses_floats():
    data = certs.canonical_json({"b": "e\u0301", "a": [1, True, None, "x"]})
    assert data == '{"a":[1,true,null,"x"],"b":"é"}'.encode()
    with pytest.raises(TypeError, match="float"):
        certs.canonical_json({"score": 85.5})
    assert certs.fingerprint(data) == certs.fingerprint(certs.canonical_json({"a": [1, True, None, "x"], "b": "é"}))


def test_short_fingerprint():
    assert certs.short_fingerprint("ab" * 32) == "ABAB ABAB ABAB ABAB"


@pytest.mark.parametrize("prefix", ["", "https://verify.example.org/c", "https://x.example/v?lang=ar"])
def test_payload_round_trip(prefix):
    payload = certs.Payload("EG-LX-003-2026-7K3QP", "granted", "2026-10-20", "2029-10-19", "0f" * 16)
    text = payload.text(prefix)
    assert text.startswith(prefix or "RGC1;N=EG-LX-003-2026-7K3QP;D=granted")
    assert len(text) < 160
    assert certs.parse_payload(text) == payload
    refusal = certs.Payload("EG-KN-001-2026-XY1G0", "refused", "2026-10-20", "", "aa" * 16)
    assert certs.parse_payload(refusal.text(prefix)) == refusal
    with pytest.raises(ValueError):
        certs.parse_payload("hello")


def test_keywords_round_trip():
    kw = certs.keywords("N-1", "ab" * 32, "RGC1;N=N-1;F=ab")
    assert certs.parse_keywords(", ".join(kw)) == {
        "number": "N-1",
        "sha256": "ab" * 32,
        "qr": "RGC1;N=N-1;F=ab",
    }


@pytest.mark.parametrize(
    "payload",
    [
        "RGC1;N=EG-LX-003-2026-7K3QP;D=conditional;I=2026-10-20;V=2029-10-19;F=8201f6e9e4f312230bebaff79337ec48",
        "https://verify.example.org/c?n=EG-LX-003-2026-7K3QP&d=granted&f=8201f6e9e4f312230bebaff79337ec48",
        "HELLO 123",
        "0123456789",
        "x" * 400,
    ],
)
def test_qr_reader_reads_what_the_writer_wrote(payload):
    assert qr.decode(qr.matrix(payload)) == payload


def test_qr_reader_reads_the_png_and_refuses_an_altered_code():
    from PIL import Image

    payload = "RGC1;N=EG-LX-003-2026-7K3QP;D=granted;I=2026-10-20;V=2029-10-19;F=" + "ab" * 16
    picture = Image.open(io.BytesIO(qr.png(payload))).convert("L")
    matrix = qr.modules_from_image(picture.width, picture.height, [p < 128 for p in picture.tobytes()])
    assert matrix == qr.matrix(payload)
    assert qr.decode(matrix) == payload
    size = len(matrix)
    matrix[size - 1][size - 1] = not matrix[size - 1][size - 1]  # a data module in the bottom-right corner
    with pytest.raises(qr.Unreadable):
        qr.decode(matrix)
    with pytest.raises(qr.Unreadable):
        qr.modules_from_image(10, 10, [False] * 100)
