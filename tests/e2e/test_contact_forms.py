"""Contact forms, obfuscated addresses and the second channel, crawled in a real browser and over plain HTTP.

The pages are tests/site/store/*.html, shaped as real shops write them: a WooCommerce product page
with its review form, a Shopify product-reviews form, a blog post's comment form, a Contact Form 7
page and a Finnish Django contact page; an about page whose address is written `hello[at]…[dot]…`
and put together by a script, an imprint written in HTML entities and a Cloudflare-protected address.
"""

from __future__ import annotations

from datetime import date

import pytest

from journeytest import load_scenario
from journeytest.checks import CheckContext, Verdict
from journeytest.checks import run_check as run_spec
from journeytest.explore.contact import ContactSearch, explore_contacts
from journeytest.registry import built_in
from journeytest.wording import Wording

WORDING = Wording.load()
RENDERS = ["browser", "http"]
ADDRESS = "hello@demo-events.example"


def crawl(url: str, browser, render: str) -> ContactSearch:
    """The one page only, as the contact search reads it."""
    return explore_contacts(
        url,
        wording=WORDING,
        browser=browser if render == "browser" else None,
        render=render,
        max_clicks=0,
        search_clicks=0,
        rate_limit=0,
        obey_robots=False,
    )


@pytest.mark.parametrize("render", RENDERS)
@pytest.mark.parametrize(
    "page, not_one",
    [
        ("product.html", "review form"),  # WooCommerce: "Your rating", "Your review", wp-comments-post.php
        ("product-reviews-app.html", "review form"),  # Shopify product reviews: stars, "Write a review"
        ("blog-post.html", "comment form"),  # "Leave a comment" under a blog post
    ],
)
def test_a_review_or_comment_form_is_not_a_contact_form(page, not_one, render, site_url, real_browser):
    search = crawl(f"{site_url}/store/{page}", real_browser, render)
    assert not search.errors
    assert "form" not in search.found, search.found
    # Seen, and said what it is, so the evidence can name it; the newsletter, search and login forms are not kept.
    assert [(s.kind, s.note) for s in search.other] == [("form", not_one)], search.other


@pytest.mark.parametrize("render", RENDERS)
@pytest.mark.parametrize(
    "page, action",
    [
        ("contact.html", "/store/contact.html#wpcf7-f25-p26-o1"),  # Contact Form 7: name, email, subject, message
        ("yhteydenotto.html", "/yhteydenotto/"),  # Django, in Finnish: nimi, sähköposti, aihe, viesti
    ],
)
def test_a_real_contact_form_is_one(page, action, render, site_url, real_browser):
    search = crawl(f"{site_url}/store/{page}", real_browser, render)
    assert search.found["form"].value == site_url + action
    assert search.found["form"].source == "form"


@pytest.mark.parametrize(
    "page",
    [
        "about.html",  # hello[at]demo-events[dot]example, in the link and the text, joined by a script on load
        "about-entities.html",  # &#104;&#101;… in the mailto: link, &#x68;&#x65;… in the text
        "contact-cloudflare.html",  # Cloudflare's data-cfemail, decoded by its script in the browser
    ],
)
def test_an_obfuscated_address_reads_the_same_in_the_browser_and_over_http(page, site_url, real_browser):
    rendered = crawl(f"{site_url}/store/{page}", real_browser, "browser")
    plain = crawl(f"{site_url}/store/{page}", real_browser, "http")
    assert rendered.pages_rendered == 1 and plain.pages_rendered == 0
    assert rendered.found["email"].value == plain.found["email"].value == ADDRESS
    # No half-decoded form of it is reported beside the real one.
    assert {s.value for s in plain.visible} == {s.value for s in rendered.visible} == {ADDRESS}
    assert not plain.errors and not rendered.errors


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("contact") / "c.journey.yaml"
    path.write_text(
        "site: {name: Demo Events, base_url: 'http://127.0.0.1:1'}\n"
        "journeys:\n  ask: {kind: support, steps: [{goto: /}]}\n"
    )
    return load_scenario(path)


def judge(scenario, search: ContactSearch):
    spec = built_in().checks["contact_details"]
    explored = {"contact": [search.as_dict()]}
    return run_spec(spec, CheckContext(scenario, {}, dict(spec.defaults), WORDING, date(2027, 5, 3), explored))


@pytest.mark.parametrize("render", RENDERS)
def test_an_email_address_alone_fails_and_the_evidence_says_why(render, scenario, site_url, real_browser):
    outcome = judge(scenario, crawl(f"{site_url}/store/about.html", real_browser, render))
    assert outcome.verdict == Verdict.FAIL, outcome.evidence
    assert "no second channel, neither a phone number nor a contact form" in outcome.evidence
    assert ADDRESS in outcome.evidence and "CJEU C-298/07" in outcome.evidence
    assert "Art. 5(1)(c)" in outcome.evidence


@pytest.mark.parametrize("render", RENDERS)
def test_a_review_form_beside_an_email_address_is_named_and_still_fails(render, scenario, site_url, real_browser):
    search = crawl(f"{site_url}/store/product-reviews-app.html", real_browser, render)
    search.found.setdefault("email", crawl(f"{site_url}/store/about.html", real_browser, render).found["email"])
    outcome = judge(scenario, search)
    assert outcome.verdict == Verdict.FAIL, outcome.evidence
    assert "a review form" in outcome.evidence and "is not a contact form" in outcome.evidence
