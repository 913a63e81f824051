"""Verify a dossier: the only reader of PDFs (pypdf); record, fingerprint, QR code and signature must agree.

What is compared, for each file:
1. the attached record (certificate-record.json) is canonical JSON and its number follows from its
   contents and carries a valid check character;
2. its SHA-256 fingerprint equals the one printed on the certificate (kept, with the number and the
   QR payload, in the PDF's keywords, so no OCR is needed);
3. the QR code drawn on the first page, decoded from its image, carries that number, decision,
   validity and fingerprint, and equals the payload kept in the keywords;
4. every PAdES signature is intact, valid and covers the whole file (and chains to a trusted
   certificate when --trust is given).
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.certification import qr, signing
from reportgen.certification import record as certs


@dataclass
class Verdict:
    """The result of verifying one file."""

    path: Path
    problems: list[str] = field(default_factory=list)
    number: str = ""
    decision: str = ""
    valid_until: str = ""
    signatures: list[signing.SignatureCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when nothing disagrees."""
        return not self.problems

    def line(self) -> str:
        """Return the one line `verify` prints for this file."""
        if not self.ok:
            return f"{self.path}: FAILED: " + "; ".join(self.problems)
        validity = f", valid until {self.valid_until}" if self.valid_until else ""
        signed = "; ".join(
            f"signed by {s.signer}"
            + ("" if s.trusted else " (signer not checked against a trusted certificate)" if s.trusted is None else "")
            for s in self.signatures
        )
        return f"{self.path}: OK {self.number} ({self.decision}{validity})" + (
            f"; {signed}" if signed else "; not signed"
        )


def _short(fp: str) -> str:
    return certs.short_fingerprint(fp) + " …" if len(fp) >= 16 else fp or "nothing"


def _read(path: Path, v: Verdict):
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        v.problems.append(f"cannot read the file ({exc.strerror})")
        return None, None
    try:
        reader = PdfReader(io.BytesIO(data))
        reader.pages  # noqa: B018 - forces the page tree to be read, so a broken file fails here
    except Exception as exc:  # pypdf raises many kinds for a damaged or non-PDF file
        v.problems.append(f"not a readable PDF ({type(exc).__name__})")
        return data, None
    return data, reader


def _record(reader, v: Verdict) -> tuple[dict | None, bytes | None]:
    try:
        found = reader.attachments.get(certs.RECORD_NAME)
    except Exception:  # a damaged name tree
        found = None
    if not found:
        v.problems.append(f"no attached {certs.RECORD_NAME} (not a reportgen dossier, or the record was removed)")
        return None, None
    raw = found[0]
    try:
        record = json.loads(raw.decode("utf-8"))
        if not isinstance(record, dict):
            raise ValueError("not an object")
    except (UnicodeDecodeError, ValueError):
        v.problems.append("the attached record is not valid JSON")
        return None, raw
    try:
        canonical = certs.canonical_json(record)
    except TypeError as exc:
        v.problems.append(f"the attached record is not a certificate record ({exc})")
        return None, raw
    if canonical != raw:
        v.problems.append("the attached record is not in canonical form (edited after issue?)")
    try:
        number = record["number"]
        if certs.number_of_record(record) != number:
            v.problems.append(f"the record's number {number} does not follow from its contents")
        elif not certs.is_valid_number(number):
            v.problems.append(f"the record's number {number} has a wrong check character")
        v.number, v.decision = number, record["decision"]["outcome"]
        v.valid_until = record["dates"].get("valid_until") or ""
    except (KeyError, TypeError, ValueError, AttributeError):
        v.problems.append("the attached record lacks the certificate fields")
        return None, raw
    return record, raw


def _keywords(reader) -> dict[str, str]:
    try:
        meta = reader.metadata or {}
        return certs.parse_keywords(str(meta.get("/Keywords", "")))
    except Exception:  # a damaged Info dictionary
        return {}


def qr_texts(reader) -> list[str]:
    """Return the text of every QR code found as an image on the first page."""
    found = []
    try:
        images = list(reader.pages[0].images)
    except Exception:  # an image pypdf cannot decode
        return found
    for image in images:
        try:
            picture = image.image.convert("L")
            pixels = picture.tobytes()
            matrix = qr.modules_from_image(picture.width, picture.height, [p < 128 for p in pixels])
            found.append(qr.decode(matrix))
        except (qr.Unreadable, OSError, ValueError, IndexError):
            continue
    return found


def _compare_qr(reader, record: dict, fp: str, kw: dict[str, str], v: Verdict) -> None:
    expected = certs.payload_for(record, fp)
    texts = qr_texts(reader)
    if not texts:
        v.problems.append("no readable QR code on the first page")
        return
    text = texts[0]
    try:
        shown = certs.parse_payload(text)
    except ValueError:
        v.problems.append(f"the QR code does not carry a certificate ({text[:60]!r})")
        return
    for name, label in (
        ("number", "number"),
        ("decision", "decision"),
        ("issued", "issue date"),
        ("valid_until", "validity"),
        ("fingerprint", "fingerprint"),
    ):
        got, want = getattr(shown, name), getattr(expected, name)
        if got != want:
            v.problems.append(f"the QR code's {label} is {got or 'missing'} but the record's is {want or 'none'}")
    if kw.get("qr") and kw["qr"] != text:
        v.problems.append("the QR payload stored in the PDF differs from the QR code on the page")


def verify_file(path: Path, trust_roots: list | None = None) -> Verdict:
    """Return the verdict on one dossier file."""
    v = Verdict(Path(path))
    data, reader = _read(path, v)
    if reader is None:
        return v
    record, raw = _record(reader, v)
    kw = _keywords(reader)
    if raw is not None:
        fp = certs.fingerprint(raw)
        printed = kw.get("sha256", "")
        if printed != fp:
            v.problems.append(
                f"the fingerprint printed on the certificate ({_short(printed)}) does not match "
                f"the attached record ({_short(fp)})"
            )
        if record is not None:
            if kw.get("number") and kw["number"] != record["number"]:
                v.problems.append(f"the number printed ({kw['number']}) differs from the record's")
            _compare_qr(reader, record, fp, kw, v)
    try:
        v.signatures = signing.check(data, trust_roots)
    except Exception as exc:  # pyHanko raises many kinds for a broken signature dictionary
        v.problems.append(f"the signature cannot be checked ({type(exc).__name__}: {exc})")
        return v
    for s in v.signatures:
        if not s.intact:
            v.problems.append(f"the bytes signed by {s.signer} were altered")
        elif not s.valid:
            v.problems.append(f"the signature of {s.signer} does not match its certificate")
        elif not s.covers_all:
            v.problems.append(f"the file was changed after {s.signer} signed it")
        elif s.trusted is False:
            v.problems.append(f"the signer {s.signer} is not one of the trusted certificates")
    if trust_roots and not v.signatures:
        v.problems.append("not signed, but a trusted signer was required (--trust)")
    return v
