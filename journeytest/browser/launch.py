"""Find a Chromium to drive, and start it.

Playwright's own browser comes first, so users whose machines can download it
get the build Playwright is tested with; where that download is impossible,
a system Chromium is used. Both choices are reported, never guessed silently.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, BrowserType

from ..errors import BrowserNotFound

SYSTEM_CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Flags a system Chromium needs on locked-down CI machines: no sandbox as root,
# no GPU, and no calls home (the network may be loopback only).
SYSTEM_CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

INSTALL_HELP = (
    "journeytest found no Chromium to drive. Install one of:\n"
    "  - Playwright's own:   python -m playwright install chromium\n"
    "  - Debian/Ubuntu:      sudo apt-get install chromium\n"
    "or point to a Chromium/Chrome binary with --browser-path PATH (or JOURNEYTEST_BROWSER_PATH)."
)


@dataclass(frozen=True)
class BrowserChoice:
    """Which browser binary to launch and why."""

    executable_path: str | None  # None: Playwright's bundled build or a named channel
    source: str  # "option", "playwright", "channel", "system"
    extra_args: tuple[str, ...] = ()


def choose_browser(
    browser_type: BrowserType, *, explicit_path: str | None = None, channel: str | None = None
) -> BrowserChoice:
    """Pick the browser: explicit path (--browser-path), else bundled, else channel, else a system Chromium."""
    if explicit_path:
        if not os.path.isfile(explicit_path) or not os.access(explicit_path, os.X_OK):
            raise BrowserNotFound(f"--browser-path {explicit_path} is not an executable file.\n{INSTALL_HELP}")
        return BrowserChoice(explicit_path, "option", SYSTEM_CHROMIUM_ARGS)
    if channel:
        return BrowserChoice(None, "channel")
    try:
        bundled = browser_type.executable_path
    except Exception:  # Playwright raises when it cannot even name the bundled build
        bundled = ""
    if bundled and os.path.isfile(bundled):
        return BrowserChoice(None, "playwright")
    if browser_type.name != "chromium":
        raise BrowserNotFound(
            f"Playwright's {browser_type.name} is not installed: run python -m playwright install {browser_type.name}"
        )
    for name in SYSTEM_CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return BrowserChoice(found, "system", SYSTEM_CHROMIUM_ARGS)
    raise BrowserNotFound(INSTALL_HELP)


def launch(browser_type: BrowserType, launch_args: dict[str, Any], choice: BrowserChoice) -> Browser:
    """Launch with pytest-playwright's launch options plus what the choice needs."""
    options = dict(launch_args)
    if choice.executable_path:
        options["executable_path"] = choice.executable_path
        options.pop("channel", None)
    if choice.extra_args:
        options["args"] = list(dict.fromkeys([*options.get("args", []), *choice.extra_args]))
    return browser_type.launch(**options)
