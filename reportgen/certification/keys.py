"""A certification body's signing key: the only importer of cryptography; make one, or import one from a CA."""

from __future__ import annotations

import datetime as dt
import stringprep
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _

KEY_FILE = "signing-key.p12"  # beside the workbook: the body's private key and certificate (PKCS#12)
CERT_FILE = "signing-certificate.pem"  # beside the workbook: its certificate alone, to give to those who verify
BODY_CERT = "body-certificate.pem"  # in the dossiers folder, beside the register: what `verify` trusts there
MAX_NAME = 128  # characters of a body's name, kept in common names of at most MAX_VALUE bytes each
MAX_VALUE = 64  # X.520 ub-common-name, which cryptography (and others) count in UTF-8 bytes
YEARS = 10
RSA_BITS = 3072  # NIST SP 800-57: 128-bit security, as long as a certificate is valid (beyond 2030)


@dataclass(frozen=True)
class NewKey:
    """A key made or imported: the PKCS#12 file's bytes and its certificate as PEM."""

    p12: bytes
    certificate_pem: bytes
    subject: str
    algorithm: str


def check_name(name: str) -> str:
    """Return the body's name as it goes into a certificate (NFC, spaces trimmed); ReportgenError if it cannot.

    Any Unicode letter, digit or punctuation is allowed (the subject is a UTF8String), so Arabic names with
    Latin acronyms and digits work; control and format characters, lone surrogates, names longer than
    128 characters and words longer than a certificate's value holds are refused here, before anything
    is made or signed.
    """
    text = unicodedata.normalize("NFC", " ".join(str(name).split()))
    if not text:
        raise ReportgenError(_("the certification body's name is empty"))
    if len(text) > MAX_NAME:
        raise ReportgenError(
            _("the certification body's name has {n} characters; a certificate holds at most {most}").format(
                n=len(text), most=MAX_NAME
            )
        )
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and ch not in "\u200c\u200d"):
            raise ReportgenError(
                _(
                    "the certification body's name holds the character {char}, which a certificate cannot carry; "
                    "type the name again without it"
                ).format(char=f"U+{ord(ch):04X}")
            )
    for word in text.split(" "):
        if len(word.encode("utf-8")) > MAX_VALUE:
            raise ReportgenError(
                _("the certification body's name has a word too long for a certificate: {word}").format(
                    word=quoted(word)
                )
            )
    return text


def name_parts(name: str) -> list[str]:
    """Return the name cut where X.509's string preparation needs it: each part is right-to-left only
    (starting and ending with an Arabic letter, no Latin letter) or has no Arabic letter at all.

    RFC 3454's bidirectional rule, which validators such as pyHanko's apply to every name in a
    certificate, refuses one value that mixes Arabic and Latin letters, or that ends in a digit after
    Arabic; a name such as "الهيئة المصرية للجودة EQA 2030" is therefore kept as two values.
    """
    parts: list[str] = []
    i, n = 0, len(name)
    while i < n:
        k = i
        if stringprep.in_table_d1(name[i]):
            end = i
            while k < n and not stringprep.in_table_d2(name[k]):
                end = k if stringprep.in_table_d1(name[k]) else end
                k += 1
            k = end + 1
        else:
            while k < n and not stringprep.in_table_d1(name[k]):
                k += 1
        parts.extend(_fit(name[i:k]))
        i = k
    return parts


def _fit(part: str) -> list[str]:
    """Return part as pieces of at most MAX_VALUE UTF-8 bytes, cut at spaces (each space a piece of its own, so
    that a right-to-left piece still starts and ends with a letter)."""
    if len(part.encode("utf-8")) <= MAX_VALUE:
        return [part]
    pieces: list[str] = []
    line = ""
    for word in part.split(" "):
        joined = f"{line} {word}" if line else word
        if line and len(joined.encode("utf-8")) > MAX_VALUE:
            pieces += [line, " "]
            line = word
        else:
            line = joined
    return [p for p in [*pieces, line] if p]


def common_name(parts: list[str]) -> str:
    """Return the stretch of a name (from name_parts) that readers show as the signer: its longest part.

    PDF readers (poppler, Evince, Okular through NSS; Acrobat) show one common name, the last; the body's
    main name, right-to-left, is usually its longest stretch ("الهيئة التجريبية للجودة" of "... EQA").
    """
    return max((p.strip() for p in parts), key=len)


def subject_attributes(name: str) -> list[tuple[str, str]]:
    """Return a checked name as the certificate's subject: ("O", part) for each of name_parts in order, which
    read together give the name back, then ("CN", common_name) for the readers that show one value."""
    parts = name_parts(name)
    return [*(("O", part) for part in parts), ("CN", common_name(parts))]


def read_name(attributes: list[tuple[str, str]]) -> str:
    """Return the name a reader knows a certificate's subject by, from its ("O"|"CN"|..., value) attributes in order.

    A subject made by new_key (its common name one of its organization values) reads as its organization values
    joined; reportgen's older keys (several common names, no organization) as their common names joined; a CA's
    certificate as its common name.
    """
    organization = [value for kind, value in attributes if kind == "O"]
    names = [value for kind, value in attributes if kind == "CN"]
    if organization and len(names) == 1 and names[0] in (part.strip() for part in organization):
        return "".join(organization)
    return "".join(names)


def new_key(name: str, password: bytes, when: dt.datetime) -> NewKey:
    """Return a new RSA-3072 key and a self-signed certificate naming the body.

    RSA with PKCS#1 v1.5 and SHA-256: what every PDF reader validates (NSS, which poppler, Evince and Okular
    use, and Acrobat do not validate Ed25519), and deterministic, so a reproducible build signs the same bytes.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    subject_name = check_name(name)
    if not password:
        raise ReportgenError(_("the signing key needs a password (anyone with the file and no password could sign)"))
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    # UTF8String values (RFC 5280): the name in organization values X.509's string rules accept on their
    # own (see name_parts), and its main stretch as the common name readers show.
    oids = {"O": NameOID.ORGANIZATION_NAME, "CN": NameOID.COMMON_NAME}
    subject = x509.Name([x509.NameAttribute(oids[kind], value) for kind, value in subject_attributes(subject_name)])
    start = when.replace(microsecond=0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * YEARS + YEARS // 4))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        subject_name.encode("utf-8"), key, cert, None, serialization.BestAvailableEncryption(password)
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    return NewKey(p12, pem, subject_name, "RSA")


def import_p12(data: bytes, password: bytes | None, source: str) -> NewKey:
    """Return a CA-issued PKCS#12 file as a NewKey after checking it opens and its name can be read back."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    try:
        key, cert, _others = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError) as exc:
        raise ReportgenError(
            _("{path}: not a PKCS#12 key, or the password is wrong").format(path=quoted(source))
        ) from exc
    if key is None or cert is None:
        raise ReportgenError(_("{path}: no certificate with a private key inside").format(path=quoted(source)))
    try:
        kinds_of = {NameOID.ORGANIZATION_NAME: "O", NameOID.COMMON_NAME: "CN"}
        attributes = [(kinds_of.get(a.oid, ""), str(a.value)) for a in cert.subject]
        subject = read_name(attributes) or cert.subject.rfc4514_string()
    except ValueError as exc:  # a subject string that does not decode: it could never be shown to a reader
        raise ReportgenError(
            _("{path}: the certificate's subject cannot be read ({reason})").format(path=quoted(source), reason=exc)
        ) from exc
    kinds = {ed25519.Ed25519PrivateKey: "Ed25519", ed448.Ed448PrivateKey: "Ed448", rsa.RSAPrivateKey: "RSA"}
    algorithm = next((label for kind, label in kinds.items() if isinstance(key, kind)), "")
    if isinstance(key, ec.EllipticCurvePrivateKey):
        algorithm = "ECDSA"
    if not algorithm:
        raise ReportgenError(
            _("{path}: a {kind} key cannot sign PDF documents").format(
                path=quoted(source), kind=type(key).__name__.removesuffix("PrivateKey")
            )
        )
    return NewKey(data, cert.public_bytes(serialization.Encoding.PEM), subject, algorithm)


def certificate_pem(key_p12: bytes, password: bytes | None, source: str) -> bytes:
    """Return the certificate inside a PKCS#12 file as PEM."""
    return import_p12(key_p12, password, source).certificate_pem


def beside(workbook: Path) -> tuple[Path, Path]:
    """Return where the body's key and certificate are kept for a workbook: the workbook's folder."""
    folder = Path(workbook).resolve().parent
    return folder / KEY_FILE, folder / CERT_FILE


def signing_key_pem(p12: bytes, password: bytes | None, source: str) -> tuple[bytes, str]:
    """Return the private key inside a PKCS#12 file as unencrypted PKCS#8 PEM (kept in memory only) and its kind."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    kind = import_p12(p12, password, source).algorithm
    key, _, _ = pkcs12.load_key_and_certificates(p12, password)
    assert key is not None  # import_p12 refused a file without one
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem, kind


def public_key_pem(certificate: bytes) -> bytes:
    """Return the public key of a certificate (PEM or DER) as SubjectPublicKeyInfo PEM; ValueError if unreadable."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    cert = (
        x509.load_pem_x509_certificate(certificate)
        if certificate.lstrip().startswith(b"-----")
        else x509.load_der_x509_certificate(certificate)
    )
    return cert.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
