"""`reportgen serve` in headless Chromium, used as a person would: upload, read, preview, generate, download, verify."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2
import pytest

from tests.browser import browser, page  # noqa: F401
from tests.conftest import SAMPLES, cluster_row, write_xlsx
from tests.serving import serving

SLOW = 180_000  # ms: laying out a document on a busy 2-core machine; expect() returns as soon as it is there


@pytest.fixture(autouse=True)
def _patient():
    """Let expect() wait as long as a layout may take (it returns as soon as what it waits for is there)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=SLOW)


@pytest.fixture()
def served():
    with serving() as running:
        yield running


@pytest.fixture()
def visit(page, served):  # noqa: F811
    """Return the page opened at the server's address; afterwards, check no request left 127.0.0.1."""
    seen: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(SLOW)
    page.goto(served.start)
    yield page
    assert errors == [], "the page reported errors (a script, or a load the Content-Security-Policy refused)"
    assert seen, "the page made no request"
    outside = [url for url in seen if not url.startswith(served.url + "/")]
    assert outside == [], f"requests left the local server: {outside}"


def upload(tab, workbook: Path) -> None:
    """Choose a workbook on the workbook screen (it is checked as soon as it is chosen)."""
    tab.set_input_files("#workbook-file", str(workbook))


def test_the_sample_workbook_is_ready(visit):
    from playwright.sync_api import expect

    assert visit.locator("html").get_attribute("dir") == "rtl"
    upload(visit, SAMPLES / "clusters.xlsx")
    expect(visit.locator("#problems .verdict")).to_have_text("جاهز: يمكن إعداد المستندات من هذا المصنف.")
    expect(visit.locator("#problems h2")).to_have_text("clusters.xlsx")
    expect(visit.locator("#problems .counts")).to_contain_text("لا أخطاء")
    # The bundled font, not a system one, draws the page.
    assert visit.evaluate("document.fonts.check('16px \"Noto Sans Arabic\"')")
    assert visit.evaluate(
        "[...document.fonts].some(f => f.family.includes('Noto Sans Arabic') && f.status === 'loaded')"
    )


def test_a_broken_workbook_lists_located_problems_by_sheet(visit, tmp_path):
    from playwright.sync_api import expect

    broken = write_xlsx(
        tmp_path / "broken.xlsx",
        {
            "clusters": [
                ["id", "name", "Goverorate", "sector", "enterprises", "workers"],
                cluster_row(1)[:2] + ["Luxor", "الحرف اليدوية", "many", 400],
            ],
            "Interventionz": [["cluster_id", "axis", "intervention"], ["EG-T-001", "marketing", "معرض"]],
        },
    )
    upload(visit, broken)
    expect(visit.locator("#problems .verdict")).to_contain_text("غير جاهز")
    clusters = visit.locator("section.sheet", has=visit.locator("h3", has_text="clusters"))
    row = clusters.locator("tr", has=visit.locator("td", has_text="E2"))
    expect(row.locator(".found")).to_have_text("many")  # what was found, at its cell
    expect(row.locator("td").nth(1)).to_have_text("عدد المنشآت")  # under its column
    header = clusters.locator("tr", has=visit.locator("td", has_text="C1"))
    expect(header.locator(".dym")).to_contain_text("هل تقصد")
    expect(header.locator(".dym")).to_contain_text("governorate")  # the column's name, in English and Arabic
    expect(header.locator(".dym")).to_contain_text("المحافظة")
    sheet = visit.locator("section.sheet", has=visit.locator("h3", has_text="Interventionz"))
    expect(sheet.locator(".dym")).to_contain_text("interventions")
    expect(sheet.locator(".dym")).to_contain_text("التدخلات")


def test_english_with_one_click_keeps_the_screen(visit):
    from playwright.sync_api import expect

    upload(visit, SAMPLES / "clusters.xlsx")
    expect(visit.locator("#problems .verdict")).to_contain_text("جاهز")
    visit.get_by_role("link", name="English").click()
    expect(visit.locator("html")).to_have_attribute("dir", "ltr")
    expect(visit.locator("#problems .verdict")).to_have_text("Ready: documents can be made from this workbook.")
    assert visit.url.endswith("/")
    visit.get_by_role("link", name="2. Documents").click()
    visit.get_by_role("link", name="العربية").click()
    expect(visit.locator("h1")).to_have_text("إعداد المستندات")  # still the documents screen, in Arabic


def test_a_dossier_page_is_previewed_before_anything_is_written(visit, served):
    from playwright.sync_api import expect

    upload(visit, SAMPLES / "clusters.xlsx")
    expect(visit.locator("#problems .verdict")).to_contain_text("جاهز")
    visit.get_by_role("link", name="٢. المستندات").click()
    card = visit.locator("form.card", has=visit.locator("h2", has_text="ملفات منح الشهادة"))
    card.get_by_label("EG-LX-001").check()
    card.get_by_role("button", name="معاينة الصفحات").click()
    first = visit.locator("#result .pages img").first
    expect(first).to_be_visible()
    first.scroll_into_view_if_needed()
    visit.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    assert first.evaluate("img => img.naturalWidth") > 100
    assert first.evaluate("img => img.naturalHeight") > first.evaluate("img => img.naturalWidth")  # a portrait page
    # The preview was made in the session's temporary folder, and only there.
    assert [p.name for p in served.session.folder.glob("preview-*/dossiers/*.pdf")] == ["EG-LX-001.pdf"]
    assert not list(Path.cwd().rglob("*.pdf"))
    assert not (SAMPLES / "dossiers").exists()


def test_the_brief_is_generated_with_progress_and_downloaded(visit, tmp_path):
    from playwright.sync_api import expect

    upload(visit, SAMPLES / "clusters.xlsx")
    expect(visit.locator("#problems .verdict")).to_contain_text("جاهز")
    visit.get_by_role("link", name="٢. المستندات").click()
    card = visit.locator("form.card", has=visit.locator("h2", has_text="موجز الاستراتيجية"))
    card.get_by_label("الإقليم").select_option("Upper Egypt")
    card.get_by_role("button", name="إنشاء").click()
    expect(visit.locator("#result progress")).to_be_attached()
    link = visit.locator("#result .ready a")
    expect(link).to_be_visible()
    with visit.expect_download() as download:
        link.click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "brief.pdf"
    pdf = pypdfium2.PdfDocument(saved)
    try:
        pages, title = len(pdf), pdf.get_metadata_dict()["Title"]
    finally:
        pdf.close()
    assert pages > 2
    assert title.endswith("إقليم صعيد مصر")  # the region chosen on the page


@pytest.fixture()
def signed_dossier(tmp_path, body_key):
    """A granted dossier signed by the test body, and the body's certificate."""
    from reportgen.certification import signing
    from reportgen.commands import common, issuing
    from reportgen.documents import dossier as dossier_doc
    from reportgen.settings import Settings
    from tests.helpers_dossier import TODAY, make_workbook

    def make() -> Path:
        settings = Settings(today=TODAY)
        parsed = common.load(make_workbook(tmp_path), settings)
        planned = dossier_doc.plan(parsed.dataset, settings, ("EG-T-001",)).dossiers[0]
        issued = next(issuing.issue((planned,), settings, tmp_path, jobs=1))
        signed = tmp_path / "EG-T-001.pdf"
        at = dt.datetime(2026, 11, 19, tzinfo=dt.UTC)
        signed.write_bytes(signing.sign(issued.pdf, signing.load_signer(body_key.key), at))
        return signed

    # pyHanko signs with asyncio.run: not in this thread, where Playwright's event loop runs.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(make).result(), body_key.pem


def test_verify_a_genuine_and_an_altered_dossier(visit, signed_dossier, tmp_path):
    from playwright.sync_api import expect

    signed, pem = signed_dossier
    visit.get_by_role("link", name="٣. التحقق").click()
    visit.set_input_files("#dossier-file", str(signed))
    visit.set_input_files("#trust-file", str(pem))
    visit.get_by_role("button", name="التحقق", exact=True).click()
    expect(visit.locator("#result .verdict")).to_have_text(
        "سليمة وسارية: الملف لم يُغيَّر، وقد وقّعته جهة منح شهادة موثوقة."
    )
    data = signed.read_bytes()
    start = data.index(b"WeasyPrint")  # the producer, inside the signed range
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(data[:start] + b"WeasyPrinT" + data[start + 10 :])
    visit.set_input_files("#dossier-file", str(altered))
    visit.set_input_files("#trust-file", str(pem))
    visit.get_by_role("button", name="التحقق", exact=True).click()
    expect(visit.locator("#result .verdict")).to_have_text("لم تجتز التحقق: لا تعتمد على هذه الشهادة.")
    expect(visit.locator("#result h2")).to_have_text("altered.pdf")
    expect(visit.locator("#result .reasons li")).not_to_have_count(0)


def test_the_watched_workbook_is_checked_again_when_saved(page, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    from tests.conftest import CLUSTER_HEADERS

    watched = write_xlsx(tmp_path / "watched.xlsx", {"clusters": [CLUSTER_HEADERS, cluster_row(1)]})
    with serving(watched) as served:
        page.set_default_timeout(SLOW)
        page.goto(served.start)
        expect(page.locator("#problems .verdict")).to_contain_text("جاهز")
        expect(page.locator("#problems .hint")).to_contain_text("مراقَب")
        # Saved again, with an error: the page shows it by itself.
        write_xlsx(watched, {"clusters": [CLUSTER_HEADERS, cluster_row(1, enterprises="many")]})
        expect(page.locator("#problems .verdict")).to_contain_text("غير جاهز")
        expect(page.locator("#problems .found")).to_have_text("many")


def test_a_request_without_the_token_is_forbidden_in_the_browser(page, served):  # noqa: F811
    response = page.goto(served.url + "/")
    assert response.status == 403
    assert "reportgen serve" in page.locator("body").inner_text()


def test_the_keyboard_reaches_the_workbook_and_shows_where_it_is(visit):
    """Tab from the top reaches the file chooser (inside its drop zone, which then shows an outline)."""
    for _ in range(12):  # the skip link, the screens, the language, then the file chooser
        visit.keyboard.press("Tab")
        if visit.evaluate("document.activeElement.id") == "workbook-file":
            break
    assert visit.evaluate("document.activeElement.id") == "workbook-file"
    zone = visit.locator("label.dropzone").first
    assert zone.evaluate("z => getComputedStyle(z).outlineStyle") == "solid"
    visit.keyboard.press("Tab")
    assert visit.evaluate("document.activeElement.tagName") == "BUTTON"


def test_a_file_that_is_no_workbook_is_said_so(visit, tmp_path):
    from playwright.sync_api import expect

    fake = tmp_path / "notes.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    upload(visit, fake)
    expect(visit.locator("#problems .verdict")).to_have_text("لا يمكن قراءة الملف كمصنف عمل.")
    expect(visit.locator("#problems .message")).to_contain_text("notes.xlsx")
    expect(visit.locator("#problems .message")).not_to_contain_text("reportgen-serve-")  # not its temporary path
