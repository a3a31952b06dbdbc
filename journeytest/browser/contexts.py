"""The one place that opens browser contexts, so every journey, retry and live search starts the same way.

pytest-playwright's `browser_context_args` are honoured (viewport, locale, proxy…), except
`record_video_dir`: journeytest does not record video. The site's base URL is set so
relative paths work, and a journey that continues another starts from its storage state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Browser, BrowserContext

UNSUPPORTED_CONTEXT_ARGS = ("record_video_dir",)


def context_args(
    base: Mapping[str, Any], *, base_url: str | None = None, storage_state: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The keyword arguments of Browser.new_context for this start."""
    args = {k: v for k, v in base.items() if k not in UNSUPPORTED_CONTEXT_ARGS}
    if base_url:
        args["base_url"] = base_url
    if storage_state is not None:
        args["storage_state"] = dict(storage_state)
    return args


def open_context(
    browser: Browser,
    base: Mapping[str, Any],
    *,
    base_url: str | None = None,
    storage_state: Mapping[str, Any] | None = None,
) -> BrowserContext:
    """A fresh browser context: isolated cookies and storage, unless it continues from `storage_state`."""
    return browser.new_context(**context_args(base, base_url=base_url, storage_state=storage_state))
