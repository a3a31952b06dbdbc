"""The contact crawl on a generated 216-page site: exact depth and click path for every placement."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from journeytest.explore.contact import RateLimit, explore_contacts
from journeytest.explore.pagecontacts import extract_page
from journeytest.wording import Wording
from tests.support.servers import serve_directory
from tests.support.sitegen import DEEP_PAGE, EMAIL, EXPECTED, PHONE_E164, generate_site, page_count

WORDING = Wording.load()


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Every placement's site, served on loopback."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        urls = {}
        for placement in EXPECTED:
            root = generate_site(tmp_path_factory.mktemp(placement), placement)
            assert page_count(root) >= 200
            urls[placement] = stack.enter_context(serve_directory(root))
        yield urls


def _sightings(crawl):
    return [*crawl.found.values(), *crawl.structured, *crawl.other]


@pytest.mark.parametrize("placement", sorted(EXPECTED))
def test_each_detail_is_found_at_its_exact_depth_and_path(placement, sites, real_browser):
    crawl = explore_contacts(
        sites[placement] + "/index.html",
        wording=WORDING,
        browser=real_browser,
        max_clicks=2,
        search_clicks=4,
        page_budget=300,
        rate_limit=0,
    )
    assert not crawl.errors
    for expected in EXPECTED[placement]:
        match = [
            s
            for s in _sightings(crawl)
            if s.kind == expected.kind
            and s.source == expected.source
            and (s.value == expected.value or s.value.endswith(expected.value))
        ]
        assert match, f"{placement}: {expected} not among {_sightings(crawl)}"
        assert (match[0].depth, tuple(match[0].path)) == (expected.depth, expected.path), placement


def test_details_four_clicks_deep_cost_a_crawl_of_the_whole_site(sites, real_browser):
    crawl = explore_contacts(
        sites["four_deep"] + "/index.html",
        wording=WORDING,
        browser=real_browser,
        search_clicks=4,
        page_budget=300,
        rate_limit=0,
    )
    assert crawl.pages_fetched == 216 - 1  # every page but the contact page this placement does not have
    assert crawl.found["email"].page.endswith("/about/helsinki.html")


def test_a_search_that_stops_at_two_clicks_does_not_see_deeper_details(sites):
    crawl = explore_contacts(
        sites["four_deep"] + "/index.html",
        wording=WORDING,
        max_clicks=2,
        search_clicks=2,
        page_budget=300,
        rate_limit=0,
    )
    assert "email" not in crawl.found and "phone" not in crawl.found
    assert crawl.pages_fetched == 1 + 11 + 201


def test_a_script_written_footer_needs_the_browser(sites, real_browser):
    plain = explore_contacts(
        sites["script_footer"] + "/index.html", wording=WORDING, render="http", search_clicks=0, rate_limit=0
    )
    rendered = explore_contacts(
        sites["script_footer"] + "/index.html", wording=WORDING, browser=real_browser, search_clicks=0, rate_limit=0
    )
    assert "email" not in plain.found
    assert rendered.found["email"].value == EMAIL and rendered.pages_rendered == 1


def test_from_a_deep_page_the_contact_page_is_one_click_away(sites):
    crawl = explore_contacts(sites["contact_page"] + DEEP_PAGE, start="deep page", wording=WORDING, rate_limit=0)
    assert crawl.found["email"].depth == 1 and crawl.found["email"].path == ["Contact us"]
    assert crawl.found["phone"].value == PHONE_E164


def test_the_page_budget_stops_the_crawl_and_says_so(sites):
    crawl = explore_contacts(
        sites["four_deep"] + "/index.html", wording=WORDING, search_clicks=4, page_budget=30, rate_limit=0
    )
    assert crawl.pages_fetched == 30 and crawl.budget_exhausted
    assert "email" not in crawl.found


def test_contact_links_are_followed_first_when_the_budget_is_tight(sites):
    crawl = explore_contacts(sites["contact_page"] + "/index.html", wording=WORDING, page_budget=2, rate_limit=0)
    assert crawl.found["email"].path == ["Contact us"]


def test_robots_txt_is_obeyed(tmp_path):
    root = generate_site(tmp_path, "contact_page")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /contact.html\n")
    with serve_directory(root) as url:
        polite = explore_contacts(url + "/index.html", wording=WORDING, search_clicks=1, rate_limit=0)
        rude = explore_contacts(url + "/index.html", wording=WORDING, search_clicks=1, rate_limit=0, obey_robots=False)
    assert "email" not in polite.found and rude.found["email"].depth == 1


def test_the_rate_limit_spaces_requests():
    limit = RateLimit(per_second=50)
    began = time.monotonic()
    for _ in range(11):
        limit.wait()
    assert time.monotonic() - began >= 0.19


# ------------------------------------------------------------------------------------- one page


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<p>Mail info(at)shop(dot)test</p>", ("email", "info@shop.test", "obfuscated")),
        ("<p>Mail info ät shop.test</p>", ("email", "info@shop.test", "obfuscated")),
        ("<p>Mail info&#64;shop.test</p>", ("email", "info@shop.test", "text")),
        ("<p>Call (0)9 4242 4242</p>", ("phone", "+358942424242", "text")),
        ("<p>Call 0600 12345</p>", ("phone", "+35860012345", "text")),
        (
            "<div class='h-card'><a class='u-email' href='mailto:a@shop.test'>A</a></div>",
            ("email", "a@shop.test", "mailto"),
        ),
        (
            "<iframe src='https://static.zdassets.com/web_widget/x'></iframe>",
            ("form", "https://static.zdassets.com/web_widget/x", "widget"),
        ),
    ],
)
def test_one_page_forms_of_contact_details(html, expected):
    page = extract_page(f"<html lang='fi'><body>{html}</body></html>", "http://127.0.0.1/x")
    assert expected in [(d.kind, d.value, d.source) for d in page.details]


@pytest.mark.parametrize(
    "text",
    [
        "Order 2026-11-22, VAT FI12345678, version 1.2.3",  # dates, VAT and version numbers are not phones
        "Look at this (at) the top",  # 'at' in prose is not an obfuscated address
        "<form><input name='q'><button>Search</button></form>",  # a search form is not a contact form
    ],
)
def test_near_misses_are_not_contact_details(text):
    page = extract_page(f"<html lang='fi'><body>{text}</body></html>", "http://127.0.0.1/x")
    assert [(d.kind, d.value) for d in page.details] == []


def test_premium_and_noreply_are_seen_but_do_not_count():
    page = extract_page(
        "<html lang='fi'><body>Call 0600 12345 or mail noreply@shop.test</body></html>", "http://127.0.0.1/"
    )
    assert {(d.kind, d.note) for d in page.details} == {("phone", "premium-rate"), ("email", "noreply")}
    assert not any(d.counts for d in page.details)


def test_the_crawl_names_itself_to_the_site():
    from journeytest.explore.contact import USER_AGENT, Fetcher

    default = Fetcher(
        browser=None, context_args=None, render="http", concurrency=1, rate_limit=0, timeout=5, obey_robots=False
    )
    chosen = Fetcher(
        browser=None,
        context_args=None,
        render="http",
        concurrency=1,
        rate_limit=0,
        timeout=5,
        obey_robots=False,
        user_agent="AcmeAudit/2.0",
    )
    try:
        assert default.client.headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("journeytest/")
        assert chosen.client.headers["User-Agent"] == "AcmeAudit/2.0"
    finally:
        default.close()
        chosen.close()
