"""Certificate numbers: cluster, audit year, a stable serial, and an ISO 7064 MOD 37,36 check character (stdnum)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from stdnum.iso7064 import mod_37_36

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # ISO 7064 MOD 37,36 works on these 36
_SERIAL = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: nothing to misread in the serial
_SAFE_ID = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def check_character(text: str) -> str:
    """Return the ISO 7064 MOD 37,36 check character of text's letters and digits (dashes ignored)."""
    symbols = text.replace("-", "")
    if any(ch not in ALPHABET for ch in symbols):
        raise ValueError(f"{text!r} has characters outside 0-9 A-Z")
    return mod_37_36.calc_check_digit(symbols, ALPHABET)


def is_valid_number(number: str) -> bool:
    """Return True when a certificate number's last character is the check character of the rest."""
    symbols = number.strip().upper().replace("-", "")
    # stdnum accepts a lone check character; a number has at least one symbol before it.
    return len(symbols) >= 2 and all(ch in ALPHABET for ch in symbols) and mod_37_36.is_valid(symbols, ALPHABET)


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
