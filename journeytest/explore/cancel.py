"""Search the live site for the way out, without a script (catalogue A3).

Breadth-first over same-site links from a start page, account-like links first,
up to a number of clicks; stops at the first control whose wording means
"cancel". It only follows links: it submits no form, so it never presses a
final confirmation. What it found is recorded for the `cancel_discoverable`
check to judge.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, cast
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from ..browser.contexts import open_context
from ..browser.scripts import page_script
from ..errors import ExploreSkipped
from ..record.shapes import CancelSearch, FoundControl
from ..scenario import Scenario
from ..wording import Wording
from .base import ExploreContext, explorer


@dataclass
class WayOutSearch:
    start: str  # "account" or "home"
    start_url: str
    logged_in: bool
    found: bool = False
    clicks: int | None = None  # clicks to reach and press the cancel control
    path: list[str] = field(default_factory=list)  # link texts followed, then the cancel control
    control: FoundControl | None = None
    page: str | None = None
    pages_searched: int = 0
    max_clicks: int = 2
    error: str | None = None

    def as_dict(self) -> CancelSearch:
        return cast(CancelSearch, asdict(self))


def _same_site(url: str, origin: str) -> bool:
    return urlsplit(url).netloc == urlsplit(origin).netloc and urlsplit(url).scheme in ("http", "https")


def explore_way_out(
    browser: Browser,
    context_args: Mapping[str, Any],
    start: str,
    start_url: str,
    wording: Wording,
    *,
    storage_state: Mapping[str, Any] | None = None,
    max_clicks: int = 2,
    page_budget: int = 25,
) -> WayOutSearch:
    found = WayOutSearch(start, start_url, storage_state is not None, max_clicks=max_clicks)
    context = open_context(browser, context_args, storage_state=storage_state)
    try:
        page = context.new_page()
        queue: deque[tuple[str, list[str]]] = deque([(start_url, [])])
        seen = {urldefrag(start_url)[0]}
        while queue and found.pages_searched < page_budget:
            url, path = queue.popleft()
            try:
                page.goto(url, timeout=15000)
                controls: list[FoundControl] = page.evaluate(page_script("cancel_links"))
            except PlaywrightError as exc:
                found.error = f"could not open {url}: {exc.message.splitlines()[0]}"
                continue
            found.pages_searched += 1
            for control in controls:
                if (
                    control["text"]
                    and wording.way_out(control["text"], control.get("href") or "")
                    and not wording.find("logout", control["text"])
                ):
                    found.found, found.clicks, found.path = True, len(path) + 1, [*path, control["text"]]
                    found.control, found.page = control, page.url
                    return found
            if len(path) + 1 >= max_clicks:
                continue  # one more hop could not reach a cancel control within max_clicks
            links = [
                c
                for c in controls
                if c["href"]
                and _same_site(c["href"], start_url)
                and c["text"]
                and not wording.find("logout", c["text"])
                and urldefrag(c["href"])[0] not in seen
            ]
            links.sort(key=lambda c: 0 if wording.find("account_navigation", c["text"]) else 1)
            for link in links:
                target = urldefrag(link["href"])[0]
                if target not in seen:
                    seen.add(target)
                    queue.append((target, [*path, link["text"]]))
        return found
    finally:
        context.close()


def search_start(scenario: Scenario) -> str | None:
    """The acquire journey whose end state the cancel search starts from: the one the first cancel journey undoes."""
    ordered = scenario.ordered_journeys()
    for journey in ordered:
        nearest = scenario.nearest_before(journey.name, "acquire") if journey.kind == "cancel" else None
        if nearest is not None:
            return nearest.name
    acquires = [j.name for j in ordered if j.kind == "acquire"]
    return acquires[-1] if acquires else None


@explorer(
    "cancel",
    title="search for the way out, from where {after} ended",
    after=search_start,
    defaults={"max_clicks": 2, "page_budget": 25},
)
def search_for_the_way_out(ctx: ExploreContext) -> list[CancelSearch]:
    """From the logged-in page the acquire journey ended on, and logged out from the home page, while there is
    still something to cancel (before any cancel journey runs)."""
    limits = {"max_clicks": ctx.options["max_clicks"], "page_budget": ctx.options["page_budget"]}
    found: list[CancelSearch] = []
    end = ctx.end_state(ctx.after) if ctx.after else None
    base_url = ctx.scenario.site.base_url
    on_site = {**ctx.run_options.context_args, **({"base_url": base_url} if base_url else {})}
    if end is not None and ctx.after:
        search = explore_way_out(
            ctx.browser, on_site, "account", end.final_url, ctx.wording, storage_state=end.storage_state, **limits
        ).as_dict()
        search["start_journey"] = ctx.after
        found.append(search)
    if base_url:
        found.append(explore_way_out(ctx.browser, on_site, "home", base_url + "/", ctx.wording, **limits).as_dict())
    if end is None:
        raise ExploreSkipped(f"'{ctx.after}' did not pass, so there is no logged-in session to search from", found)
    return found
