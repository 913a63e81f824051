"""The screenshots of docs/serve.md: `python -m tests.serve_screenshots` (make docs-images) drives the app in Chromium.

Each screen at a laptop's 1366x768 (one at a tablet's 820x1180), reduced to 64 colours; look at them after a change.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.browser import ARGS
from tests.conftest import CLUSTER_HEADERS, SAMPLES, cluster_row, write_xlsx
from tests.serving import serving

OUT = Path("docs/images")
LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 820, "height": 1180}
WAIT = 300_000  # ms


def broken_workbook(folder: Path) -> Path:
    """Return a workbook with the mistakes people make: a misspelt sheet and header, words in a number column."""
    return write_xlsx(
        folder / "clusters-draft.xlsx",
        {
            "clusters": [
                [*CLUSTER_HEADERS[:2], "Goverorate", *CLUSTER_HEADERS[3:]],
                cluster_row(1),
                cluster_row(2, "قنا", enterprises="حوالي مئة"),
                cluster_row(3, "Sohag", women_share=1.7),
            ],
            "Interventionz": [["cluster_id", "axis", "intervention"], ["EG-T-001", "marketing", "معرض"]],
        },
    )


def shoot(page, name: str, full: bool = False) -> Path:
    path = OUT / f"serve-{name}.png"
    page.screenshot(path=str(path), full_page=full)
    return path


def signed_programme(folder: Path) -> Path:
    """Return a copy of the sample workbook with the body's signing key beside it (dossiers are signed)."""
    from reportgen.commands import keys

    workbook = folder / "programme" / "clusters.xlsx"
    workbook.parent.mkdir()
    workbook.write_bytes((SAMPLES / "clusters.xlsx").read_bytes())
    keys.new(workbook.parent, "الهيئة المصرية العامة للمواصفات والجودة", PASSWORD.encode())  # the sample's body
    return workbook


PASSWORD = "demo-only-password"


def altered_copy(dossier: Path, folder: Path) -> Path:
    """Return a copy of a signed dossier with one signed byte changed (the producer's name)."""
    data = dossier.read_bytes()
    at = data.index(b"WeasyPrint")
    altered = folder / dossier.name
    altered.write_bytes(data[:at] + b"WeasyPrinT" + data[at + 10 :])
    return altered


def main() -> None:
    from PIL import Image
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT)
    OUT.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        chromium = shutil.which("chromium")
        if chromium is None:
            sys.exit("the screenshots need Debian's chromium (apt-get install chromium)")
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        with serving(signed_programme(folder)) as served:
            page = browser.new_context(locale="ar-EG", viewport=LAPTOP).new_page()
            page.set_default_timeout(WAIT)
            page.goto(served.start)
            expect(page.locator("#problems .verdict")).to_contain_text("جاهز:")
            shots.append(shoot(page, "workbook-ready"))
            watched = served.session.workbook
            page.set_input_files("#workbook-file", str(broken_workbook(folder)))
            expect(page.locator("#problems .verdict")).to_contain_text("غير جاهز")
            shots.append(shoot(page, "workbook-problems"))
            served.session.workbook = watched  # back to the watched workbook, as a new launch would show it
            page.get_by_role("link", name="٢. المستندات").click()
            card = page.locator("form.card", has=page.locator("h2", has_text="موجز الاستراتيجية"))
            card.get_by_label("الإقليم").select_option("Upper Egypt")
            card.get_by_role("button", name="معاينة الصفحات").click()
            images = page.locator("#result .pages img")
            expect(images.first).to_be_visible()
            for i in range(min(images.count(), 6)):
                page.wait_for_function(
                    "img => img.complete && img.naturalWidth > 0", arg=images.nth(i).element_handle()
                )
            shots.append(shoot(page, "documents-preview"))
            card = page.locator("form.card", has=page.locator("h2", has_text="ملفات منح الشهادة"))
            card.get_by_label("كلمة مرور").fill(PASSWORD)
            card.get_by_role("button", name="إنشاء").click()
            expect(page.locator("#result .stage")).to_contain_text("أُنجز")
            shots.append(shoot(page, "documents-progress"))
            expect(page.locator("#result .ready a")).to_be_visible()
            page.get_by_role("link", name="English").click()
            expect(page.locator("html")).to_have_attribute("dir", "ltr")
            shots.append(shoot(page, "documents-english"))
            page.get_by_role("link", name="العربية").click()
            dossiers = next(served.session.folder.glob("output-*/dossiers"))
            tablet = browser.new_context(locale="ar-EG", viewport=TABLET).new_page()
            tablet.set_default_timeout(WAIT)
            tablet.goto(served.start.replace("/?", "/verify?"))
            tablet.set_input_files("#dossier-file", str(dossiers / "EG-LX-001.pdf"))
            tablet.set_input_files("#trust-file", str(dossiers / "body-certificate.pem"))
            tablet.get_by_role("button", name="التحقق", exact=True).click()
            expect(tablet.locator("#result .verdict")).to_contain_text("سليمة وسارية")
            shots.append(shoot(tablet, "verify-tablet"))
            page.goto(served.url + "/verify")
            page.set_input_files("#dossier-file", str(altered_copy(dossiers / "EG-LX-001.pdf", folder)))
            page.set_input_files("#trust-file", str(dossiers / "body-certificate.pem"))
            page.get_by_role("button", name="التحقق", exact=True).click()
            expect(page.locator("#result .verdict")).to_contain_text("لم تجتز")
            shots.append(shoot(page, "verify-altered"))
        browser.close()
    for path in shots:
        Image.open(path).convert("RGB").quantize(64).save(path, optimize=True)
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)", file=sys.stderr)


if __name__ == "__main__":
    main()
