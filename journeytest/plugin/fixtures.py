"""journeytest's fixtures, small and overridable like pytest-playwright's own.

The browser comes from pytest-playwright's `browser_type` and `launch_browser`, so its
options (--headed, --slowmo, --browser-channel, --tracing, connect_options,
browser_context_args) work here as users know them.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Generator
from typing import Any

import pytest
from playwright.sync_api import Browser

from .. import __version__
from ..browser.launch import choose_browser
from ..browser.runner import RunOptions
from ..mail.mailbox import Mailbox
from .mailsetup import mailbox_of
from .stash import MAILBOX_SPEC, SETTINGS


class BrowserKeeper:
    """The worker's browser, launched again when it died: a crashed or killed Chromium costs the journey that
    was running, not every journey after it."""

    def __init__(self, launch: Callable[[], Browser]) -> None:
        self._launch = launch
        self.browser = launch()
        self.relaunched: list[str] = []  # the journeys that found the browser dead and got a new one

    def live(self, for_item: str) -> Browser:
        if not self.browser.is_connected():
            with contextlib.suppress(Exception):
                self.browser.close()
            self.browser = self._launch()
            self.relaunched.append(for_item)
            warnings.warn(f"journeytest: the browser had died; launched a new one for {for_item}", stacklevel=1)
        return self.browser

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.browser.close()


@pytest.fixture(scope="session")
def journeytest_browser_keeper(
    pytestconfig: pytest.Config, browser_type: Any, launch_browser: Any, connect_options: dict[str, Any] | None
) -> Generator[BrowserKeeper, None, None]:
    """One browser per worker process (Playwright's own, a system Chromium, or a remote one), relaunched when
    it dies."""
    if connect_options:
        keeper = BrowserKeeper(launch_browser)
    else:
        settings = pytestconfig.stash[SETTINGS]
        choice = choose_browser(browser_type, explicit_path=settings.browser_path, channel=settings.browser_channel)
        extra: dict[str, Any] = {}
        if choice.executable_path:
            extra["executable_path"] = choice.executable_path
        if choice.extra_args:
            extra["args"] = list(choice.extra_args)
        keeper = BrowserKeeper(lambda: launch_browser(**extra))
    yield keeper
    keeper.close()


@pytest.fixture
def journeytest_browser(request: pytest.FixtureRequest, journeytest_browser_keeper: BrowserKeeper) -> Browser:
    """The browser for this test: the worker's one, or a new one when it died since the last test."""
    return journeytest_browser_keeper.live(request.node.nodeid)


@pytest.fixture(scope="session")
def journeytest_mailbox(pytestconfig: pytest.Config) -> Mailbox | None:
    """Where journeys read mail (--smtp-sink, --mailbox or JOURNEYTEST_MAILBOX), or None."""
    return mailbox_of(pytestconfig) if pytestconfig.stash.get(MAILBOX_SPEC, None) else None


@pytest.fixture
def journeytest_run_options(
    pytestconfig: pytest.Config,
    browser_context_args: dict[str, Any],
    journeytest_browser: Browser,
    journeytest_mailbox: Mailbox | None,
) -> RunOptions:
    """How journeys run: evidence, retries, pictures, pacing, payments, and the browser context arguments."""
    settings = pytestconfig.stash[SETTINGS]
    context_args = dict(browser_context_args)
    if "user_agent" not in context_args:
        context_args["user_agent"] = settings.user_agent or (
            f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{journeytest_browser.version} "
            f"Safari/537.36 journeytest/{__version__}"
        )
    return RunOptions(
        output_dir=settings.output_dir,
        tracing=settings.tracing,
        screenshot=settings.screenshot,
        default_retries=settings.retries(),
        context_args=context_args,
        mailbox=journeytest_mailbox,
        step_screenshots=settings.step_screenshots,
        action_interval_s=settings.action_interval_s,
        allow_payments=settings.allow_payments,
    )
