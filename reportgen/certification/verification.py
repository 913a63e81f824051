"""Verify a dossier: record, fingerprint, QR codes and signature must agree (the file read by input.pdffile).

What is compared, for each file:
1. the attached record (certificate-record.json) is canonical JSON in the form its format names
   (RFC 8785 for format 2, 0.1.0's sorted-keys form for format 1), and its number follows from its
   contents and carries a valid check character;
2. its SHA-256 fingerprint equals the one printed on the certificate (kept, with the number and the
   QR payload, in the PDF's keywords, so no OCR is needed);
3. every QR code seen on the first page, drawn as a viewer shows it and decoded by zxing-cpp, carries
   that number, decision, validity and fingerprint, and equals the payload kept in the keywords;
4. the file is signed, and every PAdES signature is intact, valid, covers the whole file (nothing
   drawn over a page after signing) and chains to a trusted certificate (--trust, or the body's
   certificate kept beside the register);
5. the certificate is in force today: not expired, and not suspended, withdrawn or superseded in
   the status log kept beside the register.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.certification import qr, signing
from reportgen.certification import record as certs
from reportgen.certification import status as status_log
from reportgen.certification.keys import BODY_CERT
from reportgen.certification.numbers import is_valid_number
from reportgen.errors import quoted
from reportgen.i18n import N_, _, is_arabic
from reportgen.input.pdffile import FinishedPdf, UnreadablePdf
from reportgen.model.reference import DECISIONS
from reportgen.settings import today as settings_today

MAX_PDF_BYTES = 100 * 1_048_576  # a dossier is a few hundred KB; verify reads the whole file into memory


@dataclass
class Verdict:
    """The result of verifying one file."""

    path: Path
    problems: list[str] = field(default_factory=list)
    number: str = ""
    decision: str = ""
    valid_until: str = ""
    signatures: list[signing.SignatureCheck] = field(default_factory=list)
    trusted_by: str = ""  # where the trusted certificate came from (--trust, or the dossiers folder)
    status: status_log.Status | None = None
    status_known: bool = False  # a status log was read (else only expiry could be checked)

    @property
    def ok(self) -> bool:
        """Return True when nothing disagrees."""
        return not self.problems

    def line(self) -> str:
        """Return the one line `verify` prints for this file: what was found, in plain sentences."""
        path = quoted(self.path)
        if not self.ok:
            return _("{path}: FAILED: {problems}").format(path=path, problems=_("; ").join(self.problems))
        decision = DECISIONS[self.decision][1] if is_arabic() and self.decision in DECISIONS else self.decision
        if self.valid_until:
            verdict = _("OK {number} ({decision}, valid until {date})").format(
                number=quoted(self.number), decision=decision, date=quoted(self.valid_until)
            )
        else:
            verdict = _("OK {number} ({decision})").format(number=quoted(self.number), decision=decision)
        signed = _("; ").join(
            _("signed by {signer}, a trusted signer ({source})").format(
                signer=quoted(s.signer), source=quoted(self.trusted_by)
            )
            for s in self.signatures
        )
        parts = [verdict, _("the file is intact"), signed]
        if self.status is not None:
            parts.append(self.status.sentence())
            if not self.status_known and self.status.state != "refused":
                parts.append(
                    _("no {log} beside it, so suspension or withdrawal was not checked").format(log=status_log.LOG_NAME)
                )
        return f"{path}: " + _("; ").join(p for p in parts if p)


def _short(fp: str) -> str:
    return certs.short_fingerprint(fp) + " …" if len(fp) >= 16 else fp or _("nothing")


def _read_file(path: Path) -> bytes:
    """Return a regular file's bytes; raise ValueError for a device, pipe or folder, or a file over the limit."""
    # O_NONBLOCK: opening a pipe nobody writes to would otherwise wait forever.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(_("not a regular file (a folder, device or pipe)"))
        if info.st_size > MAX_PDF_BYTES:
            raise ValueError(
                _("{size} MB is over the {limit} MB limit").format(
                    size=info.st_size // 1_048_576, limit=MAX_PDF_BYTES // 1_048_576
                )
            )
        data = fh.read(MAX_PDF_BYTES + 1)  # the file may grow while read
    if len(data) > MAX_PDF_BYTES:
        raise ValueError(_("over the {limit} MB limit").format(limit=MAX_PDF_BYTES // 1_048_576))
    return data


def _read(path: Path, v: Verdict) -> tuple[bytes | None, FinishedPdf | None]:
    try:
        data = _read_file(path)
    except OSError as exc:
        v.problems.append(_("cannot read the file ({reason})").format(reason=exc.strerror))
        return None, None
    except ValueError as exc:
        v.problems.append(str(exc))
        return None, None
    try:
        return data, FinishedPdf(data)
    except UnreadablePdf as exc:
        v.problems.append(_("not a readable PDF ({reason})").format(reason=exc))
        return data, None


def _record(pdf: FinishedPdf, v: Verdict) -> tuple[dict | None, bytes | None]:
    try:
        raw = pdf.embedded_file(certs.RECORD_NAME)
    except UnreadablePdf:
        raw = None
    if raw is None:
        v.problems.append(
            _("no attached {record} (not a reportgen dossier, or the record was removed)").format(
                record=certs.RECORD_NAME
            )
        )
        return None, None
    try:
        record = json.loads(raw.decode("utf-8"))
        if not isinstance(record, dict):
            raise ValueError("not an object")
    except (UnicodeDecodeError, ValueError):
        v.problems.append(_("the attached record is not valid JSON"))
        return None, raw
    try:
        canonical = certs.canonical_json(record)
    except (TypeError, ValueError) as exc:
        v.problems.append(_("the attached record is not a certificate record ({reason})").format(reason=exc))
        return None, raw
    if canonical != raw:
        v.problems.append(_("the attached record is not in canonical form (edited after issue?)"))
    try:
        number = record["number"]
        if certs.number_of_record(record) != number:
            v.problems.append(
                _("the record's number {number} does not follow from its contents").format(number=quoted(number))
            )
        elif not is_valid_number(number):
            v.problems.append(
                _("the record's number {number} has a wrong check character").format(number=quoted(number))
            )
        v.number, v.decision = number, record["decision"]["outcome"]
        v.valid_until = record["dates"].get("valid_until") or ""
    except (KeyError, TypeError, ValueError, AttributeError):
        v.problems.append(_("the attached record lacks the certificate fields"))
        return None, raw
    return record, raw


def qr_texts(pdf: FinishedPdf) -> list[str]:
    """Return the text of every QR code seen on the certificate page (the first), drawn as a viewer shows it."""
    try:
        return qr.read_all(pdf.page_bitmap(0))
    except UnreadablePdf:
        return []


def _compare_qr(pdf: FinishedPdf, record: dict, fp: str, kw: dict[str, str], v: Verdict) -> None:
    expected = certs.payload_for(record, fp)
    texts = qr_texts(pdf)
    if not texts:
        v.problems.append(_("no readable QR code on the first page"))
        return
    for i, text in enumerate(texts, 1):
        # Every code must agree: a second code drawn over or beside the genuine one is a forgery.
        which = _(" (code {i} of {n} on the page)").format(i=i, n=len(texts)) if len(texts) > 1 else ""
        try:
            shown = certs.parse_payload(text)
        except ValueError:
            v.problems.append(
                _("the QR code does not carry a certificate ({text}){which}").format(
                    text=quoted(repr(text[:60])), which=which
                )
            )
            continue
        for name, label in (
            ("number", N_("number")),
            ("decision", N_("decision")),
            ("issued", N_("issue date")),
            ("valid_until", N_("validity")),
            ("fingerprint", N_("fingerprint")),
        ):
            got, want = getattr(shown, name), getattr(expected, name)
            if got != want:
                v.problems.append(
                    _("the QR code's {field} is {got} but the record's is {want}{which}").format(
                        field=_(label),
                        got=quoted(got) if got else _("missing"),
                        want=quoted(want) if want else _("none"),
                        which=which,
                    )
                )
        if kw.get("qr") and kw["qr"] != text:
            v.problems.append(
                _("the QR payload stored in the PDF differs from the QR code on the page{which}").format(which=which)
            )


def verify_file(
    path: Path,
    trust_roots: list | None = None,
    trusted_by: str = "--trust",
    entries: list[status_log.Entry] | None = None,
    today: dt.date | None = None,
) -> Verdict:
    """Return the verdict on one dossier file: contents, signature, trust, and status (from entries, when given).

    A file is OK only when it is intact, signed by a signer chaining to trust_roots, and its certificate is in
    force today (not expired, nor suspended, withdrawn or superseded in the status log).
    """
    v = Verdict(Path(path), trusted_by=trusted_by)
    data, pdf = _read(path, v)
    if data is None or pdf is None:
        return v
    with pdf:
        record = _compare_contents(pdf, v)
    _check_signatures(data, trust_roots, v)
    if record is not None:
        _check_status(record, entries, today or settings_today(), v)
    return v


def _check_status(record: dict, entries: list[status_log.Entry] | None, today: dt.date, v: Verdict) -> None:
    # Format 1 records (0.1.0) have no effective date: they took effect on issue.
    effective = record["dates"].get("effective") if isinstance(record.get("dates"), dict) else None
    try:
        until = dt.date.fromisoformat(v.valid_until) if v.valid_until else None
        start = dt.date.fromisoformat(effective) if isinstance(effective, str) else None
    except (TypeError, ValueError):
        v.problems.append(_("the record's validity dates are not dates (YYYY-MM-DD)"))
        return
    v.status = status_log.status_of(v.number, entries or [], v.decision, until, today, start)
    v.status_known = entries is not None
    if not v.status.in_force:
        v.problems.append(v.status.sentence())


def _compare_contents(pdf: FinishedPdf, v: Verdict) -> dict | None:
    record, raw = _record(pdf, v)
    kw = certs.parse_keywords(pdf.metadata().get("Keywords", ""))
    if raw is not None:
        fp = certs.fingerprint(raw)
        printed = kw.get("sha256", "")
        if printed != fp:
            v.problems.append(
                _(
                    "the fingerprint printed on the certificate ({printed}) does not match the attached record ({fp})"
                ).format(printed=quoted(_short(printed)), fp=quoted(_short(fp)))
            )
        if record is not None:
            if kw.get("number") and kw["number"] != record["number"]:
                v.problems.append(
                    _("the number printed ({number}) differs from the record's").format(number=quoted(kw["number"]))
                )
            _compare_qr(pdf, record, fp, kw, v)
    return record


def _check_signatures(data: bytes, trust_roots: list | None, v: Verdict) -> None:
    try:
        v.signatures = signing.check(data, trust_roots)
    except Exception as exc:  # pyHanko raises many kinds for a broken signature dictionary
        v.problems.append(_("the signature cannot be checked ({reason})").format(reason=f"{type(exc).__name__}: {exc}"))
        return
    for s in v.signatures:
        if not s.intact:
            v.problems.append(_("the bytes signed by {signer} were altered").format(signer=quoted(s.signer)))
        elif not s.valid:
            v.problems.append(
                _("the signature of {signer} does not match its certificate").format(signer=quoted(s.signer))
            )
        elif not s.covers_all:
            v.problems.append(_("the file was changed after {signer} signed it").format(signer=quoted(s.signer)))
        elif s.trusted is None:
            v.problems.append(
                _(
                    "signed by {signer}, but nothing says {signer} is the certification body: give its "
                    "certificate with --trust, or keep {certificate} beside the register"
                ).format(signer=quoted(s.signer), certificate=BODY_CERT)
            )
        elif s.trusted is False:
            v.problems.append(
                _("signed by {signer}, who is not the trusted certification body ({source})").format(
                    signer=quoted(s.signer), source=quoted(v.trusted_by)
                )
            )
    if not v.signatures:
        v.problems.append(_("not signed: anyone could have made this file, so it does not show who issued it"))
