"""Headless Chromium for the browser tests: Debian's `chromium` driven by Playwright with executable_path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import need_tool

# Without the background-networking flags Chromium keeps trying Google's hosts, which this network refuses.
ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launched() -> Iterator[object]:
    """Yield a Playwright Browser (Chromium), closed and Playwright stopped afterwards; skip without Debian's
    chromium, fail under CI."""
    executable = need_tool("chromium", "chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# Module scope, not session: Playwright's synchronous API runs an asyncio loop in this thread while it is started,
# and asyncio.run() (pyHanko's signature checks, in `verify` and `site`) cannot run beside it. A browser module
# makes what it needs (signed dossiers, a site) in fixtures its `browser` depends on, before the loop starts:
#
#     @pytest.fixture(scope="module")
#     def browser(site_built):
#         yield from launched()
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Yield one Playwright Browser (Chromium) for the module (see above)."""
    yield from launched()


@pytest.fixture()
def page(browser) -> Iterator[object]:
    """Yield a fresh page (its own context: no cookies or storage shared between tests), closed afterwards."""
    context = browser.new_context(locale="ar-EG", viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()
