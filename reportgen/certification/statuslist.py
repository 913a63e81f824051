"""W3C Bitstring Status List: each certificate's index, the lists made from the status log, and reading them back."""

from __future__ import annotations

import base64
import gzip
import json

from reportgen.certification import status as status_log
from reportgen.errors import quoted
from reportgen.i18n import _

INDEX_FILE = "status-list-index.json"  # in the dossiers folder: number → index, assigned once and never reused
LIST_BITS = 131_072  # 16 KB: the specification's minimum size, so one entry hides among many (herd privacy)
PURPOSES = ("revocation", "suspension")
# Which states set a certificate's bit in each list: withdrawn and superseded for good, suspended until reinstated.
SET_BY = {"revocation": ("withdrawn", "superseded"), "suspension": ("suspended",)}
ENTRY_TYPE = "BitstringStatusListEntry"


def read_index(data: bytes, where: str = INDEX_FILE) -> dict[str, int]:
    """Return the index file's number → index map; ValueError naming the file when it is not one."""
    try:
        found = json.loads(data.decode("utf-8"))
        indexes = {str(k): int(v) for k, v in found["indexes"].items()}
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(
            _("{path}: not a status list index reportgen wrote ({reason})").format(path=quoted(where), reason=exc)
        ) from None
    if any(not 0 <= i < LIST_BITS for i in indexes.values()) or len(set(indexes.values())) != len(indexes):
        raise ValueError(_("{path}: indexes out of range or given twice").format(path=quoted(where)))
    return indexes


def assign(indexes: dict[str, int], numbers: list[str]) -> dict[str, int]:
    """Return indexes with each new number given the next free index (those already given never change)."""
    out = dict(indexes)
    following = max(out.values(), default=-1) + 1
    for number in numbers:
        if number not in out:
            if following >= LIST_BITS:
                raise ValueError(
                    _("the status list holds {n} certificates; start a new dossiers folder").format(n=LIST_BITS)
                )
            out[number] = following
            following += 1
    return out


def index_bytes(indexes: dict[str, int]) -> bytes:
    """Return the index file's bytes (sorted by index: the same map gives the same file)."""
    ordered = dict(sorted(indexes.items(), key=lambda item: item[1]))
    return json.dumps({"format": "reportgen/status-list-index/1", "indexes": ordered}, indent=1).encode() + b"\n"


def encode(bits: set[int], size: int = LIST_BITS) -> str:
    """Return the bitstring with the given indexes set, GZIP-compressed, as multibase base64url ("u" prefix).

    Index 0 is the left-most bit of the first byte, as the specification says.
    """
    raw = bytearray(size // 8)
    for i in bits:
        raw[i // 8] |= 0x80 >> (i % 8)
    packed = gzip.compress(bytes(raw), compresslevel=9, mtime=0)  # mtime 0: the same list, the same bytes
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def is_set(encoded: str, index: int) -> bool:
    """Return the bit at index of an encoded list; ValueError when it is not an encoded list."""
    if not encoded.startswith("u"):
        raise ValueError("an encoded status list starts with the multibase prefix u (base64url)")
    body = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if not 0 <= index < len(raw) * 8:
        raise ValueError(f"index {index} is outside the list ({len(raw) * 8} bits)")
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def bits_for(purpose: str, states: dict[str, status_log.Status], indexes: dict[str, int]) -> set[int]:
    """Return the indexes whose bit is set in the list for purpose, from each certificate's status."""
    return {indexes[n] for n, s in states.items() if n in indexes and s.state in SET_BY[purpose]}


def list_url(base: str, purpose: str) -> str:
    """Return where the status list credential for purpose is published under the site's base address."""
    return f"{base.rstrip('/')}/status/{purpose}.jwt"


def entry(base: str, purpose: str, index: int) -> dict[str, str]:
    """Return a credential's credentialStatus entry: its index in the list for purpose."""
    url = list_url(base, purpose)
    return {
        "id": f"{url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def list_credential(base: str, purpose: str, issuer: dict, encoded: str, valid_from: str) -> dict:
    """Return the BitstringStatusListCredential for purpose (to be signed as a VC-JWT)."""
    url = list_url(base, purpose)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded,
        },
    }
