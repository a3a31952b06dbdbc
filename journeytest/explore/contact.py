"""Find a site's contact details the way a customer would: click by click from a start page (catalogue B4).

Breadth-first over same-site links, one level of clicks at a time. Each level is
fetched concurrently over plain HTTP (httpx); a page that carries scripts is
opened again in the real browser, so a footer written by a script counts. The
first level at which a kind of detail appears is its depth, and the link words
followed to it are its path. A page budget, a per-site rate limit and robots.txt
keep the crawl polite enough to run against production.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any, cast
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from .. import __version__
from ..browser.contexts import open_context
from ..record.shapes import ContactFindings
from ..wording import Wording
from .base import ExploreContext, explorer
from .pagecontacts import KINDS, STRUCTURED, PageContacts, extract_page

USER_AGENT = f"journeytest/{__version__} (customer-journey audit; +https://pypi.org/project/journeytest/)"


@dataclass
class Sighting:
    """Where a customer first meets one contact detail: how many clicks from the start, and by which links."""

    kind: str
    value: str
    source: str
    note: str
    depth: int
    path: list[str]
    page: str

    def describe(self) -> str:
        route = " > ".join(self.path) if self.path else "on the start page itself"
        return f"{self.value} ({self.source}) {self.depth} click{'s' if self.depth != 1 else ''} away: {route} ({self.page})"


@dataclass
class ContactSearch:
    start: str  # "home", or "deep page"
    start_url: str
    max_clicks: int  # what the check allows
    search_clicks: int  # how far the crawl looked, to say where details are when they are too deep
    found: dict[str, Sighting] = field(
        default_factory=dict
    )  # kind -> the nearest visible detail that counts as a channel
    other: list[Sighting] = field(default_factory=list)  # noreply, premium-rate and image-only sightings, nearest first
    structured: list[Sighting] = field(default_factory=list)  # from JSON-LD / microdata / microformats (B6)
    visible: list[Sighting] = field(default_factory=list)  # every email and phone a customer can read
    pages_fetched: int = 0
    pages_rendered: int = 0  # of those, opened in the browser because they carry scripts
    seconds: float = 0.0
    budget_exhausted: bool = False
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> ContactFindings:
        return cast(ContactFindings, asdict(self))


class RateLimit:
    """At most `per_second` request starts per site, shared by the fetching threads."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.lock = threading.Lock()
        self.next_start = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
        if start > now:
            time.sleep(start - now)


def _site(url: str) -> str:
    return urlsplit(url).netloc.lower().removeprefix("www.")


class Fetcher:
    """Plain HTTP in threads, the browser (one page, this thread) where a page needs script."""

    def __init__(
        self,
        *,
        browser: Browser | None,
        context_args: dict[str, Any] | None,
        render: str,
        concurrency: int,
        rate_limit: float,
        timeout: float,
        obey_robots: bool,
        user_agent: str | None = None,
    ) -> None:
        self.render = render  # "auto": browser where scripts are; "browser": always; "http": never
        self.browser = browser
        self.context_args = dict(context_args or {})
        self.user_agent = user_agent or USER_AGENT
        self.client = httpx.Client(follow_redirects=True, timeout=timeout, headers={"User-Agent": self.user_agent})
        self.pool = ThreadPoolExecutor(max_workers=max(1, concurrency))
        self.limit = RateLimit(rate_limit)
        self.obey_robots = obey_robots
        self.robots: dict[str, RobotFileParser | None] = {}
        self._context: Any = None
        self._page: Any = None

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.client.close()
        if self._context is not None:
            self._context.close()

    def allowed(self, url: str) -> bool:
        if not self.obey_robots:
            return True
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self.robots:
            rules: RobotFileParser | None = None
            try:
                response = self.client.get(root + "/robots.txt")
                if response.status_code == 200:
                    rules = RobotFileParser()
                    rules.parse(response.text.splitlines())
            except httpx.HTTPError:
                rules = None
            self.robots[root] = rules
        rules = self.robots[root]
        return rules is None or rules.can_fetch(self.user_agent, url)

    def _http(self, url: str) -> tuple[str, str | None, str | None]:
        """(final URL, HTML or None, error or None)."""
        self.limit.wait()
        try:
            response = self.client.get(url)
        except httpx.HTTPError as exc:
            return url, None, f"could not fetch {url}: {exc}"
        if response.status_code >= 400:
            return str(response.url), None, f"{url} answered {response.status_code}"
        if "html" not in response.headers.get("content-type", "text/html"):
            return str(response.url), None, None
        return str(response.url), response.text, None

    def _browser_page(self) -> Any:
        if self._page is None:
            assert self.browser is not None
            self._context = open_context(self.browser, {**self.context_args, "user_agent": self.user_agent})
            self._page = self._context.new_page()
        return self._page

    def rendered(self, url: str) -> tuple[str, str | None, str | None]:
        self.limit.wait()
        page = self._browser_page()
        try:
            page.goto(url, wait_until="load", timeout=15000)
            return page.url, page.content(), None
        except PlaywrightError as exc:
            return url, None, f"could not open {url} in the browser: {exc.message.splitlines()[0]}"

    def fetch_all(
        self, urls: list[str], region: str | None, wording: Wording | None = None
    ) -> list[tuple[str, PageContacts | None, bool, str | None]]:
        """(requested URL, what the page holds, rendered in the browser?, error), in the order asked.

        Both ways read the page with the same extract_page: the DOM the browser built, or the page as served."""
        if self.render == "browser" and self.browser is not None:
            fetched = [self.rendered(url) for url in urls]
            return [
                (url, extract_page(html, final, region=region, wording=wording) if html else None, True, error)
                for url, (final, html, error) in zip(urls, fetched, strict=True)
            ]
        results: list[tuple[str, PageContacts | None, bool, str | None]] = []
        for url, (final, html, error) in zip(urls, self.pool.map(self._http, urls), strict=True):
            if html is None:
                results.append((url, None, False, error))
                continue
            page = extract_page(html, final, region=region, wording=wording)
            if page.needs_script and self.render == "auto" and self.browser is not None:
                final, html, error = self.rendered(url)
                if html is not None:
                    results.append((url, extract_page(html, final, region=region, wording=wording), True, None))
                    continue
            results.append((url, page, False, error))
        return results


def explore_contacts(
    start_url: str,
    *,
    start: str = "home",
    wording: Wording,
    browser: Browser | None = None,
    context_args: dict[str, Any] | None = None,
    max_clicks: int = 2,
    search_clicks: int | None = None,
    page_budget: int = 150,
    concurrency: int = 6,
    rate_limit: float = 20.0,
    render: str = "auto",
    region: str | None = None,
    timeout: float = 15.0,
    obey_robots: bool = True,
    user_agent: str | None = None,
    on_page: Callable[[str, int], None] | None = None,
) -> ContactSearch:
    """Breadth-first from start_url, following links a customer could click, nearest contact wording first."""
    search = max(max_clicks, search_clicks if search_clicks is not None else max_clicks + 2)
    result = ContactSearch(start, start_url, max_clicks, search)
    began = time.monotonic()
    fetcher = Fetcher(
        browser=browser,
        context_args=context_args,
        render=render,
        concurrency=concurrency,
        rate_limit=rate_limit,
        timeout=timeout,
        obey_robots=obey_robots,
        user_agent=user_agent,
    )
    site = _site(start_url)
    level: list[tuple[str, list[str]]] = [(urldefrag(start_url)[0], [])]
    seen = {level[0][0]}
    try:
        for depth in range(search + 1):
            room = page_budget - result.pages_fetched
            if room <= 0:
                result.budget_exhausted = bool(level)
                break
            if len(level) > room:
                result.budget_exhausted = True
                level = level[:room]
            allowed = [(url, path) for url, path in level if fetcher.allowed(url)]
            next_level: list[tuple[str, list[str]]] = []
            for (_, path), (_, page, rendered, error) in zip(
                allowed, fetcher.fetch_all([u for u, _ in allowed], region, wording), strict=True
            ):
                if error:
                    result.errors.append(error)
                if page is None:
                    continue
                result.pages_fetched += 1
                result.pages_rendered += rendered
                if on_page:
                    on_page(page.url, depth)
                _record(result, page, depth, path)
                if depth == search:
                    continue
                for target, words in page.links:
                    target = urldefrag(target)[0]
                    if target in seen or _site(target) != site or not words or wording.find("logout", words):
                        continue
                    seen.add(target)
                    next_level.append((target, [*path, words]))
            if all(kind in result.found for kind in KINDS) or not next_level:
                break
            # Within a level, links a customer reads as "contact" are followed first, so the budget never cuts them off.
            next_level.sort(key=lambda item: 0 if wording.find("contact", item[1][-1]) else 1)
            level = next_level
    finally:
        fetcher.close()
        result.seconds = round(time.monotonic() - began, 3)
    return result


def _record(result: ContactSearch, page: PageContacts, depth: int, path: list[str]) -> None:
    """Keep the nearest sighting of each detail: BFS order means the first one seen is the nearest."""
    for detail in page.details:
        sighting = Sighting(detail.kind, detail.value, detail.source, detail.note, depth, list(path), page.url)
        if detail.source in STRUCTURED:
            _add_new(result.structured, sighting)
            continue
        if detail.kind in ("email", "phone"):
            _add_new(result.visible, sighting)
        if detail.counts:
            result.found.setdefault(detail.kind, sighting)
        else:
            _add_new(result.other, sighting)


def _add_new(sightings: list[Sighting], sighting: Sighting) -> None:
    if not any(s.kind == sighting.kind and s.value == sighting.value for s in sightings):
        sightings.append(sighting)


CRAWL_OPTIONS = (
    "max_clicks",
    "search_clicks",
    "page_budget",
    "rate_limit",
    "concurrency",
    "render",
    "region",
    "obey_robots",
)


def search_starts(base_url: str, deep_page: str | None) -> list[tuple[str, str]]:
    """Where the search starts: the site's home page, and the deep page, a path read as goto reads it (below
    base_url, also when the site lives under a path such as /wiki/)."""
    base = base_url.rstrip("/")
    starts = [("home page", base + "/")]
    if deep_page:
        starts.append(("deep page", urljoin(base + "/", str(deep_page).lstrip("/"))))
    return starts


@explorer(
    "contact",
    title="search for contact details from the home page",
    defaults={
        "max_clicks": 2,
        "search_clicks": 4,
        "deep_page": None,
        "page_budget": 150,
        "rate_limit": 10.0,
        "concurrency": 4,
        "render": "auto",
        "region": None,
        "obey_robots": True,
    },
    choices={"render": ("auto", "browser", "http")},
)
def search_for_contact_details(ctx: ExploreContext) -> list[ContactFindings]:
    """Logged out, from the home page (and from a deep page, when the file names one), as a customer would."""
    starts = search_starts(ctx.scenario.site.base_url or "", ctx.options["deep_page"])
    limits = {key: ctx.options[key] for key in CRAWL_OPTIONS}
    return [
        explore_contacts(
            url,
            start=start,
            wording=ctx.wording,
            browser=ctx.browser,
            context_args=ctx.run_options.context_args,
            user_agent=ctx.settings.user_agent,
            **limits,
        ).as_dict()
        for start, url in starts
    ]
