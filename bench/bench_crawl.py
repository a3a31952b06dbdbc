"""Benchmark: the contact crawl on the generated 216-page site, in pages per second.

Run on demand (not part of the test suite):

    .venv/bin/python -m bench.bench_crawl [--rounds 3]

Crawls the "four clicks deep" site (every page must be visited to find the details)
three ways: journeytest's crawl (plain HTTP, concurrent, browser only where a page
has script), the same crawl forced into the browser, and a hand-written Playwright
breadth-first search that opens every page in one browser page. Prints pages/second
for each and the ratio of journeytest's crawl to raw Playwright.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import deque
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from journeytest.browser.launch import choose_browser, launch
from journeytest.explore.contact import explore_contacts
from journeytest.wording import Wording
from tests.support.servers import serve_directory
from tests.support.sitegen import generate_site


def raw_playwright_bfs(browser: Browser, start: str) -> int:
    """The obvious hand-written crawl: one page, goto every same-site link breadth-first."""
    context = browser.new_context()
    page = context.new_page()
    queue, seen, pages = deque([start]), {start}, 0
    while queue:
        url = queue.popleft()
        page.goto(url)
        pages += 1
        if "mailto:" in page.content() and url.endswith("helsinki.html"):
            break
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = href.split("#")[0]
            if href.startswith(start.rsplit("/", 1)[0]) and href not in seen:
                seen.add(href)
                queue.append(href)
    context.close()
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    wording = Wording.load()
    with (
        tempfile.TemporaryDirectory() as folder,
        serve_directory(generate_site(Path(folder), "four_deep")) as url,
        sync_playwright() as playwright,
    ):
        browser = launch(playwright.chromium, {}, choose_browser(playwright.chromium))
        start = url + "/index.html"
        rates: dict[str, list[float]] = {
            "journeytest (http + browser where needed)": [],
            "journeytest (browser only)": [],
            "raw Playwright BFS": [],
        }
        for _ in range(args.rounds):
            for label, render in (
                ("journeytest (http + browser where needed)", "auto"),
                ("journeytest (browser only)", "browser"),
            ):
                crawl = explore_contacts(
                    start,
                    wording=wording,
                    browser=browser,
                    search_clicks=4,
                    page_budget=300,
                    rate_limit=0,
                    render=render,
                )
                assert crawl.found["email"].depth == 4
                rates[label].append(crawl.pages_fetched / crawl.seconds)
            began = time.monotonic()
            pages = raw_playwright_bfs(browser, start)
            rates["raw Playwright BFS"].append(pages / (time.monotonic() - began))
        browser.close()
    for label, values in rates.items():
        print(f"{label:45s} {statistics.median(values):8.1f} pages/s (median of {args.rounds})")
    ratio = statistics.median(rates["journeytest (http + browser where needed)"]) / statistics.median(
        rates["raw Playwright BFS"]
    )
    print(f"journeytest crawl / raw Playwright: {ratio:.1f}x faster")


if __name__ == "__main__":
    main()
