"""`reportgen verify`: intact, altered (record, QR code, stored payload, signed bytes), signed, and 0.1.0's dossiers.

Forgeries made as an attacker would are in test_forgery.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
import rfc8785
from click.testing import CliRunner

from reportgen.certification import qr, signing
from reportgen.certification import record as certificates
from reportgen.certification.verification import verify_file
from reportgen.cli import cli
from reportgen.commands import common, issuing
from reportgen.documents import dossier as dossier_doc
from reportgen.settings import Settings
from tests.conftest import BODY_NAME
from tests.helpers_dossier import TODAY, make_p12, make_workbook

SETTINGS = Settings(today=TODAY)
SIGNED_AT = dt.datetime(2026, 11, 19, tzinfo=dt.UTC)
EPOCH = {"SOURCE_DATE_EPOCH": "1795046400"}
NOT_SIGNED = "not signed: anyone could have made this file, so it does not show who issued it"


@pytest.fixture(scope="module")
def files(tmp_path_factory, body_key):
    """Render one granted dossier; keep it plain and signed by the body, plus a key of its own (make_p12)."""
    folder = tmp_path_factory.mktemp("verify")
    parsed = common.load(make_workbook(folder), SETTINGS)
    d = dossier_doc.plan(parsed.dataset, SETTINGS, ("EG-T-001",)).dossiers[0]
    issued = next(issuing.issue((d,), SETTINGS, folder, jobs=1))
    plain = folder / "plain.pdf"
    plain.write_bytes(issued.pdf)
    p12, pem = make_p12(folder)
    signer = signing.load_signer(signing.read_key(p12, b"s3cret"))
    signed = folder / "signed.pdf"
    signed.write_bytes(signing.sign(issued.pdf, signing.load_signer(body_key.key), SIGNED_AT))
    by_other = folder / "by-other.pdf"
    by_other.write_bytes(signing.sign(issued.pdf, signer, SIGNED_AT))
    return {
        "folder": folder,
        "plain": plain,
        "signed": signed,
        "by_other": by_other,
        "p12": p12,
        "pem": pem,
        "body_pem": body_key.pem,
        "roots": signing.load_trust_roots([body_key.pem]),
        "dossier": d,
        "workbook": folder / "cert.xlsx",
    }


def test_poppler_validates_a_dossier_signed_with_the_key_keys_new_makes(files):
    """What a reader's PDF viewer says: poppler's pdfsig checks signatures with NSS, as Evince and Okular do."""
    import subprocess

    from tests.conftest import need_tool

    pdfsig = need_tool("pdfsig", "poppler-utils")
    report = subprocess.run([pdfsig, str(files["signed"])], capture_output=True, text=True, check=True).stdout
    assert "Signature Validation: Signature is Valid." in report, report  # not "isn't signed or corrupted data"
    assert "Signer Certificate Common Name: الهيئة المصرية للجودة\n" in report, report  # not " EQA 2030"
    assert "Total document signed" in report


def _rewrite(src, dst, change):
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(src))
    change(writer)
    with open(dst, "wb") as fh:
        writer.write(fh)
    return dst


def test_intact_file(files):
    v = verify_file(files["signed"], files["roots"], "body.pem", [], TODAY)
    assert v.ok, v.problems
    assert v.line() == (
        f"{files['signed']}: OK {files['dossier'].number} (granted, valid until 2029-11-18); the file is intact; "
        f"signed by {BODY_NAME}, a trusted signer (body.pem); the certificate is valid"
    )


def test_an_intact_unsigned_file_is_not_ok(files):
    v = verify_file(files["plain"], files["roots"])
    assert v.problems == [NOT_SIGNED]
    assert v.line() == f"{files['plain']}: FAILED: {NOT_SIGNED}"


def test_the_qr_code_is_read_from_the_rendered_page(files):
    from reportgen.certification.verification import qr_texts
    from reportgen.input.pdffile import FinishedPdf

    with FinishedPdf(files["plain"].read_bytes()) as pdf:
        assert qr_texts(pdf) == [files["dossier"].qr_text]


def test_a_fresh_record_is_format_2_and_fingerprinted_over_rfc8785(files):
    from pypdf import PdfReader

    reader = PdfReader(str(files["plain"]))
    raw = reader.attachments[certificates.RECORD_NAME][0]
    record = json.loads(raw)
    assert record["format"] == "reportgen/certificate-record/2"
    assert raw == rfc8785.dumps(record)
    expected = hashlib.sha256(rfc8785.dumps(record)).hexdigest()
    assert files["dossier"].fingerprint == expected
    assert f"sha256:{expected}" in reader.metadata["/Keywords"]


def test_altered_attachment(files, tmp_path):
    record = json.loads(files["dossier"].record)
    record["decision"]["overall"] = "95"

    def change(writer):
        names = writer._root_object["/Names"]["/EmbeddedFiles"].get_object()["/Names"]
        names[1].get_object()["/EF"]["/F"].get_object().set_data(certificates.canonical_json(record))

    v = verify_file(_rewrite(files["plain"], tmp_path / "a.pdf", change))
    assert not v.ok
    assert any(p.startswith("the fingerprint printed on the certificate") for p in v.problems)
    assert any(p.startswith("the QR code's fingerprint") for p in v.problems)


def test_hand_edited_record_is_not_canonical(files, tmp_path):
    def change(writer):
        names = writer._root_object["/Names"]["/EmbeddedFiles"].get_object()["/Names"]
        stream = names[1].get_object()["/EF"]["/F"].get_object()
        stream.set_data(json.dumps(json.loads(stream.get_data()), indent=1).encode())

    v = verify_file(_rewrite(files["plain"], tmp_path / "b.pdf", change))
    assert "the attached record is not in canonical form (edited after issue?)" in v.problems


def test_altered_qr_code(files, tmp_path):
    from PIL import Image

    d = files["dossier"]
    forged = certificates.parse_payload(d.qr_text)
    forged_text = certificates.Payload(forged.number, "granted", forged.issued, "2035-01-01", forged.fingerprint).text()

    def change(writer):
        writer.pages[0].images[0].replace(Image.open(io.BytesIO(qr.png(forged_text))).convert("L"))

    v = verify_file(_rewrite(files["plain"], tmp_path / "q.pdf", change))
    assert "the QR code's validity is 2035-01-01 but the record's is 2029-11-18" in v.problems
    assert "the QR payload stored in the PDF differs from the QR code on the page" in v.problems


def _draw_qr(text: str, x: float, y: float, size: float):
    """Return a pypdf change that draws a QR code for text, size points wide, at (x, y) on the first page."""
    from PIL import Image
    from pypdf import PdfReader, Transformation

    picture = io.BytesIO()
    Image.open(io.BytesIO(qr.png(text))).convert("L").save(picture, format="PDF", resolution=72)
    stamp = PdfReader(picture).pages[0]
    scale = size / float(stamp.mediabox.width)

    def change(writer):
        writer.pages[0].merge_transformed_page(stamp, Transformation().scale(scale).translate(x, y))

    return change


@pytest.mark.parametrize(
    ("forged", "problem"),
    [
        ("longer", "the QR code's validity is 2035-01-01 but the record's is 2029-11-18 (code 1 of 2 on the page)"),
        ("https://evil.example/c", "the QR code does not carry a certificate ('https://evil.example/c') (code 1 of 2"),
    ],
)
def test_a_second_qr_code_drawn_on_the_page_fails(files, tmp_path, forged, problem):
    d = files["dossier"]
    if forged == "longer":
        p = certificates.parse_payload(d.qr_text)
        forged = certificates.Payload(p.number, p.decision, p.issued, "2035-01-01", p.fingerprint).text()
    # Top left of the A4 certificate page, above the genuine code; 36 mm, as big as a phone wants.
    out = _rewrite(files["plain"], tmp_path / "extra.pdf", _draw_qr(forged, 40, 842 - 40 - 102, 102))
    v = verify_file(out)
    assert not v.ok
    assert any(p.startswith(problem) for p in v.problems), v.problems
    assert not any(p.endswith("(code 2 of 2 on the page)") for p in v.problems)  # the genuine one agrees


def test_a_copy_of_the_genuine_code_drawn_beside_it_still_verifies(files, tmp_path):
    out = _rewrite(files["plain"], tmp_path / "copy.pdf", _draw_qr(files["dossier"].qr_text, 40, 842 - 40 - 102, 102))
    v = verify_file(out)
    assert v.problems == [NOT_SIGNED]  # the contents agree; only the signature, redrawn by pypdf, is gone


def test_a_record_of_unknown_format_is_refused(files, tmp_path):
    record = json.loads(files["dossier"].record)
    record["format"] = "reportgen/certificate-record/9"

    def change(writer):
        names = writer._root_object["/Names"]["/EmbeddedFiles"].get_object()["/Names"]
        names[1].get_object()["/EF"]["/F"].get_object().set_data(rfc8785.dumps(record))

    v = verify_file(_rewrite(files["plain"], tmp_path / "f.pdf", change))
    assert (
        "the attached record is not a certificate record (unknown record format 'reportgen/certificate-record/9')"
        in v.problems
    )


def test_altered_stored_payload(files, tmp_path):
    def change(writer):
        kw = writer._info.get_object()["/Keywords"].replace("D=granted", "D=refused")
        writer.add_metadata({"/Keywords": kw})

    v = verify_file(_rewrite(files["plain"], tmp_path / "k.pdf", change))
    assert v.problems == ["the QR payload stored in the PDF differs from the QR code on the page", NOT_SIGNED]


def test_not_a_dossier(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7\n garbage")
    assert verify_file(tmp_path / "x.pdf").problems[0].startswith("not a readable PDF")
    assert verify_file(tmp_path / "missing.pdf").problems[0].startswith("cannot read the file")


def test_signed_file(files):
    v = verify_file(files["signed"])
    assert v.problems == [
        f"signed by {BODY_NAME}, but nothing says {BODY_NAME} is the certification body: give its certificate "
        "with --trust, or keep body-certificate.pem beside the register"
    ]
    assert verify_file(files["signed"], files["roots"]).ok
    _, other = make_p12(files["folder"], common_name="Other Body")
    v = verify_file(files["signed"], signing.load_trust_roots([other]), "--trust other.pem")
    assert v.problems == [f"signed by {BODY_NAME}, who is not the trusted certification body (--trust other.pem)"]
    assert verify_file(files["plain"], files["roots"]).problems == [NOT_SIGNED]


def test_altered_signed_bytes(files, tmp_path):
    data = files["signed"].read_bytes()
    start = data.index(b"WeasyPrint")  # the Info dictionary's producer, inside the signed range
    altered = tmp_path / "s.pdf"
    altered.write_bytes(data[:start] + b"WeasyPrinT" + data[start + 10 :])
    v = verify_file(altered, files["roots"])
    assert f"the bytes signed by {BODY_NAME} were altered" in v.problems


def test_changed_after_signing(files, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter(str(files["signed"]), incremental=True)
    writer.add_metadata({"/Subject": "changed later"})
    out = tmp_path / "later.pdf"
    with open(out, "wb") as fh:
        writer.write(fh)
    v = verify_file(out, files["roots"])
    assert v.problems == [f"the file was changed after {BODY_NAME} signed it"]


def test_an_expired_certificate_reads_as_expired(files):
    v = verify_file(files["signed"], files["roots"], "body.pem", [], dt.date(2029, 11, 19))
    assert v.problems == ["the certificate expired on 2029-11-18"]
    assert verify_file(files["signed"], files["roots"], "body.pem", [], dt.date(2029, 11, 18)).ok


def test_cli_exit_codes_and_one_line_per_file(files, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(files["plain"].read_bytes()[:-2000])
    runner = CliRunner()
    trust = ["--trust", str(files["body_pem"])]
    ok = runner.invoke(cli, ["verify", *trust, str(files["signed"]), str(files["signed"])])
    assert ok.exit_code == 0 and len(ok.output.splitlines()) == 2
    bad = runner.invoke(cli, ["verify", *trust, str(files["signed"]), str(broken)])
    assert bad.exit_code == 1
    lines = bad.output.splitlines()
    assert len(lines) == 2 and ": OK " in lines[0] and lines[1].startswith(f"{broken}: FAILED: ")
    quiet = runner.invoke(cli, ["verify", *trust, "-q", str(files["signed"]), str(broken)])
    assert quiet.output.splitlines() == lines[1:]


def test_cli_sign(files, tmp_path):
    runner = CliRunner()
    args = [
        "dossiers",
        str(files["workbook"]),
        "-o",
        str(tmp_path / "out"),
        "--cluster",
        "EG-T-003",
        "--sign",
        str(files["p12"]),
        "-q",
    ]
    no_password = runner.invoke(cli, args, env=EPOCH)
    assert no_password.exit_code == 2 and "--sign-password-file" in no_password.output
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope\n")
    result = runner.invoke(cli, [*args, "--sign-password-file", str(wrong)], env=EPOCH)
    assert result.exit_code == 1 and "password is wrong" in result.output
    assert not (tmp_path / "out").exists()
    right = tmp_path / "right.txt"
    right.write_text("s3cret\n")
    result = runner.invoke(cli, [*args, "--sign-password-file", str(right)], env=EPOCH)
    assert result.exit_code == 0, result.output
    v = verify_file(tmp_path / "out" / "EG-T-003.pdf", signing.load_trust_roots([files["pem"]]))
    assert v.ok and v.decision == "refused" and v.signatures[0].trusted
    assert (tmp_path / "out" / "body-certificate.pem").read_bytes() == files["pem"].read_bytes()
    by_folder = runner.invoke(cli, ["verify", str(tmp_path / "out" / "EG-T-003.pdf")])
    assert (
        by_folder.exit_code == 0
        and "a trusted signer" in by_folder.output
        and "body-certificate.pem" in (by_folder.output)
    )


# ----------------------------------------------------------------------------- dossiers issued by 0.1.0

FIXTURES = Path(__file__).parent / "fixtures" / "v0_1_0"


@pytest.mark.parametrize(
    ("name", "number", "line"),
    [
        ("granted-signed.pdf", "EG-T-001-2026-N9477", "(granted, valid until 2029-06-09)"),
        ("conditional-signed.pdf", "EG-T-002-2026-F7G6S", "(conditional, valid until 2029-06-09)"),
    ],
)
def test_signed_0_1_0_dossiers_still_verify(name, number, line):
    path = FIXTURES / name
    result = CliRunner().invoke(cli, ["verify", "--trust", str(FIXTURES / "body.pem"), str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"{path}: OK {number} {line}; the file is intact; signed by Fixture Certifying Body, a trusted signer "
        f"(--trust {FIXTURES / 'body.pem'}); the certificate is valid; no status-log.jsonl beside it"
    )


def test_the_unsigned_0_1_0_dossier_reads_but_fails_as_not_signed():
    from pypdf import PdfReader

    path = FIXTURES / "refused-unsigned.pdf"
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output == f"{path}: FAILED: {NOT_SIGNED}\n"  # its contents agree: nothing else is said
    raw = PdfReader(str(path)).attachments[certificates.RECORD_NAME][0]
    assert json.loads(raw)["format"] == "reportgen/certificate-record/1"
