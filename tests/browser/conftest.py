"""The browser the walkthroughs drive: Debian's Chromium (CIVICDESK_CHROMIUM, default /usr/bin/chromium) through
Playwright for Python — never a downloaded browser."""

import os

import pytest

CHROMIUM = os.environ.get("CIVICDESK_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()
