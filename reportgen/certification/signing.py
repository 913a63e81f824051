"""PAdES signatures: the only importer of pyHanko; sign a PDF with a PKCS#12 key, and check signatures."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from reportgen.certification.keys import read_name
from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _

FIELD_NAME = "CertificationBody"


@dataclass(frozen=True)
class SigningKey:
    """A PKCS#12 file's bytes and its password (picklable, so each worker loads it once)."""

    p12: bytes
    password: bytes | None
    source: str = "the PKCS#12 file"


@dataclass(frozen=True)
class SignatureCheck:
    """What checking one embedded signature found."""

    signer: str
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the signature matches the signer's certificate
    covers_all: bool  # nothing was added to the file after signing
    trusted: bool | None  # chains to a given trust root; None when no root was given
    signer_der: bytes = b""  # the signer's certificate (DER): what the attached credential's JWT is checked against

    @property
    def ok(self) -> bool:
        """Return True when the signature is intact, valid, covers the file and (if asked) trusted."""
        return self.intact and self.valid and self.covers_all and self.trusted is not False


def read_key(path: Path, password: bytes | None) -> SigningKey:
    """Return the signing key at path after checking that it opens with password."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReportgenError(_("cannot read {path}: {reason}").format(path=quoted(path), reason=exc.strerror)) from exc
    key = SigningKey(data, password, str(path))
    load_signer(key)
    return key


def load_signer(key: SigningKey):
    """Return a pyHanko signer for key; ReportgenError when the file or password is wrong."""
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(key.p12, other_certs=(), passphrase=key.password)
    except (ValueError, TypeError) as exc:
        raise ReportgenError(
            _("{path}: not a PKCS#12 key, or the password is wrong").format(path=quoted(key.source))
        ) from exc
    if signer is None or signer.signing_cert is None:
        raise ReportgenError(_("{path}: no certificate with a private key inside").format(path=quoted(key.source)))
    return signer


def sign(pdf: bytes, signer, when: dt.datetime, reason: str = "", location: str = "") -> bytes:
    """Return pdf with a PAdES baseline signature appended as an incremental update, signed at when.

    The same PDF, key and time give the same bytes: the signing time is when (SOURCE_DATE_EPOCH's in a
    reproducible build), the new document ID is taken from the PDF's digest, and an RSA (PKCS#1 v1.5,
    the keys `keys new` makes) or Ed25519 (its older keys) signature is deterministic (ECDSA, from some CAs'
    keys, is not).
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer._meta = _dated(writer._meta, when)
    digest = generic.ByteStringObject(hashlib.sha256(pdf).digest()[:16])
    # pyHanko draws the new ID at random; the first half is kept when there is one (ISO 32000 §14.4).
    first = writer._document_id[0] if "/ID" in writer.prev.trailer else digest
    writer._document_id = generic.ArrayObject([first, digest])
    algorithm = signer.signing_cert.public_key.algorithm
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha512" if algorithm in ("ed25519", "ed448") else "sha256",
        reason=reason or None,
        location=location or None,
    )

    class _AtTime(signers.PdfSigner):
        def init_signing_session(self, *args, **kwargs):
            session = super().init_signing_session(*args, **kwargs)
            session.system_time = when  # pyHanko would take the clock's time
            return session

    out = io.BytesIO()
    _AtTime(meta, signer=signer).sign_pdf(writer, output=out)
    return out.getvalue()


def _dated(meta, when: dt.datetime):
    """Return pyHanko's document metadata with its modification date fixed at when (pyHanko sets "now")."""
    import dataclasses

    class AtTime(type(meta)):  # type: ignore[misc]
        def __setattr__(self, name: str, value: object) -> None:
            super().__setattr__(name, when if name == "last_modified" and value == "now" else value)

    return AtTime(**{f.name: getattr(meta, f.name) for f in dataclasses.fields(meta)})


def signer_name(cert) -> str:
    """Return the name a reader knows a signer by: the body's whole name for a key `keys new` made, else the
    certificate's common name (else its whole subject); see keys.read_name."""
    kinds = {"organization_name": "O", "common_name": "CN"}
    attributes = [
        (kinds.get(ntv["type"].native, ""), str(ntv["value"].native)) for rdn in cert.subject.chosen for ntv in rdn
    ]
    return read_name(attributes) or cert.subject.human_friendly


def check_certificate(pem: bytes, source: str) -> None:
    """Raise ReportgenError when a certificate could not be checked by a verifier (e.g. a name X.509's
    string rules refuse), so that nothing is signed with it that would then be unverifiable."""
    from pyhanko.keys.pemder import load_certs_from_pemder_data
    from pyhanko_certvalidator import ValidationContext

    try:
        for cert in load_certs_from_pemder_data(pem):
            ValidationContext(trust_roots=[cert], allow_fetching=False)  # prepares every name as a verifier does
            signer_name(cert)
    except ValueError as exc:
        raise ReportgenError(
            _("{path}: a verifier could not read this certificate ({reason})").format(path=quoted(source), reason=exc)
        ) from exc


def load_trust_roots(paths: list[Path]) -> list:
    """Return the certificates (PEM or DER) to trust when checking signatures."""
    from pyhanko.keys import load_cert_from_pemder

    roots = []
    for path in paths:
        try:
            roots.append(load_cert_from_pemder(str(path)))
        except Exception as exc:  # asn1crypto and OS errors alike: the user needs the file name
            raise ReportgenError(
                _("{path}: not a PEM or DER certificate ({reason})").format(path=quoted(path), reason=exc)
            ) from exc
    return roots


def check(pdf: bytes, trust_roots: list | None = None) -> list[SignatureCheck]:
    """Return one check per signature embedded in pdf (an empty list when it is not signed)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    # pyHanko logs a traceback for every certificate it cannot chain; the result says it in one line.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    out = []
    for sig in reader.embedded_signatures:
        context = ValidationContext(trust_roots=trust_roots or [], allow_fetching=False)
        status = validate_pdf_signature(sig, context)
        out.append(
            SignatureCheck(
                signer=signer_name(status.signing_cert) if status.signing_cert else "an unknown signer",
                intact=bool(status.intact),
                valid=bool(status.valid),
                covers_all=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                trusted=bool(status.trusted) if trust_roots else None,
                signer_der=status.signing_cert.dump() if status.signing_cert else b"",
            )
        )
    return out
