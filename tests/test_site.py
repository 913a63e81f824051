"""`reportgen site`: the static verification site, its signed files, status lists and Open Badges credentials;
the pages tested in Debian's chromium (served over http from a thread, and opened from disk)."""

from __future__ import annotations

import base64
import functools
import gzip
import http.server
import json
import shutil
import threading
from pathlib import Path

import jsonschema
import jwt
import pytest
from click.testing import CliRunner
from cryptography import x509

from reportgen.certification import badge, statuslist
from reportgen.cli import cli
from reportgen.model.arabic import ascii_digits, fold
from tests.browser import launched, page  # noqa: F401
from tests.helpers_dossier import make_workbook

EPOCH = {"SOURCE_DATE_EPOCH": "1795046400"}  # 2026-11-19
URL = "https://certificates.example.org"
SCHEMA = Path(__file__).parent / "fixtures" / "openbadges" / "ob_v3p0_achievementcredential_schema.json"


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*map(str, args)], env=EPOCH)
    return result.exit_code, result.output


def build(folder: Path, out: Path, body_key) -> None:
    code, output = run(
        "site", folder, "-o", out, "--sign", body_key.p12, "--sign-password-file", body_key.password_file
    )
    assert code == 0, output


@pytest.fixture(scope="module")
def issued(tmp_path_factory, body_key):
    """Return the dossiers folder (a granted, a conditional and a refused certificate, signed, with a site address)
    and its site."""
    folder = tmp_path_factory.mktemp("site")
    shutil.copy(body_key.p12, folder / body_key.p12.name)
    (folder / "reportgen.toml").write_text(f'[reportgen]\nverify_url = "{URL}/"\n', "utf-8")
    workbook = make_workbook(folder)
    clusters = ["--cluster", "EG-T-001", "--cluster", "EG-T-002", "--cluster", "EG-T-003"]
    code, output = run(
        "dossiers", workbook, "-o", folder / "out", *clusters, "-q", "--config", folder / "reportgen.toml",
        "--sign-password-file", body_key.password_file,
    )  # fmt: skip
    assert code == 0, output
    build(folder / "out", folder / "site", body_key)
    register = json.loads((folder / "site" / "register.json").read_text("utf-8"))
    numbers = {c["cluster"]: c["number"] for c in register["certificates"]}
    return folder / "out", folder / "site", numbers


@pytest.fixture(scope="module")
def withdrawn(issued, tmp_path_factory, body_key):
    """Return (dossiers, site, numbers) after EG-T-002's certificate was withdrawn and the site built again."""
    out, _, numbers = issued
    folder = Path(shutil.copytree(out, tmp_path_factory.mktemp("withdrawn") / "out"))
    code, output = run("withdraw", numbers["EG-T-002"], "--reason", "إساءة استخدام العلامة", "--dossiers", folder)
    assert code == 0, output
    build(folder, folder.parent / "site", body_key)
    return folder, folder.parent / "site", numbers


def _public_key(body_key):
    return x509.load_pem_x509_certificate(body_key.pem.read_bytes()).public_key()


def _bit(encoded: str, index: int) -> bool:
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) * 8 >= 131_072  # the specification's minimum list size
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


# ----------------------------------------------------------------------------- the files, read by other libraries


def test_each_certificate_has_pages_in_both_languages(issued):
    _, site, numbers = issued
    for number in numbers.values():
        assert (site / "c" / number / "index.html").is_file()
        assert (site / "c" / number / "en" / "index.html").is_file()
    assert 'dir="rtl"' in (site / "c" / numbers["EG-T-002"] / "index.html").read_text("utf-8")
    assert 'dir="ltr"' in (site / "c" / numbers["EG-T-002"] / "en" / "index.html").read_text("utf-8")
    # A brand typed as a formula is shown as text, escaped.
    assert "=HYPERLINK(&#34;http://x&#34;)" in (site / "c" / numbers["EG-T-001"] / "index.html").read_text("utf-8")


def test_the_qr_code_is_the_certificate_page(issued):
    out, _, numbers = issued
    code, output = run("verify", out / "EG-T-002.pdf")
    assert code == 0, output
    assert "its Open Badges 3.0 credential is signed by the same signer and matches the record" in output
    from pypdf import PdfReader

    keywords = PdfReader(out / "EG-T-002.pdf").metadata["/Keywords"]
    assert f"qr:{URL}/c/{numbers['EG-T-002']}/#" in keywords


def test_the_credential_is_an_open_badge_signed_by_the_body(issued, body_key):
    out, site, numbers = issued
    from pypdf import PdfReader

    reader = PdfReader(out / "EG-T-002.pdf")
    assert sorted(reader.attachments) == sorted([badge.CREDENTIAL_NAME, "certificate-record.json"])
    associated = [f.get_object()["/F"] for f in reader.trailer["/Root"]["/AF"]]
    assert sorted(associated) == sorted([badge.CREDENTIAL_NAME, "certificate-record.json"])  # PDF/A-3 associated files
    token = reader.attachments[badge.CREDENTIAL_NAME][0].decode("ascii")
    assert (site / "c" / numbers["EG-T-002"] / "credential.jwt").read_text("ascii") == token
    # PyJWT, not joserfc, checks the signature against the body's certificate.
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256" and header["typ"] == "JWT"  # the RSA key `keys new` makes
    claims = jwt.decode(token, _public_key(body_key), algorithms=["RS256"], options={"verify_exp": False,
                        "verify_nbf": False})  # fmt: skip
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker()).validate(claims)
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["sub"] == claims["credentialSubject"]["licenseNumber"] == numbers["EG-T-002"]
    record = reader.attachments["certificate-record.json"][0]
    import hashlib

    assert claims["evidence"][0]["id"] == "urn:sha256:" + hashlib.sha256(record).hexdigest()
    indexes = json.loads((out / statuslist.INDEX_FILE).read_text("utf-8"))["indexes"]
    assert claims["credentialStatus"] == {
        "id": f"{URL}/status/revocation.jwt#{indexes[numbers['EG-T-002']]}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(indexes[numbers["EG-T-002"]]),
        "statusListCredential": f"{URL}/status/revocation.jwt",
    }


def test_verify_compares_the_credential_status_index_with_the_folder(issued, tmp_path):
    folder = Path(shutil.copytree(issued[0], tmp_path / "out"))
    numbers = issued[2]
    indexes = statuslist.read_index((folder / statuslist.INDEX_FILE).read_bytes())
    one, two = numbers["EG-T-001"], numbers["EG-T-002"]
    indexes[one], indexes[two] = indexes[two], indexes[one]
    (folder / statuslist.INDEX_FILE).write_bytes(statuslist.index_bytes(indexes))
    code, output = run("verify", folder / "EG-T-002.pdf")
    assert code == 1
    assert (
        f"status list index {indexes[one]} is not the one the register gave this certificate ({indexes[two]})" in output
    )


def test_a_refusal_carries_no_credential(issued):
    out, site, numbers = issued
    from pypdf import PdfReader

    assert sorted(PdfReader(out / "EG-T-003.pdf").attachments) == ["certificate-record.json"]
    assert not (site / "c" / numbers["EG-T-003"] / "credential.jwt").exists()


def test_the_register_is_signed_by_the_body(issued, body_key):
    _, site, numbers = issued
    payload = (site / "register.json").read_bytes()
    signature = (site / "register.json.jws").read_text("ascii").strip()
    head, detached, tail = signature.split(".")
    assert detached == ""  # RFC 7515 appendix F: the payload travels apart, put back base64url-encoded to check

    def attached(data: bytes) -> str:
        return f"{head}.{base64.urlsafe_b64encode(data).decode('ascii').rstrip('=')}.{tail}"

    decoded = jwt.PyJWS().decode_complete(attached(payload), _public_key(body_key), algorithms=["RS256"])
    assert decoded["payload"] == payload
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.PyJWS().decode_complete(
            attached(payload.replace(b"valid", b"vaIid")), _public_key(body_key), algorithms=["RS256"]
        )
    jwk = json.loads((site / "body-key.jwk.json").read_text("utf-8"))["keys"][0]
    assert jwt.PyJWK(jwk).key.public_numbers() == _public_key(body_key).public_numbers()
    listed = {c["number"]: c for c in json.loads(payload)["certificates"]}
    assert listed[numbers["EG-T-002"]]["status"] == "valid" and listed[numbers["EG-T-003"]]["status"] == "refused"


def test_a_withdrawal_sets_the_bit_in_the_revocation_list(issued, withdrawn, body_key):
    out, _, numbers = withdrawn
    index = json.loads((out / statuslist.INDEX_FILE).read_text("utf-8"))["indexes"][numbers["EG-T-002"]]
    before = json.loads((issued[1] / "status" / "revocation.json").read_text("utf-8"))
    assert not _bit(before["credentialSubject"]["encodedList"], index)
    token = (withdrawn[1] / "status" / "revocation.jwt").read_text("ascii")
    after = jwt.decode(token, _public_key(body_key), algorithms=["RS256"], options={"verify_nbf": False})
    assert after["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert after["credentialSubject"]["statusPurpose"] == "revocation"
    assert _bit(after["credentialSubject"]["encodedList"], index)
    others = [i for n, i in json.loads((out / statuslist.INDEX_FILE).read_text("utf-8"))["indexes"].items()
              if n != numbers["EG-T-002"]]  # fmt: skip
    assert not any(_bit(after["credentialSubject"]["encodedList"], i) for i in others)
    suspension = json.loads((withdrawn[1] / "status" / "suspension.json").read_text("utf-8"))
    assert not _bit(suspension["credentialSubject"]["encodedList"], index)
    listed = json.loads((withdrawn[1] / "register.json").read_text("utf-8"))["certificates"]
    entry = next(c for c in listed if c["number"] == numbers["EG-T-002"])
    assert (entry["status"], entry["status_reason"]) == ("withdrawn", "إساءة استخدام العلامة")


def test_an_altered_dossier_stops_the_build_and_nothing_is_written(issued, tmp_path, body_key):
    folder = Path(shutil.copytree(issued[0], tmp_path / "out"))
    pdf = folder / "EG-T-002.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    code, output = run("site", folder, "-o", tmp_path / "site", "--sign", body_key.p12,
                       "--sign-password-file", body_key.password_file)  # fmt: skip
    assert code == 1
    assert "the site was not built; these dossiers do not verify" in output and "EG-T-002.pdf" in output
    assert not (tmp_path / "site").exists()
    assert not list(tmp_path.glob(".site*"))


def test_every_link_of_every_page_leads_to_a_file_of_the_site(issued, tmp_path, body_key):
    import re
    from urllib.parse import urljoin, urlsplit

    folder = Path(shutil.copytree(issued[0], tmp_path / "out"))
    numbers = issued[2]
    code, output = run("renew", numbers["EG-T-001"], "--new", numbers["EG-T-002"], "--reason", "إعادة إصدار",
                       "--dossiers", folder)  # fmt: skip
    assert code == 0, output
    site = tmp_path / "site"
    build(folder, site, body_key)
    pages = list(site.rglob("*.html"))
    assert len(pages) == 2 + 2 * 3
    for page_file in pages:
        base = page_file.as_uri()
        for link in re.findall(r'(?:href|src)="([^"#]+)', page_file.read_text("utf-8")):
            target = Path(urlsplit(urljoin(base, link)).path)
            assert target.is_file() and site in target.parents, f"{page_file.relative_to(site)}: {link}"
    old = (site / "c" / numbers["EG-T-001"] / "en" / "index.html").read_text("utf-8")
    assert f'href="../../{numbers["EG-T-002"]}/en/index.html"' in old
    new = (site / "c" / numbers["EG-T-002"] / "index.html").read_text("utf-8")
    assert f'href="../{numbers["EG-T-001"]}/index.html"' in new


def test_a_status_log_changed_by_hand_stops_the_build(withdrawn, tmp_path, body_key):
    folder = Path(shutil.copytree(withdrawn[0], tmp_path / "out"))
    log = folder / "status-log.jsonl"
    log.write_bytes(log.read_bytes().replace(b'"withdraw"', b'"reinstate"'))
    code, output = run("site", folder, "-o", tmp_path / "site", "--sign", body_key.p12,
                       "--sign-password-file", body_key.password_file)  # fmt: skip
    assert code == 1 and "status-log.jsonl was changed since reportgen wrote it" in output
    assert not (tmp_path / "site").exists()


def test_a_site_needs_its_address(issued, tmp_path, body_key):
    code, output = run("site", issued[0], "-o", tmp_path / "site", "--sign", body_key.p12, "--sign-password-file",
                       body_key.password_file, "--url", "not a url")  # fmt: skip
    assert code == 1 and "the site needs its public address" in output
    code, output = run("--lang", "ar", "site", issued[0], "-o", tmp_path / "site", "--sign", body_key.p12,
                       "--sign-password-file", body_key.password_file, "--url", "not a url")  # fmt: skip
    assert code == 1 and "يحتاج الموقع إلى عنوانه العام" in output
    code, output = run("site", issued[0], "-o", tmp_path / "site", "--sign", body_key.p12, "--sign-password-file",
                       body_key.password_file, "--url", "https://elsewhere.example.org")  # fmt: skip
    assert code == 1 and f"the dossiers' QR codes open {URL}, not https://elsewhere.example.org" in output
    assert not (tmp_path / "site").exists()


def test_the_same_folder_gives_the_same_site(issued, tmp_path, body_key):
    _, site, _ = issued
    build(issued[0], tmp_path / "again", body_key)
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*") if p.is_file())
    assert all((site / f).read_bytes() == (tmp_path / "again" / f).read_bytes() for f in files)
    build(issued[0], tmp_path / "again", body_key)  # a site reportgen made is replaced whole
    assert not list(tmp_path.glob(".again*"))


def test_a_credential_from_another_key_or_record_is_refused(issued, tmp_path):
    from reportgen.certification import jose
    from reportgen.commands import keys

    out, _, _ = issued
    from pypdf import PdfReader

    reader = PdfReader(out / "EG-T-002.pdf")
    token = reader.attachments[badge.CREDENTIAL_NAME][0].decode("ascii")
    record = json.loads(reader.attachments["certificate-record.json"][0])
    _, other_pem, _ = keys.new(tmp_path, "جهة أخرى", b"other-password")
    from reportgen.certification.keys import public_key_pem

    with pytest.raises(jose.BadToken):
        jose.verify_jwt(token, public_key_pem(other_pem.read_bytes()))
    claims = jwt.decode(token, options={"verify_signature": False})
    assert badge.disagreements(claims, record, "ab" * 32) == [
        "it binds another record (its evidence fingerprint differs)"
    ]
    other = {**record, "number": "EG-T-009-2026-XXXXX"}
    assert badge.disagreements(claims, other, claims["evidence"][0]["id"].removeprefix("urn:sha256:")) == [
        f"it names certificate {record['number']}, not EG-T-009-2026-XXXXX"
    ]


def test_status_list_indexes_are_given_once():
    kept = statuslist.assign({"A": 0, "B": 1}, ["B", "C", "A", "D"])
    assert kept == {"A": 0, "B": 1, "C": 2, "D": 3}
    assert statuslist.read_index(statuslist.index_bytes(kept)) == kept
    encoded = statuslist.encode({0, 7, 131_071})
    assert [_bit(encoded, i) for i in (0, 1, 7, 8, 131_071)] == [True, False, True, False, True]
    assert [statuslist.is_set(encoded, i) for i in (0, 1, 7, 8, 131_071)] == [True, False, True, False, True]


def test_another_key_or_folder_is_refused(issued, tmp_path, body_key):
    from reportgen.commands import keys

    other_p12, _, _ = keys.new(tmp_path, "جهة أخرى", b"other-password")
    (tmp_path / "other-password.txt").write_bytes(b"other-password\n")
    code, output = run("site", issued[0], "-o", tmp_path / "site", "--sign", other_p12,
                       "--sign-password-file", tmp_path / "other-password.txt")  # fmt: skip
    assert code == 1 and "is not the key of the body whose certificate is" in output
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", "utf-8")
    code, output = run("site", issued[0], "-o", mine, "--sign", body_key.p12,
                       "--sign-password-file", body_key.password_file)  # fmt: skip
    assert code == 1 and "is not a site reportgen made" in output
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


# ----------------------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def browser(issued, withdrawn):
    """Yield the browser once the sites are built: their signature checks cannot run beside Playwright's loop."""
    yield from launched()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def serve():
    """Return a function serving a folder over http on 127.0.0.1 (a free port) from a thread, until the test ends."""
    servers = []

    def start(folder: Path) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _record_requests(page) -> list[str]:  # noqa: F811
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_the_page_shows_the_withdrawal(withdrawn, serve, page):  # noqa: F811
    _, site, numbers = withdrawn
    root = serve(site)
    page.goto(f"{root}c/{numbers['EG-T-002']}/")
    banner = page.locator("#status")
    assert banner.get_attribute("data-state") == "withdrawn"
    assert "الشهادة مسحوبة" in banner.inner_text()
    assert "إساءة استخدام العلامة" in banner.inner_text()
    page.goto(f"{root}c/{numbers['EG-T-001']}/")
    assert page.locator("#status").get_attribute("data-state") == "valid"
    page.goto(f"{root}c/{numbers['EG-T-002']}/en/index.html")
    assert page.locator("#status .state").inner_text() == "Withdrawn"


def test_search_finds_a_brand_typed_with_another_alef(issued, serve, page):  # noqa: F811
    _, site, numbers = issued
    page.goto(serve(site))
    page.fill("#q", "الإختبار")  # the brand is written علامة الاختبار
    shown = page.locator("#results li:not([hidden]) .number").all_inner_texts()
    assert shown == [numbers["EG-T-002"]]
    page.fill("#q", "عـلامةُ  الأختبار")  # tatweel, a damma, two spaces and hamza on the alef
    assert page.locator("#results li:not([hidden]) .number").all_inner_texts() == [numbers["EG-T-002"]]
    page.fill("#q", numbers["EG-T-003"].lower())
    assert page.locator("#results li:not([hidden]) .number").all_inner_texts() == [numbers["EG-T-003"]]
    page.fill("#q", "قنا")  # EG-T-002's governorate, in Arabic and in English
    assert page.locator("#results li:not([hidden]) .number").all_inner_texts() == [numbers["EG-T-002"]]
    page.fill("#q", "QENA")
    assert page.locator("#results li:not([hidden]) .number").all_inner_texts() == [numbers["EG-T-002"]]
    page.fill("#q", "لا شيء هنا")
    assert page.locator("#results li:not([hidden])").count() == 0
    assert page.locator("#count").inner_text() == "لا توجد شهادة تطابق البحث."


def test_the_script_folds_arabic_as_python_does(issued, serve, page):  # noqa: F811
    page.goto(serve(issued[1]))
    samples = ["أإآٱا", "مدرسة", "مستشفى", "مؤسسة", "بئر", "قُرْآنٌ", "تـــمـــور", "ﻻ", "A\u200fB", "٢٠٢٦", "Ab_C-d  e"]
    assert page.evaluate("s => s.map(window.reportgenFold)", samples) == [fold(ascii_digits(s)) for s in samples]


def _choose(page, data: bytes, name: str = "dossier.pdf") -> str:  # noqa: F811
    page.set_input_files("#pdf", files=[{"name": name, "mimeType": "application/pdf", "buffer": data}])
    page.wait_for_selector('#check-result[data-result]:not([data-result=""]):not([data-result="working"])')
    return page.locator("#check-result").get_attribute("data-result")


def _drop(page, data: bytes) -> str:  # noqa: F811
    """Drop a file on the drop zone as a person would (a DataTransfer carrying it)."""
    page.evaluate(
        """b64 => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "dossier.pdf", {type: "application/pdf"}));
            const event = new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true});
            document.getElementById("drop").dispatchEvent(event);
        }""",
        base64.b64encode(data).decode("ascii"),
    )
    page.wait_for_selector('#check-result[data-result]:not([data-result=""]):not([data-result="working"])')
    return page.locator("#check-result").get_attribute("data-result")


def test_dropping_a_pdf_tells_an_altered_one_from_the_issued_one(issued, serve, page):  # noqa: F811
    out, site, numbers = issued
    root = serve(site)
    intact = (out / "EG-T-002.pdf").read_bytes()
    altered = bytearray(intact)
    altered[len(altered) // 3] ^= 0x20  # one bit in the page content
    page.goto(f"{root}c/{numbers['EG-T-002']}/")
    assert _drop(page, intact) == "intact"
    assert "كما صدر تمامًا" in page.locator("#check-result").inner_text()
    page.reload()
    assert _drop(page, bytes(altered)) == "altered"
    assert "تغيّر بعد إصداره" in page.locator("#check-result").inner_text()
    page.reload()
    assert _choose(page, (out / "EG-T-001.pdf").read_bytes()) == "altered"  # another certificate's file
    page.goto(root)  # the index knows every file
    assert _choose(page, intact) == "intact"
    assert numbers["EG-T-002"] in page.locator("#check-result").inner_text()
    page.reload()
    assert _choose(page, bytes(altered)) == "unknown"


def test_the_scanned_fingerprint_is_compared(issued, serve, page):  # noqa: F811
    out, site, numbers = issued
    from pypdf import PdfReader

    qr = next(k for k in PdfReader(out / "EG-T-002.pdf").metadata["/Keywords"].split(", ") if k.startswith("qr:"))
    fragment = qr.split("#", 1)[1]
    root = serve(site)
    page.goto(f"{root}c/{numbers['EG-T-002']}/#{fragment}")
    assert page.locator("#scan").get_attribute("data-result") == "match"
    page.goto(f"{root}c/{numbers['EG-T-001']}/#{fragment}")
    assert page.locator("#scan").get_attribute("data-result") == "mismatch"


def test_no_page_asks_anything_outside_the_site(issued, serve, page):  # noqa: F811
    _, site, numbers = issued
    root = serve(site)
    seen = _record_requests(page)
    paths = ["", "en/index.html"] + [f"c/{n}/{lang}" for n in numbers.values() for lang in ("en/index.html", "")]
    for path in paths:
        page.goto(root + path)
        page.wait_for_load_state("networkidle")
    assert seen and all(url.startswith(root) for url in seen), [u for u in seen if not u.startswith(root)]
    assert any(url.endswith(".woff2") for url in seen)  # the Arabic face comes from the site itself
    assert page.evaluate("document.fonts.ready.then(() => document.fonts.check('16px \"Noto Sans Arabic\"', 'ب'))")


def test_the_site_works_from_disk(issued, page):  # noqa: F811
    out, site, numbers = issued
    seen = _record_requests(page)
    page.goto((site / "index.html").as_uri())
    page.fill("#q", "الإختبار")
    assert page.locator("#results li:not([hidden]) .number").all_inner_texts() == [numbers["EG-T-002"]]
    page.click("#results li:not([hidden]) a")
    page.wait_for_load_state("load")
    assert page.url == (site / "c" / numbers["EG-T-002"] / "index.html").as_uri()
    assert _choose(page, (out / "EG-T-002.pdf").read_bytes()) == "intact"
    page.click("a.lang")
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    assert all(url.startswith("file://") for url in seen), seen


def test_pages_fit_a_phone(issued, serve, page):  # noqa: F811
    _, site, numbers = issued
    root = serve(site)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ["", "en/index.html", *(f"c/{n}/{lang}" for n in numbers.values() for lang in ("", "en/index.html"))]:
        page.goto(root + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path}: {width} px wide on a 390 px screen"
        assert page.locator("#main").bounding_box()["width"] <= 390
