"""PAdES signatures: the only importer of pyHanko; sign a PDF with a PKCS#12 key, and check signatures."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import ReportgenError

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

    @property
    def ok(self) -> bool:
        """Return True when the signature is intact, valid, covers the file and (if asked) trusted."""
        return self.intact and self.valid and self.covers_all and self.trusted is not False


def read_key(path: Path, password: bytes | None) -> SigningKey:
    """Return the signing key at path after checking that it opens with password."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReportgenError(f"cannot read {path}: {exc.strerror}") from exc
    key = SigningKey(data, password, str(path))
    load_signer(key)
    return key


def load_signer(key: SigningKey):
    """Return a pyHanko signer for key; ReportgenError when the file or password is wrong."""
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(key.p12, other_certs=(), passphrase=key.password)
    except (ValueError, TypeError) as exc:
        raise ReportgenError(f"{key.source}: not a PKCS#12 key, or the password is wrong") from exc
    if signer is None or signer.signing_cert is None:
        raise ReportgenError(f"{key.source}: no certificate with a private key inside")
    return signer


def sign(pdf: bytes, signer, reason: str = "", location: str = "") -> bytes:
    """Return pdf with a PAdES baseline signature appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
    )
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def load_trust_roots(paths: list[Path]) -> list:
    """Return the certificates (PEM or DER) to trust when checking signatures."""
    from pyhanko.keys import load_cert_from_pemder

    roots = []
    for path in paths:
        try:
            roots.append(load_cert_from_pemder(str(path)))
        except Exception as exc:  # asn1crypto and OS errors alike: the user needs the file name
            raise ReportgenError(f"{path}: not a PEM or DER certificate ({exc})") from exc
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
                signer=status.signing_cert.subject.human_friendly if status.signing_cert else "unknown",
                intact=bool(status.intact),
                valid=bool(status.valid),
                covers_all=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                trusted=bool(status.trusted) if trust_roots else None,
            )
        )
    return out
