"""C2, C3, D1/D2 and the contact verdicts, judged on recorded data.

The end-to-end proof (fair passes, dark fails each for its own reason, in a real
browser with real mail) is tests/e2e/test_demo.py; here each verdict's edges are pinned.
"""

from __future__ import annotations

from datetime import date

import pytest

from journeytest import load_scenario
from journeytest.checks import CheckContext, Verdict
from journeytest.checks import run_check as run_spec
from journeytest.checks.passwords import generated_passwords
from journeytest.checks.replies import echo_parts, strip_quoted
from journeytest.explore.contact import explore_contacts
from journeytest.record import JourneyResult
from journeytest.registry import built_in
from journeytest.wording import Wording
from journeytest.wording.passwords import password_like
from tests.support.servers import serve_directory
from tests.support.sitegen import generate_site

WORDING = Wording.load()
TYPED = "Typed-Secret-2026!"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("t") / "t.journey.yaml"
    path.write_text(
        "site: {name: S, base_url: 'http://127.0.0.1:1'}\njourneys:\n"
        "  reset: {kind: account, steps: [{goto: /}]}\n  ask: {kind: support, steps: [{goto: /}]}\n"
        "  ask_again: {kind: support, steps: [{goto: /}]}\n"
    )
    return load_scenario(path)


def run_check(name, scenario, results, password_probe=None, contact_crawls=None, **extra):
    spec = built_in().checks[name]
    options = {**spec.defaults, **extra.pop("options", {})}
    probe = password_probe or {}
    explored = {
        "passwords": probe.get("generated", []),
        "reset_links": probe.get("reuse", []),
        "contact": contact_crawls or [],
    }
    return run_spec(
        spec,
        CheckContext(
            scenario,
            results,
            options,
            WORDING,
            date(2026, 11, 22),
            explored,
            secrets={"{persona.password}": TYPED},
            **extra,
        ),
    )


def emailed(text: str, subject: str = "Your account", journey: str = "reset", **fields) -> JourneyResult:
    mail = {"id": "m1", "subject": subject, "text": text, "received_at": 10.0, "headers": {}, "links": []}
    return JourneyResult("t", "S", "", journey, "account", emails=[mail], **fields)


# ------------------------------------------------------------------------------------- C2


@pytest.mark.parametrize(
    "text, token",
    [
        ("Your new password is: Xq7-Lm2p9Zt", "Xq7-Lm2p9Zt"),
        ("Password : aB3dE9fG\n", "aB3dE9fG"),  # DokuWiki's "Password : @PASSWORD@"
        ("Uusi salasana: L8kd93Hs-q", "L8kd93Hs-q"),
        ('Temporary password "tmp4Rk82w" (valid 7 days)', "tmp4Rk82w"),  # MediaWiki style
        ("Ihr vorläufiges Passwort lautet: q9XwT7_e2", "q9XwT7_e2"),  # German "… lautet:" ("reads:")
        ("Ditt nya lösenord lyder: Gr8-sv3nsk", "Gr8-sv3nsk"),
    ],
)
def test_a_password_label_followed_by_a_made_up_token_is_found(text, token):
    found = generated_passwords([emailed(text)], WORDING, {TYPED})
    assert [f["token"] for f in found] == ([token] if token else [])


@pytest.mark.parametrize(
    "text",
    [
        "Reset your password: http://shop.test/password/reset/9yNdi-VMZl4edXYDCrvb8w",  # a reset link
        "use this link to reset your password (it works once)\nhttp://shop.test/password/reset/AbC123xyz",
        "Your one-time code: 482913",  # a numeric one-time code
        "Password reset code: 4821-ZX",  # a code, labelled as one
        "Voucher code: SAVE20-XYZ9. Your password was changed on 2026-11-22.",  # a voucher; a notice
        f"Your password: {TYPED}",  # what the customer typed is C1's finding, not C2's
        "Your password: ********",  # masked
        "We never send passwords by email. Password: Changed",
    ],
)
def test_near_misses_are_not_generated_passwords(text):
    assert generated_passwords([emailed(text)], WORDING, {TYPED}) == []


def test_the_persona_username_is_not_a_password():
    assert not password_like("mattivirtanen1234", {"mattivirtanen1234"})
    assert password_like("mattivirtanen1234", set())


@pytest.mark.parametrize(
    "attempt, verdict, words",
    [
        (None, Verdict.FAIL, "not tried"),
        (
            {"passed": True, "asks_for_new_password": False, "error": None},
            Verdict.FAIL,
            "lasting password sent in clear",
        ),
        ({"passed": True, "asks_for_new_password": True, "error": None}, Verdict.WARN, "temporary password"),
        (
            {"passed": False, "error": "'Logged in' is not on the page", "said": "Wrong email or password."},
            Verdict.INCONCLUSIVE,
            "did not get through ('Logged in' is not on the page); the page said 'Wrong email or password.', "
            "so whether it lasts is not known",
        ),
        (  # the login journey ends on "Log out", which a forced-change screen lacks: still a login that worked
            {
                "passed": False,
                "error": "'Log out' is not on the page",
                "asks_for_new_password": True,
                "said": "Change password",
                "final_url": "/prefs/account",
            },
            Verdict.WARN,
            "'log_in' did not finish ('Log out' is not on the page), but the site then asks for a new password "
            "(/prefs/account: 'Change password'): a temporary password; the email states no lifetime for it",
        ),
        (  # a rejected login page has one password field; only its words can say "choose a new one"
            {
                "passed": False,
                "error": "x",
                "asks_for_new_password": False,
                "page_text": "You must change your password before you go on.",
            },
            Verdict.WARN,
            "temporary password",
        ),
    ],
)
def test_logging_in_with_the_mailed_password_decides_the_verdict(scenario, attempt, verdict, words):
    result = emailed("New password: Xq7-Lm2p9Zt")
    probe = {
        "generated": [
            {**generated_passwords([result], WORDING, set())[0], "tried": attempt is not None, "attempt": attempt}
        ]
    }
    outcome = run_check(
        "no_generated_password", scenario, {"reset": result}, password_probe=probe, options={"login_journey": "log_in"}
    )
    assert outcome.verdict == verdict and words in outcome.evidence
    assert "Xq7-Lm2p9Zt" not in outcome.evidence and "Xq••••••" in outcome.evidence


def test_no_generated_password_passes_on_links_and_notices(scenario):
    result = emailed("Use this link to choose a new password: http://s.test/r/abc123XYZ\nYour password was changed.")
    assert run_check("no_generated_password", scenario, {"reset": result}).verdict == Verdict.PASS


# ------------------------------------------------------------------------------------- C3


def _reset_result(notice: bool) -> JourneyResult:
    link = {
        "href": "http://s.test/password/reset/tok",
        "text": "",
        "email_id": "m1",
        "subject": "Reset your password",
        "at": 10.0,
    }
    mails = [
        {
            "id": "m1",
            "subject": "Reset your password",
            "text": "Reset your password here: http://s.test/password/reset/tok",
            "received_at": 9.0,
        }
    ]
    if notice:
        mails.append(
            {
                "id": "m2",
                "subject": "Your password was changed",
                "text": "Hi, your password was changed today.",
                "received_at": 12.0,
            }
        )
    return JourneyResult("t", "S", "", "reset", "account", emails=mails, opened_links=[link])


@pytest.mark.parametrize(
    "refused, notice, verdict, words",
    [
        (True, True, Verdict.PASS, "works once"),
        (False, True, Verdict.FAIL, "worked a second time"),
        (True, False, Verdict.WARN, "no 'your password was changed' email followed"),
    ],
)
def test_a_reset_link_must_work_once_and_be_followed_by_a_notice(scenario, refused, notice, verdict, words):
    probe = {"reuse": [{"href": "http://s.test/password/reset/tok", "refused": refused, "status": 200, "excerpt": "…"}]}
    outcome = run_check("password_reset", scenario, {"reset": _reset_result(notice)}, password_probe=probe)
    assert outcome.verdict == verdict and words in outcome.evidence


def test_a_link_from_a_welcome_mail_is_not_a_reset_link(scenario):
    result = _reset_result(True)
    result.emails[0]["subject"] = result.opened_links[0]["subject"] = "Confirm your email"
    result.emails[0]["text"] = "Confirm your address: http://s.test/confirm/tok"
    assert run_check("password_reset", scenario, {"reset": result}).verdict == Verdict.SKIP


# ------------------------------------------------------------------------------------- D1, D2

QUESTION = "Hello, my invoices for October are missing from the billing page. How do I export my invoices as PDF files?"
SECOND = "Can I add a second workspace for our Tampere office without paying for another plan?"
ECHO = "Dear customer,\n\nwe have received your message:\n\n{message}\n\nThank you for your feedback."
GOOD = (
    "Hi Matti,\n\nthanks for writing. Your reference number is ACM-48213; a person from our support team will answer "
    "within one business day.\n\nMaria, Acme Cloud support"
)
ANSWER = (
    "Hi Matti,\n\nyou can export your invoices as PDF files under Billing > Invoices > Export; October's invoices "
    "were delayed by a fault we fixed this morning, so they are there now.\n\nMaria, Acme Cloud support"
)


def support(journey: str, message: str, reply: str) -> JourneyResult:
    mail = {
        "id": journey,
        "subject": "Re: your question",
        "text": reply,
        "received_at": 5.0,
        "headers": {"Auto-Submitted": "auto-replied"},
    }
    typed = [{"field": "Name", "value": "Matti Virtanen"}, {"field": "Message", "value": message}]
    return JourneyResult("t", "S", "", journey, "support", emails=[mail], typed=typed)


def judge_support(scenario, replies: dict[str, tuple[str, str]], **options):
    results = {name: support(name, message, reply) for name, (message, reply) in replies.items()}
    return run_check("support_reply", scenario, results, persona={"first_name": "Matti"}, options=options)


def test_an_echo_that_is_the_same_template_for_every_question_fails(scenario):
    outcome = judge_support(
        scenario, {"ask": (QUESTION, ECHO.format(message=QUESTION)), "ask_again": (SECOND, ECHO.format(message=SECOND))}
    )
    assert outcome.verdict == Verdict.FAIL
    assert "only echoes the customer" in outcome.evidence and "template score 6/6" in outcome.evidence
    assert outcome.figures["ask"]["echo_ratio"] >= 0.5


def test_a_single_echo_is_a_warning_by_default_and_can_be_made_a_failure(scenario):
    one = {"ask": (QUESTION, ECHO.format(message=QUESTION))}
    assert judge_support(scenario, one).verdict == Verdict.WARN
    assert judge_support(scenario, one, echo_verdict="FAIL").verdict == Verdict.FAIL


def test_an_acknowledgement_with_a_reference_and_a_named_person_passes(scenario):
    outcome = judge_support(scenario, {"ask": (QUESTION, GOOD)})
    assert outcome.verdict == Verdict.PASS, outcome.evidence
    assert "with a reference number or response time" in outcome.evidence


def test_an_answer_that_quotes_the_question_below_is_not_an_echo(scenario):
    quoted = ANSWER + "\n\nOn Mon, 23 Nov 2026, Matti Virtanen wrote:\n> " + QUESTION
    outcome = judge_support(scenario, {"ask": (QUESTION, quoted)})
    assert outcome.figures["ask"]["echo_ratio"] < 0.2  # only the topic's words are shared
    assert outcome.verdict == Verdict.PASS and "answers the question" in outcome.evidence


def test_quoted_blocks_are_stripped_and_echoes_cut_out():
    assert strip_quoted("Thanks!\n> your words\nMore.") == "Thanks!\nMore."
    ratio, own = echo_parts(ECHO.format(message=QUESTION), QUESTION)
    assert ratio > 0.5 and "invoices" not in own and "Thank you for your feedback" in own


def test_a_support_journey_without_a_reply_is_a_warning(scenario):
    result = support("ask", QUESTION, GOOD)
    result.emails = []
    assert run_check("support_reply", scenario, {"ask": result}).verdict == Verdict.WARN


# ------------------------------------------------------------------------------------- contact verdicts


@pytest.mark.parametrize(
    "placement, verdict, words",
    [
        ("footer", Verdict.PASS, "phone number +358942424242 0 clicks away (on the page itself)"),
        ("contact_page", Verdict.PASS, "email address help@shop.test 1 click away (Contact us)"),
        (
            "four_deep",
            Verdict.FAIL,
            "the nearest is 4 clicks away (About us > Our company > Offices > Helsinki office)",
        ),
        ("image_only", Verdict.WARN, "appear only inside an image"),
        ("obfuscated", Verdict.FAIL, "no second channel"),
        ("json_ld_only", Verdict.FAIL, "only in the page's structured data"),
        ("noreply_only", Verdict.FAIL, "only a no-reply address (noreply@shop.test"),
    ],
)
def test_contact_verdicts_on_the_generated_site(placement, verdict, words, scenario, tmp_path):
    with serve_directory(generate_site(tmp_path, placement)) as url:
        crawl = explore_contacts(url + "/index.html", wording=WORDING, page_budget=300, rate_limit=0)
    outcome = run_check("contact_details", scenario, {}, contact_crawls=[crawl.as_dict()])
    assert outcome.verdict == verdict, outcome.evidence
    assert words in outcome.evidence


def test_a_login_journey_that_is_not_in_the_file_is_a_located_error(tmp_path):
    from journeytest.errors import ScenarioError

    path = tmp_path / "x.journey.yaml"
    path.write_text(
        "site: {name: S, base_url: 'http://127.0.0.1:1'}\nchecks:\n  no_generated_password: {login_journey: login}\n"
        "journeys:\n  log_in: {kind: account, steps: [{goto: /}]}\n"
    )
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    message = str(error.value)
    assert (
        "x.journey.yaml:3:" in message
        and "login_journey names 'login'" in message
        and "did you mean 'log_in'?" in message
    )


def test_an_option_outside_its_choices_is_a_located_error(tmp_path):
    from journeytest.errors import ScenarioError

    path = tmp_path / "y.journey.yaml"
    path.write_text(
        "site: {name: S, base_url: 'http://127.0.0.1:1'}\nchecks:\n  contact_details: {render: browsr}\n"
        "journeys:\n  ask: {kind: support, steps: [{goto: /}]}\n"
    )
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    message = str(error.value)
    assert "y.journey.yaml:3:" in message and "render is 'browsr'; expected one of auto, browser, http" in message
    assert "did you mean 'browser'?" in message


def test_the_contact_search_starts_below_a_site_that_lives_under_a_path():
    from journeytest.explore.contact import search_starts

    assert search_starts("http://127.0.0.1:8080/wiki", "/doku.php?id=contact") == [
        ("home page", "http://127.0.0.1:8080/wiki/"),
        ("deep page", "http://127.0.0.1:8080/wiki/doku.php?id=contact"),
    ]
    assert search_starts("https://shop.test/", None) == [("home page", "https://shop.test/")]


def test_a_temporary_passwords_stated_lifetime_is_quoted_from_the_mail(scenario):
    result = emailed("Your temporary password: Xq7-Lm2p9Zt\nIt expires in 7 days. Change it when you log in.")
    found = {**generated_passwords([result], WORDING, set())[0], "tried": True}
    found["attempt"] = {"passed": True, "asks_for_new_password": True, "error": None}
    outcome = run_check(
        "no_generated_password",
        scenario,
        {"reset": result},
        password_probe={"generated": [found]},
        options={"login_journey": "log_in"},
    )
    assert outcome.verdict == Verdict.WARN
    assert outcome.evidence.endswith("; the email says 'It expires in 7 days'")


def test_every_mailed_password_is_listed_not_only_the_worst(scenario):
    sign_up = emailed("Your password: Ab3-Xy9Zq1", journey="sign_up")
    reset = emailed("New password: Xq7-Lm2p9Zt")
    lasting = {**generated_passwords([sign_up], WORDING, set())[0], "tried": True}
    lasting["attempt"] = {"passed": True, "asks_for_new_password": False, "error": None}
    temporary = {**generated_passwords([reset], WORDING, set())[0], "tried": True}
    temporary["attempt"] = {"passed": True, "asks_for_new_password": True, "error": None}
    outcome = run_check(
        "no_generated_password",
        scenario,
        {"sign_up": sign_up, "reset": reset},
        password_probe={"generated": [lasting, temporary]},
        options={"login_journey": "log_in"},
    )
    assert outcome.verdict == Verdict.FAIL and "during sign_up" in outcome.evidence
    assert len(outcome.details) == 1 and outcome.details[0].startswith("reset: WARN the email")
    assert [f["verdict"] for f in outcome.figures["findings"]] == ["FAIL", "WARN"]


def test_a_mail_that_never_came_is_not_a_pass(scenario):
    """A reset mail that never came gave PASS 'none of the 1 emails holds a password'."""
    sign_up = emailed("Welcome! Confirm your address: http://s.test/confirm/abc")
    reset = JourneyResult("p", "S", "", "reset", "account", outcome="failed", emails=[])
    reset.steps = [
        {
            "index": 0,
            "action": "expect_email",
            "label": "expect_email",
            "location": "p.journey.yaml:12:9",
            "url_before": "",
            "url_after": "",
            "started_at": 0.0,
            "duration_s": 15.0,
            "outcome": "failed",
            "counted": True,
            "screenshot": None,
            "error": "no email",
        }
    ]
    for name in ("no_generated_password", "no_password_in_email"):
        outcome = run_check(name, scenario, {"sign_up": sign_up, "reset": reset})
        assert outcome.verdict == Verdict.INCONCLUSIVE, outcome.evidence
        assert outcome.evidence.endswith(", but the email reset waited for at p.journey.yaml:12:9 never came")


def test_a_name_given_at_sign_up_counts_as_given(scenario):
    """'Hello,' without the name went unscored when the name was typed at sign-up, not in the support journey."""
    reply = "Hello,\n\nthank you for contacting us. We have received your message.\n\nAcme Cloud support team"
    ask = support("ask", QUESTION, reply)
    ask.typed = [t for t in ask.typed if t["field"] != "Name"]
    ask.started_at = 20.0
    sign_up = JourneyResult("t", "S", "", "reset", "account", typed=[{"field": "Name", "value": "Matti Virtanen"}])
    sign_up.started_at = 10.0
    outcome = run_check("support_reply", scenario, {"reset": sign_up, "ask": ask}, persona={"first_name": "Matti"})
    assert "generic greeting although the name was given" in outcome.evidence


def test_no_answer_is_not_scored_when_nothing_was_asked(scenario):
    statement = "My invoices for October are missing from the billing page. Order 4471 is affected."
    reply = "Hi Matti,\n\nthanks, we are looking into order 4471 now; ticket ACM-20931.\n\nMaria, Acme Cloud support"
    outcome = judge_support(scenario, {"ask": (statement, reply)})
    assert "no answer to the question asked" not in outcome.evidence
    assert outcome.figures["ask"]["template_criteria"] == 4
    assert outcome.verdict == Verdict.PASS, outcome.evidence
