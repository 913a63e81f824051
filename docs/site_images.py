"""Screenshots of the verification site for docs/site.md: `make docs-site-images` (Playwright + Debian's chromium).

python docs/site_images.py SITE_FOLDER IMAGES_FOLDER: a certificate page in Arabic and English, at phone width
(390 px) and on a desktop (1280 px), and the Arabic index on a phone, reduced to 48 colours.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

SHOTS = [  # (file name, page, viewport width, height); a phone opens a page as its QR code gives it, with #fingerprint
    ("site-ar-phone", "c/{n}/index.html#{f}", 390, 844),
    ("site-en-phone", "c/{n}/en/index.html#{f}", 390, 844),
    ("site-ar-desktop", "c/{n}/index.html", 1280, 800),
    ("site-en-desktop", "c/{n}/en/index.html", 1280, 800),
    ("site-index-phone", "index.html?q=الأقصر", 390, 844),
]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main(site: Path, images: Path) -> None:
    import json

    first = sorted(json.loads((site / "register.json").read_text("utf-8"))["certificates"], key=lambda c: c["number"])[
        0
    ]
    number, fingerprint = first["number"], first["record_sha256"][:32]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, path, width, height in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="ar-EG")
            page = context.new_page()
            address = path.format(n=number, f=fingerprint)
            file, sep, rest = address.partition("?") if "?" in address else address.partition("#")
            page.goto((site / file).as_uri() + sep + rest)
            page.evaluate("document.fonts.ready")
            target = images / f"{name}.png"
            page.screenshot(path=str(target))
            context.close()
            Image.open(target).convert("RGB").quantize(48).save(target, optimize=True)
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
