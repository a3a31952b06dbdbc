from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from journeytest.browser.launch import choose_browser, launch
from journeytest.demo.server import serve_demo_company
from journeytest.mail.folders import FolderMailbox
from journeytest.mail.sink import SmtpSink
from tests.support.servers import serve_directory

SITE_DIR = Path(__file__).parent / "site"
# Scenario files that are test data, not tests: the hostile corpus is run by tests/e2e/test_hostile_folder.py.
collect_ignore = ["fixtures"]


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


@dataclass
class DemoCompany:
    sites: dict[str, str]  # "fair-en" / "dark-en" / "dark-fi" -> base URL
    sink: SmtpSink
    mailbox: FolderMailbox


@pytest.fixture(scope="session")
def demo_company(tmp_path_factory) -> Iterator[DemoCompany]:
    """All demo company variants, sending real email to a real SMTP sink; all on loopback."""
    store = tmp_path_factory.mktemp("mail")
    with SmtpSink(store) as sink, serve_demo_company(sink.port) as sites:
        yield DemoCompany({site.label: site.url for site in sites}, sink, FolderMailbox(store))


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test is `unit` (tests/unit: no browser, no subprocess) or `e2e` (tests/e2e), so `-m unit` runs the fast layer."""
    for item in items:
        layer = "unit" if "unit" in item.path.parts else "e2e"
        item.add_marker(getattr(pytest.mark, layer))
