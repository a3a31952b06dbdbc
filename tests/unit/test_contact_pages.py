"""One page's contact details, read from HTML as real sites write it; and the contact verdict's sentences.

The same reading serves the browser (the rendered DOM) and `render: http` (the page as served), so
these shapes hold for both; tests/e2e/test_contact_forms.py crawls them in both.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from journeytest import load_scenario
from journeytest.checks import CheckContext, Verdict
from journeytest.checks import run_check as run_spec
from journeytest.explore.pagecontacts import decode_email, extract_page
from journeytest.registry import built_in
from journeytest.wording import Wording

STORE = Path(__file__).parents[1] / "site" / "store"
WORDING = Wording.load()
ADDRESS = "hello@demo-events.example"


def emails(html: str) -> list[tuple[str, str]]:
    page = extract_page(f"<html lang='en'><body>{html}</body></html>", "http://127.0.0.1/x")
    return [(d.value, d.source) for d in page.details if d.kind == "email"]


# ------------------------------------------------------------------------------------- obfuscated addresses


@pytest.mark.parametrize(
    "raw",
    [
        "hello@demo-events.example",
        "mailto:hello@demo-events.example?subject=Tickets",
        "mailto:hello[at]demo-events[dot]example",
        "hello(at)demo-events(dot)example",
        "hello [at] demo-events [dot] example",
        "hello{at}demo-events{dot}example",
        "hello [AT] demo-events.example",
        "hello at demo-events dot example",
        "HELLO AT DEMO-EVENTS DOT EXAMPLE",
        "hello&#64;demo-events.example",  # an entity left in the text, written twice-escaped by a CMS
        "mailto:%68%65llo%40demo-events.example",
        "hello@demo-events.example.",  # the sentence's full stop
    ],
)
def test_every_written_form_of_an_address_decodes_to_it(raw):
    assert decode_email(raw) == ADDRESS


@pytest.mark.parametrize("raw", ["mailto:", "mailto:?subject=Hi", "hello", "hello[at]demo-events", "look at the dot"])
def test_what_is_no_address_decodes_to_nothing(raw):
    assert decode_email(raw) is None


@pytest.mark.parametrize(
    "html, source",
    [
        # The link and its words both written with [at]/[dot] (a script joins them in the browser).
        ("<a href='mailto:hello[at]demo-events[dot]example'>hello[at]demo-events[dot]example</a>", "obfuscated"),
        ("<a href='mailto:hello&#91;at&#93;demo-events&#91;dot&#93;example'>Write to us</a>", "obfuscated"),
        ("<a href='mailto:hello(at)demo-events(dot)example'>Write to us</a>", "obfuscated"),
        # HTML entities, decimal and hex, in the link and the text.
        ("<a href='&#109;&#97;&#105;&#108;&#116;&#111;&#58;&#104;&#101;llo&#64;demo-events.example'>us</a>", "mailto"),
        ("<p>&#x68;&#x65;&#x6c;&#x6c;&#x6f;&#x40;&#x64;emo-events&#x2e;example</p>", "text"),
        ("<p>Mail hello&#64;demo-events.example</p>", "text"),
        # Split over elements or by a comment, so a harvester reading the source sees no address.
        ("<p>hello<span>@</span>demo-events<span>.</span>example</p>", "text"),
        ("<p><span>hello</span><span>&#64;</span><span>demo-events.example</span></p>", "text"),
        ("<p>hello<!-- spam trap -->@demo-events.example</p>", "text"),
        # Written backwards and turned round by CSS.
        (
            "<p>Email: <span style='unicode-bidi: bidi-override; direction: rtl;'>elpmaxe.stneve-omed@olleh</span></p>",
            "obfuscated",
        ),
        # Spelled out: alone on its line, or after "Email:".
        ("<p>hello at demo-events dot example</p>", "obfuscated"),
        ("<p>Email: hello at demo-events.example</p>", "obfuscated"),
        ("<p>Questions? HELLO AT DEMO-EVENTS DOT EXAMPLE</p>", "obfuscated"),
        # Cloudflare's email protection: the address is XOR-ed into data-cfemail; its script decodes it.
        (
            "<a href='/cdn-cgi/l/email-protection#5a323f3636351a3e3f3735773f2c3f342e29743f223b372a363f'>"
            "<span class='__cf_email__' data-cfemail='5a323f3636351a3e3f3735773f2c3f342e29743f223b372a363f'>"
            "[email&#160;protected]</span></a>",
            "obfuscated",
        ),
    ],
)
def test_real_world_obfuscations_decode_to_the_address(html, source):
    found = emails(html)
    assert (ADDRESS, source) in found, found
    assert {value for value, _ in found} == {ADDRESS}  # and nothing half-decoded beside it


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Look at the dot matrix printer", []),  # 'at' and 'dot' in prose
        ("Visit us at www.demo-events.example", []),  # a web address after 'at' is no mailbox
        ("Write to us at demo-events.example", []),
        ("TICKETS AT WWW.DEMO-EVENTS.EXAMPLE", []),  # a banner in capitals
        ("Tickets at the door dot. Meet at gate 5", []),
        ("<a href='mailto:'>Email us</a>", []),  # an empty mailto: link is no address
        ("<p>Email<b>hello@demo-events.example</b></p>", [(ADDRESS, "text")]),  # words run into it are not part of it
    ],
)
def test_prose_is_not_an_address(text, expected):
    assert emails(text) == expected


def test_a_cloudflare_protected_link_is_not_a_page_to_crawl():
    page = extract_page(
        (STORE / "contact-cloudflare.html").read_text(), "http://127.0.0.1/store/contact-cloudflare.html"
    )
    assert not [url for url, _ in page.links if "email-protection" in url]


# ------------------------------------------------------------------------------------- what a contact form is


def forms(html: str, lang: str = "en") -> list[tuple[str, str]]:
    page = extract_page(f"<html lang='{lang}'><body>{html}</body></html>", "http://127.0.0.1/x")
    return [(d.value, d.note) for d in page.details if d.kind == "form"]


MESSAGE = "<textarea name='message'></textarea>"


@pytest.mark.parametrize(
    "html, note",
    [
        # A product review: stars, "Your rating", "Write a review".
        (
            "<h2>Write a review</h2><form action='/r'><input type='radio' name='stars' value='1'>"
            "<input type='radio' name='stars' value='5'><input type='email' name='email'>" + MESSAGE + "</form>",
            "review form",
        ),
        (
            "<form action='/r'><label for='t'>Your review</label><textarea id='t' name='body'></textarea>"
            "<input type='email' name='email'><button>Submit</button></form>",
            "review form",
        ),
        (
            "<form action='/r'><h3>Rate this product</h3><input name='email' type='email'>" + MESSAGE + "</form>",
            "review form",
        ),
        # A blog comment form, by its heading or by the comment system's own fields.
        (
            "<h3>Leave a Reply</h3><form action='/c'><input name='author'><input name='email' type='email'>"
            "<textarea name='comment'></textarea><input type='submit' value='Post Comment'></form>",
            "comment form",
        ),
        (
            "<form action='/wp-comments-post.php' method='post'><input name='email'><textarea name='comment'></textarea>"
            "<input type='hidden' name='comment_post_ID' value='7'></form>",
            "comment form",
        ),
        (
            "<form action='/comments/post/'><input type='hidden' name='content_type' value='blog.post'>"
            "<input type='hidden' name='object_pk' value='3'><input name='email'>"
            "<textarea name='comment'></textarea></form>",
            "comment form",
        ),
    ],
)
def test_a_form_with_a_message_field_that_does_not_reach_the_business_is_named(html, note):
    assert forms(html) == [("http://127.0.0.1" + html.split("action='")[1].split("'")[0], note)]


@pytest.mark.parametrize(
    "html",
    [
        # A newsletter sign-up, with the hidden textarea reCAPTCHA v2 puts in every form it guards.
        "<form action='/subscribe'><h2>Subscribe to our newsletter</h2><input type='email' name='EMAIL'>"
        "<textarea id='g-recaptcha-response' name='g-recaptcha-response' style='display: none;'></textarea>"
        "<input type='submit' value='Subscribe'></form>",
        # A login form.
        "<form action='/login'><input name='email' type='email'><input type='password' name='password'>"
        "<textarea name='g-recaptcha-response' style='display:none'></textarea><button>Log in</button></form>",
        # A search box.
        "<form role='search' action='/'><input type='search' name='s'><button>Search</button></form>",
        # A notes box with no way to be answered and nothing saying it goes to anyone.
        "<form action='/notes'><label>Notes</label><textarea name='notes'></textarea><button>Save</button></form>",
    ],
)
def test_forms_that_are_no_message_to_a_person_are_not_kept(html):
    assert forms(html) == []


@pytest.mark.parametrize(
    "html, lang",
    [
        (
            "<h1>Contact us</h1><form action='/contact/send'><input type='email' name='email'>" + MESSAGE + "</form>",
            "en",
        ),
        # A logged-in support form: no email field, but a topic and a message.
        (
            "<form action='/support/new'><h2>Support request</h2><label for='s'>Subject</label><input id='s' name='subject'>"
            + MESSAGE
            + "<button>Send</button></form>",
            "en",
        ),
        # Answered by phone.
        (
            "<h2>Get in touch</h2><form action='/callback'><label for='p'>Phone</label><input id='p' type='tel' name='p'>"
            + MESSAGE
            + "</form>",
            "en",
        ),
        # A contact form whose message label says "comments" is still a contact form.
        (
            "<h2>Kontakt</h2><form action='/kontakt'><input type='email' name='email'><label for='m'>Fragen oder Kommentare"
            "</label><textarea id='m' name='comments'></textarea><button>Nachricht senden</button></form>",
            "de",
        ),
        (
            "<h2>Yhteydenotto</h2><form action='/laheta'><label for='e'>Sähköposti</label><input id='e' name='sposti'>"
            "<label for='v'>Viesti</label><textarea id='v' name='viesti'></textarea><button>Lähetä</button></form>",
            "fi",
        ),
    ],
)
def test_contact_forms_count(html, lang):
    assert [note for _, note in forms(html, lang)] == [""]


@pytest.mark.parametrize(
    "page, counted, noted",
    [
        ("product.html", [], ["review form"]),
        ("product-reviews-app.html", [], ["review form"]),
        ("blog-post.html", [], ["comment form"]),
        ("contact.html", ["http://127.0.0.1/store/contact.html#wpcf7-f25-p26-o1"], []),
        ("yhteydenotto.html", ["http://127.0.0.1/yhteydenotto/"], []),
    ],
)
def test_the_store_pages_as_served(page, counted, noted):
    found = extract_page((STORE / page).read_text(), f"http://127.0.0.1/store/{page}").details
    assert [d.value for d in found if d.kind == "form" and d.counts] == counted
    assert [d.note for d in found if d.kind == "form" and not d.counts] == noted


# ------------------------------------------------------------------------------------- the verdict's sentences


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("contact") / "c.journey.yaml"
    path.write_text(
        "site: {name: S, base_url: 'http://127.0.0.1:1'}\njourneys:\n  ask: {kind: support, steps: [{goto: /}]}\n"
    )
    return load_scenario(path)


def sighting(kind: str, value: str, depth: int = 0, note: str = "", source: str = "mailto") -> dict:
    return {
        "kind": kind,
        "value": value,
        "source": source,
        "note": note,
        "depth": depth,
        "path": [] if not depth else ["Contact"],
        "page": "http://127.0.0.1/x",
    }


def findings(found: dict, other: list | None = None) -> dict:
    return {
        "start": "home page",
        "start_url": "http://127.0.0.1/",
        "max_clicks": 2,
        "search_clicks": 4,
        "found": found,
        "other": other or [],
        "structured": [],
        "visible": [s for s in found.values() if s["kind"] in ("email", "phone")],
        "pages_fetched": 3,
        "pages_rendered": 0,
        "seconds": 0.1,
        "budget_exhausted": False,
        "errors": [],
    }


def judge(scenario, search: dict):
    spec = built_in().checks["contact_details"]
    ctx = CheckContext(scenario, {}, dict(spec.defaults), WORDING, date(2027, 5, 3), {"contact": [search]})
    return run_spec(spec, ctx)


def test_an_email_address_alone_fails_citing_the_rule_that_asks_for_a_second_channel(scenario):
    outcome = judge(scenario, findings({"email": sighting("email", ADDRESS)}))
    assert outcome.verdict == Verdict.FAIL
    assert "no second channel, neither a phone number nor a contact form" in outcome.evidence
    assert f"besides the email address {ADDRESS}" in outcome.evidence
    assert "CJEU C-298/07" in outcome.evidence and "Art. 5(1)(c)" in outcome.evidence
    assert "enquiry form" in outcome.evidence  # it need not be a phone


def test_a_phone_number_alone_fails_citing_the_rule_that_names_the_email_address(scenario):
    outcome = judge(scenario, findings({"phone": sighting("phone", "+358942424242", source="tel")}))
    assert outcome.verdict == Verdict.FAIL
    assert "no email address a customer can write to" in outcome.evidence
    assert "Art. 5(1)(c)" in outcome.evidence and "+358942424242" in outcome.evidence
    assert "C-298/07" not in outcome.evidence


def test_nothing_at_all_is_said_plainly(scenario):
    outcome = judge(scenario, findings({}))
    assert outcome.evidence == (
        "from the home page (http://127.0.0.1/), within 2 clicks: no email address a customer can write to "
        "and no second channel, neither a phone number nor a contact form"
    )


def test_a_review_form_is_named_as_no_contact_form(scenario):
    review = sighting("form", "http://127.0.0.1/wp-comments-post.php", 1, note="review form", source="form")
    outcome = judge(scenario, findings({"email": sighting("email", ADDRESS)}, [review]))
    assert outcome.verdict == Verdict.FAIL
    assert "a review form on http://127.0.0.1/x is not a contact form" in outcome.evidence


def test_the_catalogue_line_names_the_second_channel_rule():
    basis = built_in().checks["contact_details"].catalogue
    assert "C-298/07" in basis and "16 Oct 2008" in basis and "second" in basis


def test_an_image_beside_an_email_address_warns_without_saying_the_address_is_an_image(scenario):
    image = sighting("image", "Phone phone.png", 1, source="image")
    outcome = judge(scenario, findings({"email": sighting("email", ADDRESS)}, [image]))
    assert outcome.verdict == Verdict.WARN
    assert "further contact details appear only inside an image (Phone phone.png" in outcome.evidence
    assert f"besides the email address {ADDRESS}" in outcome.evidence and "CJEU C-298/07" in outcome.evidence


def test_a_documentation_example_address_is_no_channel():
    """Trac's own help pages write username@example.local for the reader to fill in: not the operator's address."""
    from journeytest.explore.pagecontacts import address_note

    assert address_note("username@example.local") == "placeholder"
    assert address_note("your.name@example.com") == "placeholder"
    assert address_note("news@example.com") == ""
    assert address_note("support@acme-cloud.example") == ""
    assert address_note("no-reply@acme-cloud.example") == "noreply"
