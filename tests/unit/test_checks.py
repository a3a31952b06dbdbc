"""Checks judge recorded journeys: real screens and emails recorded from the demo company.

The fixtures were recorded by running scenarios/demo/{fair,dark}/ in a real browser;
the false-positive cases are those recordings with one screen or email changed to
what the checks catalogue names (a statutory confirm step, a data-deletion notice,
an invoice after cancelling).
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from journeytest import load_scenario
from journeytest.checks import CheckContext, Verdict
from journeytest.checks import run_check as run_spec
from journeytest.record import JourneyResult
from journeytest.registry import built_in
from journeytest.wording import Wording
from journeytest.wording.channels import forced_channel

FIXTURES = Path(__file__).parents[1] / "fixtures"
SCENARIO = """\
site: {name: Acme Cloud, base_url: "http://127.0.0.1:1"}
journeys:
  subscribe: {kind: acquire, steps: [{goto: /}]}
  buy_pro: {kind: acquire, needs: subscribe, steps: [{goto: /}]}
  cancel_as_offered: {kind: cancel, needs: buy_pro, steps: [{goto: /}]}
"""


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("s") / "recorded.journey.yaml"
    path.write_text(SCENARIO)
    return load_scenario(path)


def recorded(label: str) -> dict[str, JourneyResult]:
    return {
        r["journey"]: JourneyResult.from_json(json.dumps(r))
        for r in json.loads((FIXTURES / f"recorded-{label}.json").read_text())
    }


def run_check(name: str, scenario, results: dict[str, JourneyResult], **options):
    spec = built_in().checks[name]
    return run_spec(
        spec, CheckContext(scenario, results, {**spec.defaults, **options}, Wording.load(), date(2026, 11, 22))
    )


BUILT_IN = [
    "effort_parity",
    "same_medium",
    "retention_and_confirmshaming",
    "friction_devices",
    "cancellation_confirmed",
    "silence_after_cancel",
]


@pytest.mark.parametrize("name", BUILT_IN)
def test_the_fair_recording_passes_every_check(name, scenario):
    result = run_check(name, scenario, recorded("fair-en"))
    assert result.verdict == Verdict.PASS, result.evidence


EXPECTED_DARK = {
    "effort_parity": "cancelling took 7 actions over 6 screens; buy_pro took 2 over 2 (allowed: at most 5 actions and 4 screens)",
    "same_medium": "the cancel path ends in another channel on",
    "retention_and_confirmshaming": "shames the customer",
    "friction_devices": "a mandatory survey on",
    "cancellation_confirmed": "no on-screen confirmation; no confirmation email",
    "silence_after_cancel": "arrived after the cancellation (which was never confirmed); classified as retention: it carries List-Unsubscribe",
}


@pytest.mark.parametrize("label", ["dark-en", "dark-fi"])
@pytest.mark.parametrize("name", BUILT_IN)
def test_the_dark_recording_fails_every_check_for_its_own_reason(name, label, scenario):
    result = run_check(name, scenario, recorded(label))
    assert result.verdict == Verdict.FAIL
    assert EXPECTED_DARK[name] in result.evidence
    assert result.journey == "cancel_as_offered"


def test_effort_parity_reports_the_figures_it_compared(scenario):
    figures = run_check("effort_parity", scenario, recorded("dark-en")).figures
    assert figures == {
        "cancel_journey": "cancel_as_offered",
        "acquire_journey": "buy_pro",
        "cancel_actions": 7,
        "cancel_screens": 6,
        "acquire_actions": 2,
        "acquire_screens": 2,
        "ratio": 3.5,
    }


def test_thresholds_come_from_the_scenario(scenario):
    relaxed = run_check("effort_parity", scenario, recorded("dark-en"), max_extra_actions=10, max_extra_screens=10)
    assert relaxed.verdict == Verdict.WARN and "ratio 3.5" in relaxed.evidence


def test_a_statutory_two_step_confirmation_is_not_a_parity_failure(scenario):
    """§312k BGB wants 'Verträge hier kündigen' then 'jetzt kündigen': one step more than buying."""
    results = recorded("fair-en")
    cancel = results["cancel_as_offered"]
    cancel.effort.update(
        actions=cancel.effort["actions"] + 1,
        clicks=cancel.effort["clicks"] + 1,
        screens=cancel.effort["screens"] + 1,
        page_loads=cancel.effort["page_loads"] + 1,
    )
    result = run_check("effort_parity", scenario, results)
    assert result.verdict == Verdict.WARN and "cancelling took 3 actions over 3 screens" in result.evidence


def test_a_button_row_and_a_footer_number_are_no_forced_channel(scenario):
    """Redmine's confirm page: ' Yes  | Cancel', then 'Powered by Redmine © 2006-2022 …' (a year range)."""
    results = recorded("fair-en")
    question = results["cancel_as_offered"].screens[1]
    question["text"] += "\n\n Yes  | Cancel\n\nPowered by Example © 2006-2022 Someone\nCustomer service: 0800 123 4567"
    assert run_check("same_medium", scenario, results).verdict == Verdict.PASS


def test_the_customers_own_address_under_an_unsubscribe_heading_is_no_channel(scenario):
    """Mailman's list page: a table headed '…\tUnsubscribe' over the subscriber's own address."""
    results = recorded("fair-en")
    own = "pirkko.heikkinen@example.com"
    results["subscribe"].typed = [{"field": "Email", "value": own}]
    question = results["cancel_as_offered"].screens[1]
    question["text"] += (
        f"\nSubscription Address\tDelivery status\tManage\tUnsubscribe\n{own}\tNone\tManage Subscription"
    )
    question["text"] += f"\nUnsubscribe {own} from this list?"
    assert run_check("same_medium", scenario, results).verdict == Verdict.PASS
    assert forced_channel(f"Unsubscribe {own} from this list?", Wording.load()) is not None  # were it not theirs


def test_a_phone_call_asked_for_on_a_path_that_still_cancelled_on_the_web_is_a_warning(scenario):
    results = recorded("fair-en")
    question = results["cancel_as_offered"].screens[1]
    question["text"] += "\nTo cancel your plan, call us at 0800 123 4567."
    result = run_check("same_medium", scenario, results)
    assert result.verdict == Verdict.WARN
    assert "the cancel path also points to another channel on" in result.evidence
    assert '(by phone: "call us at 0800 123 4567"); the journey still cancelled on the web' in result.evidence


def test_a_data_deletion_notice_is_not_a_retention_offer(scenario):
    results = recorded("fair-en")
    question = results["cancel_as_offered"].screens[1]
    question["text"] += (
        "\nYour data will be deleted 30 days after your plan ends on 2026-12-22. You can come back any time."
    )
    assert run_check("retention_and_confirmshaming", scenario, results).verdict == Verdict.PASS


def test_a_real_offer_with_a_keep_button_is_a_retention_screen_even_beside_an_end_date(scenario):
    results = recorded("fair-en")
    question = results["cancel_as_offered"].screens[1]
    question["text"] += "\nBefore you go: 50% off for 3 months. Your plan ends on 2026-12-22."
    question["controls"].append(
        {
            "tag": "button",
            "type": "",
            "text": "Keep my benefits",
            "href": "",
            "required": False,
            "area": 5000,
            "name": "",
        }
    )
    result = run_check("retention_and_confirmshaming", scenario, results)
    assert (
        result.verdict == Verdict.WARN and "a retention offer stands between intent and cancellation" in result.evidence
    )
    assert result.figures == {"retention_screens": 1}


def test_an_invoice_after_cancelling_is_not_a_finding(scenario):
    results = recorded("fair-en")
    emails = results["cancel_as_offered"].emails
    invoice = copy.deepcopy(emails[0])
    invoice.update(
        id="invoice",
        subject="Your final invoice",
        received_at=emails[0]["received_at"] + 1,
        text="Hi, attached is your final invoice for November. Total 29 EUR.",
        headers={},
    )
    emails.append(invoice)
    result = run_check("silence_after_cancel", scenario, results)
    assert result.verdict == Verdict.PASS and "only a confirmation email and a transactional email" in result.evidence


def test_a_welcome_mail_after_cancelling_is_a_finding(scenario):
    results = recorded("fair-en")
    emails = results["cancel_as_offered"].emails
    welcome = copy.deepcopy(emails[0])
    welcome.update(
        id="w",
        subject="Welcome to Acme Cloud Pro!",
        received_at=emails[0]["received_at"] + 2,
        text="Get started with your new plan.",
        headers={},
    )
    emails.append(welcome)
    result = run_check("silence_after_cancel", scenario, results)
    assert (
        result.verdict == Verdict.FAIL
        and "'Welcome to Acme Cloud Pro!' arrived after the confirmation" in result.evidence
    )


def test_a_confirmation_without_an_end_date_is_a_warning_with_the_five_step_advice(scenario):
    results = recorded("fair-en")
    mail = results["cancel_as_offered"].emails[0]
    mail["text"] = "Your subscription has been cancelled. Thanks!"
    result = run_check("cancellation_confirmed", scenario, results)
    assert result.verdict == Verdict.WARN
    assert (
        "does not say when the subscription ends; the email covers 2 of the trainer's 5 steps (what_we_did, thanks)"
        in result.evidence
    )


def test_wording_matches_on_word_boundaries_after_case_folding():
    wording = Wording.load()
    assert wording.find("cancel", "CANCEL SUBSCRIPTION") == "cancel subscription"
    assert wording.find("cancel", "cancellation policy applies") is None  # 'cancel' is not a word here
    assert wording.find("cancel", "Jatka irtisanomista") == "irtisano*"  # Finnish inflects
    assert wording.find("retention", "Get 50% off today") == "% off"
    assert wording.find("cancellation_confirmation", "Your subscription was canceled.") is not None
    assert wording.find("retention", "Please wait while we load") is None  # "wait!" keeps its "!"


def test_users_extend_wording_without_code(tmp_path):
    (tmp_path / "retention.yaml").write_text("en: [don't go yet]\n")
    assert Wording.load([tmp_path]).find("retention", "Hey, don't go yet!") == "don't go yet"
    assert str(forced_channel("Please fax us", Wording.load(extra={"forced_channel": ["fax us"]}))) == (
        'through a person: "fax us"'
    )


# --------------------------------------------------------------------------- A3: the cancel search


def discovery(start="account", found=True, clicks=1, font_px=16.0, collapsed=False, **extra):
    control = {
        "text": "Cancel subscription",
        "href": "http://x/cancel",
        "font_px": font_px,
        "collapsed": collapsed,
        "area": 3000,
    }
    return {
        "start": start,
        "start_url": f"http://x/{start}",
        "logged_in": start == "account",
        "found": found,
        "clicks": clicks if found else None,
        "path": ["Cancel subscription"] if found else [],
        "control": control if found else None,
        "page": "http://x/account",
        "pages_searched": 3,
        "max_clicks": 2,
        "error": None,
        **extra,
    }


def judge_discovery(scenario, discoveries, **options):
    spec = built_in().checks["cancel_discoverable"]
    return run_spec(
        spec,
        CheckContext(
            scenario,
            recorded("fair-en"),
            {**spec.defaults, **options},
            Wording.load(),
            date(2026, 11, 22),
            {"cancel": discoveries},
        ),
    )


def test_cancel_discoverable_verdicts(scenario):
    assert judge_discovery(scenario, [discovery(), discovery("home", found=False)]).verdict == Verdict.PASS
    tiny = judge_discovery(scenario, [discovery(clicks=2, font_px=11.2)])
    assert tiny.verdict == Verdict.WARN and "rendered at 11.2 px (less than 12 px)" in tiny.evidence
    assert judge_discovery(scenario, [discovery(collapsed=True)]).verdict == Verdict.WARN
    missing = judge_discovery(scenario, [discovery(found=False, start_journey="buy_pro")])
    assert missing.verdict == Verdict.FAIL
    assert missing.evidence.startswith(
        "no cancel control within 2 clicks from where buy_pro left the customer (http://x/account) (3 pages searched)"
    )
    assert "account page" not in missing.evidence
    login_wall = judge_discovery(scenario, [discovery(), discovery("home", found=False)], require_from_home=True)
    assert login_wall.verdict == Verdict.FAIL and "without logging in" in login_wall.evidence
    assert judge_discovery(scenario, []).verdict == Verdict.SKIP


# --------------------------------------------------------------------------- A4, A5, A10: statutory rule packs


def judge_rules(scenario, results, packs, run_date=date(2026, 11, 22), discoveries=()):
    spec = built_in().checks["statutory_rules"]
    return run_spec(
        spec,
        CheckContext(
            scenario,
            results,
            {**spec.defaults, "packs": packs},
            Wording.load(),
            run_date,
            {"cancel": list(discoveries)},
        ),
    )


def test_german_rules_fail_an_english_only_cancel_path(scenario):
    result = judge_rules(
        scenario, recorded("fair-en"), ["de"], discoveries=[discovery(), discovery("home", found=False)]
    )
    assert result.verdict == Verdict.FAIL
    assert result.figures["rules"] == {
        "de-312k-entry": "FAIL",
        "de-312k-confirm": "FAIL",
        "de-312k-two-step": "PASS",
        "de-312k-no-login": "FAIL",
        "de-356a-withdraw": "WARN",
    }
    everything = " | ".join([result.evidence, *result.details])
    assert (
        "de-312k-entry (§ 312k(2) sentence 2 BGB): no control on the path reads 'Verträge hier kündigen'" in everything
    )
    assert "de-312k-no-login" in everything and "not reachable from the home page without logging in" in everything


def test_the_statutory_german_labels_pass(scenario):
    results = recorded("fair-en")
    screens = results["cancel_as_offered"].screens
    for control in screens[0]["controls"]:
        if control["text"] == "Cancel subscription":
            control["text"] = "Verträge hier kündigen"
    for control in screens[1]["controls"]:
        if control["text"].startswith("Yes, cancel"):
            control["text"] = "jetzt kündigen"
    result = judge_rules(scenario, results, ["de"], discoveries=[discovery(), discovery("home", clicks=2)])
    assert result.figures["rules"]["de-312k-entry"] == "PASS" and result.figures["rules"]["de-312k-confirm"] == "PASS"
    assert result.figures["rules"]["de-312k-no-login"] == "PASS"


def test_rules_not_yet_in_force_or_struck_down_say_so_instead_of_failing(scenario):
    before = judge_rules(scenario, recorded("fair-en"), ["eu"], run_date=date(2026, 1, 1))
    assert before.verdict == Verdict.PASS and "not in force until 2026-06-19" in before.evidence
    vacated = judge_rules(scenario, recorded("dark-en"), ["us-ftc"])
    assert vacated.verdict == Verdict.PASS and "struck down on 2025-07-08" in vacated.evidence
    in_force = judge_rules(scenario, recorded("fair-en"), ["eu"])
    assert in_force.verdict == Verdict.WARN and "no withdraw journey in this file" in in_force.evidence


def test_an_equivalent_wording_is_a_warning(scenario):
    results = recorded("fair-en")
    for control in results["cancel_as_offered"].screens[0]["controls"]:
        if control["text"] == "Cancel subscription":
            control["text"] = "Vertrag kündigen"
    result = judge_rules(scenario, results, ["de"])
    assert result.figures["rules"]["de-312k-entry"] == "WARN"
    assert (
        "'Vertrag kündigen' is not the statutory 'Verträge hier kündigen' (an equivalent wording: courts differ)"
        in " | ".join([result.evidence, *result.details])
    )


def test_california_accepts_words_to_that_effect_but_wants_them_prominent(scenario):
    assert judge_rules(scenario, recorded("fair-en"), ["ca"]).verdict == Verdict.PASS
    for label in ("dark-en", "dark-fi"):
        tiny = judge_rules(scenario, recorded(label), ["ca"])
        assert tiny.verdict == Verdict.FAIL and "is not prominently located: rendered at 11.2 px" in tiny.evidence


def test_rule_packs_are_chosen_in_the_scenario_and_checked_by_the_schema(tmp_path):
    path = tmp_path / "r.journey.yaml"
    path.write_text(SCENARIO.replace("journeys:", "rules: [de, eu]\njourneys:"))
    assert load_scenario(path).rules == ("de", "eu")
    path.write_text(SCENARIO.replace("journeys:", "rules: [dee]\njourneys:"))
    with pytest.raises(
        Exception, match=r"found 'dee', expected one of: de, eu, fr, ca, us-ftc \(did you mean 'de'\?\)"
    ):
        load_scenario(path)


def test_a_late_confirmation_is_a_warning(scenario):
    results = recorded("fair-en")
    results["cancel_as_offered"].emails[0]["received_at"] = results["cancel_as_offered"].ended_at + 3600
    result = run_check("cancellation_confirmed", scenario, results, within="15m")
    assert result.verdict == Verdict.WARN and "arrived 3600 s after the cancellation, later than 15m" in result.evidence


@pytest.mark.parametrize(
    "concept, text",
    [
        ("cancellation_confirmation", "The order has been canceled."),  # a real shop's US spelling
        ("cancellation_confirmation", "Your account has been permanently deleted."),  # Redmine
        ("cancellation_confirmation", "news@example.com has been unsubscribed from this list."),  # Postorius
        ("cancel", "Delete my account"),  # Redmine
        ("cancel", "Delete account"),  # Trac's <input type=submit>
        ("cancel", "Unsubscribe"),
        ("legitimate_information", "Your account will be permanently deleted."),  # informs, does not retain
        ("password_reset", "To change your password, click on the following link:"),  # Redmine's reset mail
    ],
)
def test_the_ways_real_sites_say_it(concept, text):
    assert Wording.load().find(concept, text) is not None


def test_silence_after_cancel_says_what_arrived_in_plain_words(scenario):
    results = recorded("fair-en")
    cancel = results["cancel_as_offered"]
    assert (
        run_check("silence_after_cancel", scenario, results).evidence
        == "after cancelling, only a confirmation email arrived"
    )
    cancel.emails = []
    assert run_check("silence_after_cancel", scenario, results).evidence == "no email arrived after cancelling"


def test_cancel_discoverable_is_asked_only_where_leaving_is_in_question(tmp_path):
    """It ran, and failed, for files with no cancel journey and no request for it, against the docs."""
    spec = built_in().checks["cancel_discoverable"]
    head = "site: {name: S, base_url: 'http://127.0.0.1:1'}\n"
    sign_up_only = tmp_path / "a.journey.yaml"
    sign_up_only.write_text(head + "journeys:\n  join: {kind: acquire, steps: [{goto: /}]}\n")
    asked = tmp_path / "b.journey.yaml"
    asked.write_text(
        head
        + "checks: {cancel_discoverable: {max_clicks: 3}}\njourneys:\n  join: {kind: acquire, steps: [{goto: /}]}\n"
    )
    assert not spec.applies_to(load_scenario(sign_up_only), spec.defaults)
    assert spec.applies_to(load_scenario(asked), spec.defaults)


ONE_OFF_SCREEN = (
    "Home · Shop · My orders · Log out\nOrder #1042\nThe order has been canceled.\nA refund of 24.00 EUR is on its way."
)
ONE_OFF_MAIL = (
    "Hello Rosie,\n\nyour order #1042 was canceled at your request. We refund 24.00 EUR to your card.\n\nThanks!"
)


def one_off_order(results: dict[str, JourneyResult]) -> dict[str, JourneyResult]:
    """The fair recording as a shop's one-off order would say it, in American spelling and with no end date."""
    cancel = results["cancel_as_offered"]
    for screen in cancel.screens:
        screen["text"] = "Home · Shop · My orders · Log out\nOrder #1042\nCancel order"
    cancel.screens[-1]["text"] = ONE_OFF_SCREEN
    cancel.emails[0].update(subject="Order canceled: #1042", text=ONE_OFF_MAIL)
    return results


def test_american_spelling_confirms_a_cancellation_too(scenario):
    """'The order has been canceled.' and 'Order canceled: …' gave A8 FAIL 'no on-screen confirmation; no email'."""
    result = run_check("cancellation_confirmed", scenario, one_off_order(recorded("fair-en")))
    assert result.figures["on_screen"] and result.figures["email"]
    silence = run_check("silence_after_cancel", scenario, one_off_order(recorded("fair-en")))
    assert silence.figures["kinds"] == ["confirmation"]


def test_a_one_off_order_is_not_asked_when_its_subscription_ends(scenario):
    result = run_check("cancellation_confirmed", scenario, one_off_order(recorded("fair-en")))
    assert result.verdict == Verdict.PASS, result.evidence
    assert "when the subscription ends" not in result.evidence and "no end date to state" in result.evidence
    recurring = one_off_order(recorded("fair-en"))
    recurring["cancel_as_offered"].emails[0]["text"] = "Your membership was canceled. We are sorry to see you go."
    warned = run_check("cancellation_confirmed", scenario, recurring)
    assert warned.verdict == Verdict.WARN and "does not say when the subscription ends" in warned.evidence


@pytest.mark.parametrize(
    "text",
    ["Your subscription has been canceled.", "We have received your cancelation.", "Your plan was canceled today."],
)
def test_both_spellings_read_as_one(text):
    assert Wording.load().find("cancellation_confirmation", text)
