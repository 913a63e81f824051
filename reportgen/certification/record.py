"""What makes a certificate checkable: its number, its machine-readable record, fingerprint and QR payload."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

RECORD_FORMAT = "reportgen/certificate-record/1"
RECORD_NAME = "certificate-record.json"  # the attachment's file name inside each dossier
PAYLOAD_TAG = "RGC1"  # first field of a QR payload without a verification URL
KEYWORD_TAG = "reportgen-certificate"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # ISO 7064 MOD 37,36 works on these 36
_SERIAL = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: nothing to misread in the serial
_SAFE_ID = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
FINGERPRINT_IN_QR = 32  # hex digits (128 bits) of the SHA-256 fingerprint carried by the QR code


# ----------------------------------------------------------------------------- number + check character


def check_character(text: str) -> str:
    """Return the ISO 7064 MOD 37,36 check character of text's letters and digits (dashes ignored)."""
    p = 36
    for ch in _symbols(text):
        p = (p + ALPHABET.index(ch)) % 36 or 36
        p = (p * 2) % 37
    return ALPHABET[(37 - p) % 36]


def is_valid_number(number: str) -> bool:
    """Return True when a certificate number's last character is the check character of the rest."""
    symbols = _symbols(number.strip().upper(), strict=False)
    if symbols is None or len(symbols) < 2:
        return False
    return check_character(symbols[:-1]) == symbols[-1]


def _symbols(text: str, strict: bool = True) -> str | None:
    letters = text.replace("-", "")
    if any(ch not in ALPHABET for ch in letters):
        if strict:
            raise ValueError(f"{text!r} has characters outside 0-9 A-Z")
        return None
    return letters


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(unicodedata.normalize("NFC", p) for p in parts).encode("utf-8")).digest()


def number_prefix(cluster_id: str) -> str:
    """Return the cluster part of a number and file name: the id itself when it is plain A-Z, 0-9 and dashes."""
    upper = cluster_id.strip().upper()
    if _SAFE_ID.fullmatch(upper):
        return upper
    value = int.from_bytes(_digest("cluster", cluster_id)[:5], "big")
    return "C" + "".join(_SERIAL[(value >> (5 * i)) & 31] for i in range(7, -1, -1))


def certificate_number(cluster_id: str, brand: str, standard: str, audit_date: dt.date) -> str:
    """Return the certificate number, e.g. EG-LX-003-2026-7K3QP: cluster, audit year, serial, check character.

    The serial comes from a hash of what identifies the certification (cluster, brand, standard,
    audit date), so the same inputs give the same number on every run.
    """
    value = int.from_bytes(_digest(cluster_id, brand, standard, audit_date.isoformat())[:4], "big")
    serial = "".join(_SERIAL[(value >> (5 * i)) & 31] for i in range(3, -1, -1))
    body = f"{number_prefix(cluster_id)}-{audit_date.year:04d}-{serial}"
    return body + check_character(body)


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
    """Return value with strings in NFC; TypeError for floats and other types JSON would blur."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {str(k): _checked(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_checked(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise TypeError(
        f"{where}: {type(value).__name__} is not allowed in a certificate record (write numbers as decimal text)"
    )


def canonical_json(record: dict) -> bytes:
    """Return the record's canonical JSON: sorted keys, no spaces, UTF-8, NFC strings, no floats."""
    return json.dumps(
        _checked(record), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


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
        key, _, value = item.partition(":")
        if key in ("number", "sha256", "qr") and value:
            out[key] = value
    return out
