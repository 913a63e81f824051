"""The body's signing key: `reportgen keys new|import`, names in certificates, and dossiers signed by default."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from reportgen.certification import keys, signing
from reportgen.cli import cli
from reportgen.errors import ReportgenError
from tests.helpers_dossier import make_workbook

WHEN = dt.datetime(2026, 11, 19, tzinfo=dt.UTC)
NAMES = [
    "الهيئة المصرية للجودة EQA 2030",  # Arabic, then a Latin acronym and digits
    "(EQA) الهيئة المصرية للجودة 9001",  # Latin first, digits last
    "هيئة «الاعتماد» ٢٠٣٠ — ISO/IEC 17065",  # guillemets, Arabic-Indic digits, a dash, a slash
    "الهيئة العامة للرقابة على الصادرات والواردات",  # Arabic only
    "Egyptian Quality Authority",  # Latin only
    "مركز تحديث الصناعة – IMC",
    "هيئة\u200cالاختبار",  # a zero-width non-joiner, which Arabic typing uses
    "الهيئة العامة للرقابة على الصادرات والواردات — فرع الإسكندرية EQA 2030",  # beyond 64 bytes: several values
]


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_a_name_signs_and_verifies_and_reads_back(name, tmp_path):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    made = keys.new_key(name, b"pw", WHEN)
    assert made.algorithm == "RSA"
    cert = x509.load_pem_x509_certificate(made.certificate_pem)
    parts = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    assert "".join(str(p.value) for p in parts) == name
    (common,) = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)  # the one value PDF readers show
    assert common.value == common.value.strip() and common.value in name
    assert len(common.value) == max(len(p.strip()) for p in keys.name_parts(name))  # the name's main stretch
    assert all(p._type.name == "UTF8String" for p in [*parts, common])  # RFC 5280: UTF8String for any new name
    pem = tmp_path / "body.pem"
    pem.write_bytes(made.certificate_pem)
    signer = signing.load_signer(signing.SigningKey(made.p12, b"pw"))
    signed = signing.sign(_blank_pdf(), signer, WHEN)
    (check,) = signing.check(signed, signing.load_trust_roots([pem]))
    assert check.ok and check.trusted and check.signer == name


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (NAMES[0], "الهيئة المصرية للجودة"),
        ("الهيئة التجريبية للجودة EQA", "الهيئة التجريبية للجودة"),  # make demo's body
        (NAMES[1], "الهيئة المصرية للجودة"),
        (NAMES[4], "Egyptian Quality Authority"),
    ],
)
def test_poppler_validates_the_signature_and_shows_the_body_s_main_name(name, shown, tmp_path):
    from tests.conftest import need_tool

    pdfsig = need_tool("pdfsig", "poppler-utils")
    made = keys.new_key(name, b"pw", WHEN)
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(signing.sign(_blank_pdf(), signing.load_signer(signing.SigningKey(made.p12, b"pw")), WHEN))
    report = subprocess.run([pdfsig, str(signed)], capture_output=True, text=True, check=True).stdout
    # NSS (poppler, Evince, Okular) checks the signature itself; the self-signed certificate is "untrusted" there.
    assert "Signature Validation: Signature is Valid." in report, report
    assert f"Signer Certificate Common Name: {shown}\n" in report, report
    (check,) = signing.check(signed.read_bytes())
    assert check.intact and check.valid and check.signer == name  # pyHanko reads the whole name back


def _ed25519_p12(name: str) -> bytes:
    """Return a PKCS#12 key as `keys new` made them before RSA: Ed25519, the name in common names only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ed25519.Ed25519PrivateKey.generate()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, part) for part in keys.name_parts(name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(WHEN - dt.timedelta(days=1))
        .not_valid_after(WHEN + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, None)
    )
    return pkcs12.serialize_key_and_certificates(b"old", key, cert, None, serialization.BestAvailableEncryption(b"pw"))


def test_a_key_made_before_rsa_still_imports_signs_and_verifies(tmp_path):
    from reportgen.certification import jose

    name = NAMES[0]
    old = tmp_path / "old.p12"
    old.write_bytes(_ed25519_p12(name))
    password = tmp_path / "pw.txt"
    password.write_text("pw\n")
    into = tmp_path / "book"
    result = CliRunner().invoke(cli, ["keys", "import", str(old), "--dir", str(into), "--password-file", str(password)])
    assert result.exit_code == 0, result.output
    assert "Ed25519" in result.output and name in result.output
    key = signing.read_key(into / keys.KEY_FILE, b"pw")
    signed = signing.sign(_blank_pdf(), signing.load_signer(key), WHEN)
    assert signing.sign(_blank_pdf(), signing.load_signer(key), WHEN) == signed  # still deterministic
    (check,) = signing.check(signed, signing.load_trust_roots([into / keys.CERT_FILE]))
    assert check.ok and check.trusted and check.signer == name
    private, kind = keys.signing_key_pem(key.p12, b"pw", key.source)
    token = jose.sign_jwt({"sub": "x"}, private, kind)
    public = keys.public_key_pem((into / keys.CERT_FILE).read_bytes())
    assert kind == "Ed25519" and jose.verify_jwt(token, public)[0]["alg"] == "EdDSA"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl")
@pytest.mark.parametrize("name", NAMES[:3])
def test_openssl_reads_the_certificate_and_its_name(name, tmp_path):
    made = keys.new_key(name, b"pw", WHEN)
    pem = tmp_path / "c.pem"
    pem.write_bytes(made.certificate_pem)
    shown = subprocess.run(
        ["openssl", "x509", "-in", str(pem), "-noout", "-subject", "-nameopt", "utf8,sep_multiline"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert all(part.strip() in shown for part in keys.name_parts(name))
    verified = subprocess.run(
        ["openssl", "verify", "-CAfile", str(pem), "-attime", str(int(WHEN.timestamp()) + 3600), str(pem)],
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("ه " * 64 + "ه", "has 129 characters; a certificate holds at most 128"),
        ("هيئة " + "ه" * 33, "a word too long for a certificate"),  # 66 bytes in UTF-8: no value holds it
        ("هيئة\x07الاختبار", "U+0007"),
        ("هيئة \u202eEQA", "U+202E"),  # a bidi override: would show the name other than it is
        ("هيئة \ue000", "U+E000"),
        ("هيئة \ud800", "U+D800"),
    ],
)
def test_a_name_a_certificate_cannot_carry_is_refused_before_anything_is_made(name, message, tmp_path):
    with pytest.raises(ReportgenError, match=message.replace("+", r"\+")):
        keys.new_key(name, b"pw", WHEN)
    password = tmp_path / "pw.txt"
    password.write_text("pw\n")
    args = ["keys", "new", "--name", name, "--dir", str(tmp_path), "--password-file", str(password)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and message in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pw.txt"]


def _ca_p12(tmp_path, common_name: str):
    """Return a PKCS#12 such as a CA would issue: an ECDSA key, the whole name in one common name."""
    from tests.helpers_dossier import make_p12

    return make_p12(tmp_path, common_name=common_name)


def test_a_ca_key_whose_name_verifiers_cannot_read_is_refused_on_import(tmp_path):
    p12, _ = _ca_p12(tmp_path, "Body الهيئة EQA")  # one value mixing Arabic and Latin letters
    password = tmp_path / "pw.txt"
    password.write_text("s3cret\n")
    into = tmp_path / "book"
    args = ["keys", "import", str(p12), "--dir", str(into), "--password-file", str(password)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "a verifier could not read this certificate" in result.output and "bidirectional" in result.output
    assert not into.exists() or not any(into.iterdir())


def test_dossiers_refuse_to_sign_with_a_key_whose_name_verifiers_cannot_read(tmp_path):
    p12, _ = _ca_p12(tmp_path, "Body الهيئة EQA")
    password = tmp_path / "pw.txt"
    password.write_text("s3cret\n")
    workbook = make_workbook(tmp_path)
    args = ["dossiers", str(workbook), "-o", str(tmp_path / "out"), "--sign", str(p12)]
    result = CliRunner().invoke(cli, [*args, "--sign-password-file", str(password)])
    assert result.exit_code == 1 and "a verifier could not read this certificate" in result.output
    assert not (tmp_path / "out").exists()


def test_a_ca_key_is_imported_beside_the_workbook(tmp_path):
    p12, pem = _ca_p12(tmp_path, "Certification Authority Test Body")
    password = tmp_path / "pw.txt"
    password.write_text("s3cret\n")
    into = tmp_path / "book"
    result = CliRunner().invoke(cli, ["keys", "import", str(p12), "--dir", str(into), "--password-file", str(password)])
    assert result.exit_code == 0, result.output
    assert (into / keys.KEY_FILE).read_bytes() == p12.read_bytes()
    assert (into / keys.CERT_FILE).read_bytes() == pem.read_bytes()
    assert "ECDSA" in result.output and "not byte-identical" in result.output


def test_keys_new_asks_for_a_password_only_on_a_terminal_and_never_replaces_a_key(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["keys", "new", "--name", "هيئة", "--dir", str(tmp_path)])
    assert result.exit_code == 2 and "--password-file" in result.output
    password = tmp_path / "pw.txt"
    password.write_text("pw\n")
    args = ["keys", "new", "--name", "هيئة", "--dir", str(tmp_path), "--password-file", str(password)]
    assert runner.invoke(cli, args).exit_code == 0
    key = (tmp_path / keys.KEY_FILE).read_bytes()
    assert (tmp_path / keys.KEY_FILE).stat().st_mode & 0o077 == 0  # the private key: its owner only
    again = runner.invoke(cli, args)
    assert again.exit_code == 1 and "--force" in again.output
    assert (tmp_path / keys.KEY_FILE).read_bytes() == key
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    result = runner.invoke(cli, [*args[:-1], str(empty), "--force"])
    assert result.exit_code == 1 and "needs a password" in result.output


def test_init_offers_the_key(tmp_path):
    password = tmp_path / "pw.txt"
    password.write_text("pw\n")
    folder = tmp_path / "programme"
    result = CliRunner().invoke(
        cli, ["init", str(folder), "--body", "الهيئة المصرية للجودة EQA 2030", "--password-file", str(password)]
    )
    assert result.exit_code == 0, result.output
    assert {p.name for p in folder.iterdir()} >= {"workbook.xlsx", "reportgen.toml", keys.KEY_FILE, keys.CERT_FILE}
    plain = CliRunner().invoke(cli, ["init", str(tmp_path / "other")])
    assert plain.exit_code == 0 and "reportgen keys new" in plain.output


def test_dossiers_without_a_key_stop_and_say_how_to_make_one(tmp_path):
    workbook = make_workbook(tmp_path)
    result = CliRunner().invoke(cli, ["dossiers", str(workbook), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "reportgen keys new" in result.output and "--unsigned" in result.output
    assert not (tmp_path / "out").exists()
    both = CliRunner().invoke(
        cli, ["dossiers", str(workbook), "-o", str(tmp_path / "o"), "--unsigned", "--sign", str(workbook)]
    )
    assert both.exit_code == 2 and "does not go with --sign" in both.output


def test_an_unsigned_draft_says_so_on_every_page(tmp_path):
    from tests.pdftext import pages_text

    workbook = make_workbook(tmp_path)
    out = tmp_path / "out"
    args = ["dossiers", str(workbook), "-o", str(out), "--unsigned", "--cluster", "EG-T-001", "--cluster", "EG-T-003"]
    result = CliRunner().invoke(cli, [*args, "-q"], env={"SOURCE_DATE_EPOCH": "1795046400"})
    assert result.exit_code == 0, result.output
    for name in ("EG-T-001.pdf", "EG-T-003.pdf"):  # a certificate, and a refusal letter
        pages = pages_text(out / name)
        assert len(pages) > 2
        for text in pages:
            assert "DRAFT — not a certificate" in text and "مسودة" in text and "ليست شهادة" in text
    assert not (out / keys.BODY_CERT).exists()


def test_signing_with_a_key_made_before_rsa_warns_that_readers_cannot_check_it(tmp_path):
    """An Ed25519 key (what `keys new` made before RSA) still signs, with a warning saying what to do."""
    old = tmp_path / "old.p12"
    old.write_bytes(_ed25519_p12(NAMES[0]))
    password = tmp_path / "pw.txt"
    password.write_text("pw\n")
    workbook = make_workbook(tmp_path)
    args = ["dossiers", str(workbook), "-o", str(tmp_path / "out"), "--cluster", "EG-T-001", "--sign", str(old)]
    result = CliRunner().invoke(cli, [*args, "--sign-password-file", str(password)])
    assert result.exit_code == 0, result.output
    assert "an Ed25519 key" in result.output and "reportgen keys new --force" in result.output
    assert list((tmp_path / "out").glob("*.pdf"))
    new = tmp_path / "new"
    CliRunner().invoke(cli, ["keys", "new", "--dir", str(new), "--name", NAMES[0], "--password-file", str(password)])
    args[-1] = str(new / keys.KEY_FILE)
    again = CliRunner().invoke(cli, [*args, "--sign-password-file", str(password), "--force"])
    assert again.exit_code == 0 and "Ed25519" not in again.output, again.output


def test_a_key_in_another_name_than_the_certification_body_is_warned_of(tmp_path):
    """Readers show the key's name as the dossier's signer (review 9: the demo's key named another body than the
    certificate): a key in another name than the settings' certifying_body is warned of, located; the body's own
    name is not."""
    password = tmp_path / "pw.txt"
    password.write_text("pw\n")
    workbook = make_workbook(tmp_path)
    said = {}
    for name in ("هيئة أخرى للاعتماد", "الهيئة المصرية للاختبار"):  # the helper workbook's body is the second
        folder = tmp_path / f"key-{len(said)}"
        made = CliRunner().invoke(
            cli, ["keys", "new", "--dir", str(folder), "--name", name, "--password-file", str(password)]
        )
        assert made.exit_code == 0, made.output
        args = ["dossiers", str(workbook), "-o", str(folder / "out"), "--cluster", "EG-T-001"]
        result = CliRunner().invoke(
            cli, [*args, "--sign", str(folder / keys.KEY_FILE), "--sign-password-file", str(password)]
        )
        assert result.exit_code == 0, result.output
        said[name] = result.output
    warned = [line for line in said["هيئة أخرى للاعتماد"].splitlines() if "the signing key is in the name of" in line]
    assert len(warned) == 1 and "settings (جهة منح الشهادة)" in warned[0] and "هيئة أخرى للاعتماد" in warned[0]
    assert "the signing key is in the name of" not in said["الهيئة المصرية للاختبار"]
