"""Dossiers forged as an attacker with a PDF editor (and reportgen itself) would: `verify` fails every one.

Each forgery starts from dossiers a certification body issued with `reportgen dossiers` (signed with the
body's key); the verdicts are read as `reportgen verify` prints them, with the body's certificate kept
beside the register, or given with --trust.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.certification import qr, signing
from reportgen.certification import record as certificates
from reportgen.cli import cli
from reportgen.commands import common, issuing
from reportgen.documents import dossier as dossier_doc
from reportgen.settings import Settings
from tests.conftest import BODY_NAME, BODY_PASSWORD
from tests.helpers_dossier import TODAY, certification, dossier_sheets, make_workbook
from tests.pdftext import pages_text

EPOCH = {"SOURCE_DATE_EPOCH": "1795046400"}  # 2026-11-19, the tests' issue date
NOT_SIGNED = "not signed: anyone could have made this file, so it does not show who issued it"


@pytest.fixture(scope="module")
def issued(tmp_path_factory, body_key) -> Path:
    """Return the dossiers folder the body issued: signed dossiers, register and body-certificate.pem."""
    folder = tmp_path_factory.mktemp("issued")
    shutil.copy(body_key.p12, folder / body_key.p12.name)  # the key beside the workbook, as `keys new` leaves it
    workbook = make_workbook(folder)
    args = ["dossiers", str(workbook), "-o", str(folder / "out"), "--jobs", "1", "-q", "--cluster", "EG-T-001"]
    args += ["--cluster", "EG-T-003"]
    result = CliRunner().invoke(cli, [*args, "--sign-password-file", str(body_key.password_file)], env=EPOCH)
    assert result.exit_code == 0, result.output
    return folder / "out"


def verify(*args: object) -> tuple[int, list[str]]:
    """Run `reportgen verify` and return its exit code and lines."""
    result = CliRunner().invoke(cli, ["verify", *map(str, args)], env=EPOCH)
    return result.exit_code, result.output.splitlines()


def forge(folder: Path, name: str) -> Path:
    """Return where a forged file goes: among the body's dossiers, as if it came from there."""
    return folder / name


def test_a_fresh_signed_dossier_verifies_with_its_bodys_certificate(issued, body_key):
    code, lines = verify(issued / "EG-T-001.pdf")
    assert code == 0, lines
    assert f"signed by {BODY_NAME}, a trusted signer ({issued / 'body-certificate.pem'})" in lines[0]
    assert lines[0].endswith(
        "the certificate is valid; no status-log.jsonl beside it, so suspension or withdrawal was not checked"
    )
    # The body's certificate given by hand (a client checking a file mailed to it) verifies it alike.
    alone = shutil.copy(issued / "EG-T-001.pdf", body_key.folder.parent / "mailed.pdf")
    assert verify("--trust", body_key.pem, alone)[0] == 0


def _record_of(data: bytes) -> dict:
    from pypdf import PdfReader

    return json.loads(PdfReader(io.BytesIO(data)).attachments[certificates.RECORD_NAME][0])


def _regenerate(unsigned: bytes, out: Path, change) -> Path:
    """Rewrite an unsigned dossier with its record changed, and the fingerprint, keywords and QR code made anew."""
    from PIL import Image
    from pypdf import PdfWriter

    record = _record_of(unsigned)
    change(record)
    raw = certificates.canonical_json(record)
    fp = certificates.fingerprint(raw)
    payload = certificates.payload_for(record, fp).text()
    writer = PdfWriter(clone_from=io.BytesIO(unsigned))
    names = writer._root_object["/Names"]["/EmbeddedFiles"].get_object()["/Names"]
    names[1].get_object()["/EF"]["/F"].get_object().set_data(raw)
    writer.add_metadata({"/Keywords": ", ".join(certificates.keywords(record["number"], fp, payload))})
    (code,) = [im for im in writer.pages[0].images if im.image.width == im.image.height]  # the square one
    code.replace(Image.open(io.BytesIO(qr.png(payload))).convert("L"))
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def _granted_until_2099(record: dict) -> None:
    record["decision"]["outcome"] = "granted"
    record["dates"]["valid_until"] = "2099-12-31"


def test_an_unsigned_dossier_made_anew_with_a_consistent_record_fails(issued, tmp_path):
    """The forger edits the workbook (refused → granted, valid until 2099) and runs reportgen without a key."""
    sheets = dossier_sheets()
    sheets["certifications"][3] = certification("EG-T-003", "علامة مرفوضة", "granted", valid_until="2099-12-31")
    workbook = make_workbook(tmp_path, sheets)
    settings = Settings(today=TODAY)
    parsed = common.load_clean(workbook, settings)
    (d,) = dossier_doc.plan(parsed.dataset, settings, ("EG-T-003",)).dossiers
    issuing.setup(settings, None, draft=False)  # and leaves out the draft mark, as a forger would
    forged = issuing.render(d, tmp_path)
    assert forged.pdf is not None
    out = forge(issued, "EG-T-003-forged.pdf")
    out.write_bytes(forged.pdf)
    code, lines = verify(out)
    assert code == 1
    # Record, fingerprint and QR code agree (the forger made them together): only the missing signature tells.
    assert lines == [f"{out}: FAILED: {NOT_SIGNED}"]
    assert "(granted, valid until 2099-12-31)" not in lines[0]


def test_a_signed_dossier_stripped_of_its_signature_and_refingerprinted_fails(issued, tmp_path):
    signed = (issued / "EG-T-003.pdf").read_bytes()
    assert _record_of(signed)["decision"]["outcome"] == "refused"
    unsigned = signed[: signed.index(b"%%EOF") + 6]  # the signature is an incremental update: cut it off
    out = _regenerate(unsigned, forge(issued, "EG-T-003-stripped.pdf"), _granted_until_2099)
    assert _record_of(out.read_bytes())["dates"]["valid_until"] == "2099-12-31"
    code, lines = verify(out)
    assert code == 1
    assert lines == [f"{out}: FAILED: {NOT_SIGNED}"]


def _qr_box(pdf: bytes) -> tuple[float, float, float]:
    """Return (x, y, size) in points of the QR code on the first page, found by zxing-cpp on the page as drawn."""
    import pypdfium2
    import zxingcpp

    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=2).to_pil()  # 144 pixels per inch: 2 pixels a point
    (found,) = zxingcpp.read_barcodes(image)
    xs = [found.position.top_left.x, found.position.bottom_right.x]
    ys = [found.position.top_left.y, found.position.bottom_right.y]
    height = page.get_height()
    size = (max(xs) - min(xs)) / 2
    return min(xs) / 2, height - max(ys) / 2, size


def test_a_second_qr_code_drawn_over_the_genuine_one_fails(issued, tmp_path):
    from pypdf import PdfWriter

    from tests.test_verify import _draw_qr

    signed = issued / "EG-T-001.pdf"
    record = _record_of(signed.read_bytes())
    fp = certificates.fingerprint(certificates.canonical_json(record))
    p = certificates.payload_for(record, fp)
    forged = certificates.Payload(p.number, p.decision, p.issued, "2099-12-31", p.fingerprint).text()
    x, y, size = _qr_box(signed.read_bytes())
    margin = size * 0.12  # cover the genuine code and its quiet zone

    writer = PdfWriter(str(signed), incremental=True)
    _draw_qr(forged, x - margin, y - margin, size + 2 * margin)(writer)
    out = forge(issued, "EG-T-001-qr.pdf")
    with open(out, "wb") as fh:
        writer.write(fh)
    code, lines = verify(out)
    assert code == 1
    assert "the QR code's validity is 2099-12-31 but the record's is 2029-11-18" in lines[0]
    assert f"the file was changed after {BODY_NAME} signed it" in lines[0]


def _white_box_and_text(writer, text: str, x: float, y: float) -> None:
    """Draw a white box and new text on the first page, as a PDF editor's "edit text" does."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    page = writer.pages[0]
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica-Bold"),
        }
    )
    resources = page["/Resources"].get_object()
    fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
    fonts[NameObject("/Forged")] = writer._add_object(font)
    stream = DecodedStreamObject()
    stream.set_data(
        f"q 1 1 1 rg {x} {y} 200 26 re f 0 0 0 rg BT /Forged 16 Tf {x + 6} {y + 7} Td ({text}) Tj ET Q".encode()
    )
    contents = page.raw_get("/Contents")  # a reference: ours is drawn after the page's own streams, on top
    streams = contents.get_object() if isinstance(contents.get_object(), ArrayObject) else ArrayObject([contents])
    # The page's own drawing leaves its coordinate system changed: keep it inside q … Q, as editors do.
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(b"\nQ\n")
    streams = ArrayObject([writer._add_object(before), *streams, writer._add_object(after), writer._add_object(stream)])
    page[NameObject("/Contents")] = streams


def test_a_white_box_and_new_text_drawn_over_a_signed_certificate_fails(issued, tmp_path):
    from pypdf import PdfWriter

    signed = issued / "EG-T-001.pdf"
    writer = PdfWriter(str(signed), incremental=True)  # an incremental update keeps the signature in the file
    _white_box_and_text(writer, "VALID UNTIL 2099-12-31", 60, 420)
    out = forge(issued, "EG-T-001-edited.pdf")
    with open(out, "wb") as fh:
        writer.write(fh)
    assert "VALID UNTIL 2099-12-31" in pages_text(out)[0]  # a reader sees the new text (looked at as a picture)
    code, lines = verify(out)
    assert code == 1
    assert lines == [f"{out}: FAILED: the file was changed after {BODY_NAME} signed it"]


def test_a_dossier_signed_by_a_key_claiming_the_bodys_name_fails(issued, tmp_path):
    """The forger makes a key with the body's very name and signs a regenerated dossier with it."""
    from reportgen.commands import keys

    p12, pem, _ = keys.new(tmp_path / "forger", BODY_NAME, b"forger")
    signer = signing.load_signer(signing.read_key(p12, b"forger"))
    signed = (issued / "EG-T-003.pdf").read_bytes()
    unsigned = _regenerate(signed[: signed.index(b"%%EOF") + 6], tmp_path / "u.pdf", _granted_until_2099)
    out = forge(issued, "EG-T-003-other-key.pdf")
    out.write_bytes(signing.sign(unsigned.read_bytes(), signer, dt.datetime(2026, 11, 19, tzinfo=dt.UTC)))
    assert signing.check(out.read_bytes(), signing.load_trust_roots([pem]))[0].ok  # a well-made signature
    code, lines = verify(out)
    assert code == 1
    body = issued / "body-certificate.pem"
    assert lines == [f"{out}: FAILED: signed by {BODY_NAME}, who is not the trusted certification body ({body})"]
    # Handed over in a folder of its own with the forger's certificate beside it, it passes only what is
    # beside it: the body's certificate given with --trust settles it.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(out, elsewhere / "c.pdf")
    shutil.copy(pem, elsewhere / "body-certificate.pem")
    assert verify(elsewhere / "c.pdf")[0] == 0
    code, lines = verify("--trust", issued / "body-certificate.pem", elsewhere / "c.pdf")
    assert code == 1 and "who is not the trusted certification body (--trust" in lines[0]


def test_password_is_not_in_the_key_file(body_key):
    assert BODY_PASSWORD not in body_key.p12.read_bytes()
