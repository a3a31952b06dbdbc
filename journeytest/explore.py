"""Search the live site for the way out, without a script (catalogue A3).

Breadth-first over same-site links from a start page, account-like links first,
up to a number of clicks; stops at the first control whose wording means
"cancel". It only follows links: it submits no form, so it never presses a
final confirmation. What it found is recorded for the `cancel_discoverable`
check to judge.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from .checks.wording import Wording

LINKS_SCRIPT = """
() => [...document.querySelectorAll('a[href], button')]
  .filter(e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null))
  .map(e => {
    const r = e.getBoundingClientRect();
    const link = e.closest('a[href]');
    return {text: (e.innerText || e.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 120),
            href: link ? link.href : '', tag: e.tagName.toLowerCase(),
            submits: e.tagName === 'BUTTON' && !link && (e.type === 'submit' || !!e.form),
            font_px: parseFloat(getComputedStyle(e).fontSize) || 0, area: Math.round(r.width * r.height),
            collapsed: !!e.closest('details:not([open]), [aria-expanded="false"], [hidden]')};
  })
"""


@dataclass
class Discovery:
    start: str  # "account" or "home"
    start_url: str
    logged_in: bool
    found: bool = False
    clicks: int | None = None  # clicks to reach and press the cancel control
    path: list[str] = field(default_factory=list)  # link texts followed, then the cancel control
    control: dict[str, Any] | None = None
    page: str | None = None
    pages_searched: int = 0
    max_clicks: int = 2
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _same_site(url: str, origin: str) -> bool:
    return urlsplit(url).netloc == urlsplit(origin).netloc and urlsplit(url).scheme in ("http", "https")


def discover_cancel(browser: Browser, context_args: dict[str, Any], start: str, start_url: str, wording: Wording, *,
                    storage_state: dict[str, Any] | None = None, max_clicks: int = 2, page_budget: int = 25) -> Discovery:
    found = Discovery(start, start_url, storage_state is not None, max_clicks=max_clicks)
    args = {k: v for k, v in context_args.items() if k != "record_video_dir"}
    if storage_state is not None:
        args["storage_state"] = storage_state
    context = browser.new_context(**args)
    try:
        page = context.new_page()
        queue: deque[tuple[str, list[str]]] = deque([(start_url, [])])
        seen = {urldefrag(start_url)[0]}
        while queue and found.pages_searched < page_budget:
            url, path = queue.popleft()
            try:
                page.goto(url, timeout=15000)
                controls = page.evaluate(LINKS_SCRIPT)
            except PlaywrightError as exc:
                found.error = f"could not open {url}: {exc.message.splitlines()[0]}"
                continue
            found.pages_searched += 1
            for control in controls:
                if control["text"] and wording.find("cancel", control["text"]) and not wording.find("logout", control["text"]):
                    found.found, found.clicks, found.path = True, len(path) + 1, [*path, control["text"]]
                    found.control, found.page = control, page.url
                    return found
            if len(path) + 1 >= max_clicks:
                continue  # one more hop could not reach a cancel control within max_clicks
            links = [c for c in controls if c["href"] and _same_site(c["href"], start_url) and c["text"]
                     and not wording.find("logout", c["text"]) and urldefrag(c["href"])[0] not in seen]
            links.sort(key=lambda c: 0 if wording.find("account_navigation", c["text"]) else 1)
            for link in links:
                target = urldefrag(link["href"])[0]
                if target not in seen:
                    seen.add(target)
                    queue.append((target, [*path, link["text"]]))
        return found
    finally:
        context.close()
