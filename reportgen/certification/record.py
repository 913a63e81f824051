"""A certificate's machine-readable record: its canonical form (RFC 8785), fingerprint, QR payload and keywords."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

import rfc8785

from reportgen.certification.numbers import certificate_number

RECORD_FORMAT = "reportgen/certificate-record/2"  # canonical JSON by RFC 8785 (JCS)
FORMAT_1 = "reportgen/certificate-record/1"  # reportgen 0.1.0's form, still verified
RECORD_NAME = "certificate-record.json"  # the attachment's file name inside each dossier
PAYLOAD_TAG = "RGC1"  # first field of a QR payload without a verification URL
KEYWORD_TAG = "reportgen-certificate"
FINGERPRINT_IN_QR = 32  # hex digits (128 bits) of the SHA-256 fingerprint carried by the QR code


# ----------------------------------------------------------------------------- record + fingerprint


def decimal_text(value: float | int | Decimal | None, places: int = 2) -> str | None:
    """Return a number as exact decimal text, rounded half-up to places and without trailing zeros."""
    if value is None:
        return None
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{d:f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def _checked(value: object, where: str = "record") -> object:
    """Return value with strings in NFC; TypeError for floats and other values JSON would blur or cannot carry."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, e.g. from a "\ud800" escape in a forged record
            raise TypeError(f"{where}: a string that is not Unicode text") from None
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {str(k): _checked(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_checked(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise TypeError(
        f"{where}: {type(value).__name__} is not allowed in a certificate record (write numbers as decimal text)"
    )


def canonical_json(record: dict) -> bytes:
    """Return the record's canonical bytes in the form its "format" names: RFC 8785 from format 2 on.

    Strings are in NFC and floats are refused in every format; ValueError for an unknown format.
    """
    checked = _checked(record)
    if not isinstance(checked, dict):
        raise TypeError("a certificate record is a JSON object")
    form = checked.get("format")
    if form == RECORD_FORMAT:
        try:
            return rfc8785.dumps(checked)
        except rfc8785.CanonicalizationError as exc:  # e.g. an integer beyond 2**53, which JSON readers round
            raise TypeError(f"record: {exc}") from None
    if form == FORMAT_1:
        # 0.1.0's form: sorted keys, no spaces, UTF-8; its bytes are what old fingerprints were taken of.
        return json.dumps(checked, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    raise ValueError(f"unknown record format {form!r}")


def fingerprint(data: bytes) -> str:
    """Return the SHA-256 fingerprint of a record's canonical bytes, as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def short_fingerprint(full: str) -> str:
    """Return the fingerprint as printed on a certificate: its first 16 hex digits in groups of four."""
    return " ".join(full[i : i + 4].upper() for i in range(0, 16, 4))


def number_of_record(record: dict) -> str:
    """Return the certificate number a record's own contents give."""
    cert, cluster = record["certification"], record["cluster"]
    return certificate_number(
        cluster["id"],
        cert["brand"],
        cert["standard"],
        dt.date.fromisoformat(record["dates"]["audit"]),
    )


# ----------------------------------------------------------------------------- QR payload


@dataclass(frozen=True)
class Payload:
    """What a certificate's QR code carries."""

    number: str
    decision: str
    issued: str  # ISO date
    valid_until: str  # ISO date, "" for a refusal
    fingerprint: str  # the first FINGERPRINT_IN_QR hex digits

    def text(self, url_prefix: str = "") -> str:
        """Return the payload as QR text: a verification URL when a prefix is set, else RGC1;N=…;D=…."""
        fields = {
            "n": self.number,
            "d": self.decision,
            "i": self.issued,
            "v": self.valid_until,
            "f": self.fingerprint,
        }
        fields = {k: v for k, v in fields.items() if v}
        if url_prefix:
            joiner = "&" if "?" in url_prefix else "?"
            return f"{url_prefix}{joiner}{urlencode(fields, safe='-')}"
        return ";".join([PAYLOAD_TAG, *(f"{k.upper()}={v}" for k, v in fields.items())])


def payload_for(record: dict, full_fingerprint: str) -> Payload:
    """Return the QR payload of a record."""
    dates = record["dates"]
    return Payload(
        record["number"],
        record["decision"]["outcome"],
        dates["issue"],
        dates.get("valid_until") or "",
        full_fingerprint[:FINGERPRINT_IN_QR],
    )


def parse_payload(text: str) -> Payload:
    """Return the Payload a QR text carries; ValueError when it is not one of ours."""
    if text.startswith(PAYLOAD_TAG + ";"):
        pairs = dict(item.split("=", 1) for item in text.split(";")[1:] if "=" in item)
        fields = {k.lower(): v for k, v in pairs.items()}
    else:
        query = parse_qs(urlsplit(text).query)
        fields = {k: v[0] for k, v in query.items()}
    if "n" not in fields or "f" not in fields:
        raise ValueError("not a reportgen certificate payload")
    return Payload(fields["n"], fields.get("d", ""), fields.get("i", ""), fields.get("v", ""), fields["f"])


def keywords(number: str, full_fingerprint: str, payload_text: str) -> list[str]:
    """Return the PDF keywords that let `verify` read number, fingerprint and QR payload without OCR."""
    return [KEYWORD_TAG, f"number:{number}", f"sha256:{full_fingerprint}", f"qr:{payload_text}"]


def parse_keywords(text: str) -> dict[str, str]:
    """Return {number, sha256, qr} from a dossier's PDF keywords (missing keys left out)."""
    out: dict[str, str] = {}
    for item in text.split(", "):
        key, _colon, value = item.partition(":")
        if key in ("number", "sha256", "qr") and value:
            out[key] = value
    return out
