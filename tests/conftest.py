from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from journeytest.browser import choose_browser, launch
from tests.support.servers import serve_directory

SITE_DIR = Path(__file__).parent / "site"


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """The static effort-test site on loopback."""
    with serve_directory(SITE_DIR) as url:
        yield url


@pytest.fixture(scope="session")
def real_browser() -> Iterator[Browser]:
    """A real Chromium, found the way journeytest finds it for users."""
    with sync_playwright() as playwright:
        choice = choose_browser(playwright.chromium)
        browser = launch(playwright.chromium, {}, choice)
        yield browser
        browser.close()
