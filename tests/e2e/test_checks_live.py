"""Checks through pytest and on the live demo company: real items, a real browser, the cancel search."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeytest import load_scenario
from journeytest.scenario import SiteOverrides
from journeytest.wording import Wording

# --------------------------------------------------------------------------- through pytest

CHECKED = """\
site: {{name: Effort Shop, base_url: '{url}'}}
checks:
  {checks}
journeys:
  buy:
    kind: acquire
    steps:
      - goto: /signup.html
      - fill: {{label: Email, value: a@example.com}}
      - fill: {{label: Password, value: pw}}
      - check: {{label: I accept the terms}}
      - click: Create account
  cancel:
    kind: cancel
    needs: buy
    steps:
      - click: Your account
      - dialog: accept
      - click: Cancel subscription
      - expect: {{text: Cancelled}}
"""


def test_checks_run_as_their_own_items_after_the_journeys(pytester, site_url):
    pytester.makefile(".journey.yaml", shop=CHECKED.format(url=site_url, checks="silence_after_cancel: false"))
    result = pytester.runpytest_subprocess("-v", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "*shop.journey.yaml::buy PASSED*",
            "*shop.journey.yaml::cancel PASSED*",
            "*shop.journey.yaml::check:effort_parity PASSED*",
            "*shop.journey.yaml::check:cancellation_confirmed FAILED*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*journeytest checks*",
            "FAIL  shop.journey.yaml::cancellation_confirmed: no on-screen confirmation; no confirmation email (received during the journey: no email at all)",
            "PASS  shop.journey.yaml::effort_parity: cancelling took 2 actions over 2 screens; buy took 4 over 2",
        ]
    )
    assert "silence_after_cancel" not in result.stdout.str()


def test_unknown_checks_and_options_are_located_errors(pytester, site_url):
    pytester.makefile(
        ".journey.yaml", shop=CHECKED.format(url=site_url, checks="effort_parityy: {}\n  same_medium: {max_hops: 2}")
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "*shop.journey.yaml:3:3: checks: there is no check 'effort_parityy'; known checks: * (did you mean 'effort_parity'?)",
            "*shop.journey.yaml:4:17: checks: same_medium has no option 'max_hops'; its options: none",
        ]
    )


def test_users_register_checks_in_conftest_and_warn_can_be_made_fatal(pytester, site_url):
    pytester.makeconftest("""
from journeytest.checks import check, CheckResult, Verdict

@check("cancel_is_quick", title="Cancelling takes under a minute", defaults={"max_seconds": 60}, needs_kinds=("cancel",))
def cancel_is_quick(ctx):
    cancel = ctx.of_kind("cancel")[0]
    seconds = cancel.effort["wall_time_s"]
    verdict = Verdict.WARN if seconds > ctx.options["max_seconds"] else Verdict.PASS
    return CheckResult(verdict, f"cancelling took {seconds:.1f} s", {"seconds": seconds})
""")
    pytester.makefile(
        ".journey.yaml",
        shop=CHECKED.format(url=site_url, checks="cancel_is_quick: {max_seconds: 0}\n  cancellation_confirmed: false"),
    )
    warned = pytester.runpytest_subprocess("-v", "-p", "no:cacheprovider")
    warned.stdout.fnmatch_lines(
        ["*check:cancel_is_quick WARN*", "WARN  shop.journey.yaml::cancel_is_quick: cancelling took *", "*1 warned*"]
    )
    assert warned.ret == 0
    fatal = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--fail-on-warn")
    fatal.stdout.fnmatch_lines(["*WARN cancel_is_quick: Cancelling takes under a minute*"])
    assert fatal.ret == 1


STOPPED_EARLY = """\
site: {{name: Effort Shop, base_url: '{url}'}}
defaults: {{step_timeout: 2s}}
checks:
  cancel_discoverable: false
journeys:
  buy:
    kind: acquire
    steps:
      - goto: /signup.html
      - fill: {{label: Email, value: a@example.com}}
      - fill: {{label: Password, value: pw}}
      - check: {{label: I accept the terms}}
      - click: Create account
  cancel:
    kind: cancel
    needs: buy
    steps:
      - click: Close my account
      - click: Cancel subscription
      - expect: {{text: Cancelled}}
"""


def test_checks_say_inconclusive_for_a_cancel_journey_that_never_reached_a_way_out(pytester, site_url):
    pytester.makeconftest("""
from journeytest.checks import check, CheckResult, Verdict

@check("leaving_is_polite", title="Leaving is polite", needs_kinds=("cancel",))
def leaving_is_polite(ctx):
    return CheckResult(Verdict.PASS, f"{len(ctx.of_kind('cancel'))} cancel journeys were polite")
""")
    pytester.makefile(".journey.yaml", shop=STOPPED_EARLY.format(url=site_url))
    result = pytester.runpytest_subprocess("-v", "-p", "no:cacheprovider")
    stopped = (
        'not judged: cancel stopped at step 1 (shop.journey.yaml:18:9: click text "Close my account": nothing on the '
        'page matches text "Close my account" (waited 2s)), so none of its 2 actions happened'
    )
    result.stdout.fnmatch_lines(["*shop.journey.yaml::cancel FAILED*", "*check:same_medium INCONCLUSIVE*"])
    for name in (
        "effort_parity",
        "same_medium",
        "retention_and_confirmshaming",
        "friction_devices",
        "leaving_is_polite",
    ):
        result.stdout.fnmatch_lines([f"INCONCLUSIVE  shop.journey.yaml::{name}: {stopped}"])
    assert "PASS  shop.journey.yaml::" not in result.stdout.str()
    result.stdout.fnmatch_lines(["*1 failed*inconclusive*"])


def test_the_search_finds_the_way_out_and_never_presses_the_final_confirmation(demo_company, real_browser, tmp_path):
    from journeytest.browser.runner import RunOptions, RunState, prepare_start
    from journeytest.explore.cancel import explore_way_out

    demo = Path(__file__).parents[2] / "journeytest" / "demo" / "scenarios"
    results = {}
    for variant, folder in (("fair-en", "fair"), ("dark-en", "dark")):
        scenario = load_scenario(
            demo / folder / "subscription.journey.yaml", SiteOverrides(base_url=demo_company.sites[variant])
        )
        run = RunState("search")
        options = RunOptions(output_dir=tmp_path / variant, mailbox=demo_company.mailbox)
        cancel = scenario.journeys["cancel_as_offered"]
        prepare_start(run, scenario, cancel, real_browser, options, tmp_path / variant)  # runs subscribe and buy_pro
        end = run.end_states[(scenario.path, "buy_pro")]
        found = explore_way_out(
            real_browser,
            {"base_url": scenario.site.base_url},
            "account",
            end.final_url,
            Wording.load(),
            storage_state=end.storage_state,
        )
        deeper = explore_way_out(
            real_browser,
            {"base_url": scenario.site.base_url},
            "account",
            end.final_url,
            Wording.load(),
            storage_state=end.storage_state,
            max_clicks=3,
        )
        results[variant] = (found, end, scenario, deeper)
    fair, dark, dark_deeper = results["fair-en"][0], results["dark-en"][0], results["dark-en"][3]
    assert (fair.found, fair.clicks, fair.path) == (True, 1, ["Cancel subscription"])
    assert not dark.found and dark.pages_searched >= 2  # not within the default two clicks
    assert (dark_deeper.clicks, dark_deeper.path) == (
        3,
        ["Manage subscription", "Billing & plan details", "Cancel subscription"],
    )
    assert dark_deeper.control["font_px"] == pytest.approx(11.2)

    # Start on the fair confirmation page itself: the search sees "Yes, cancel my subscription" but does not press it.
    _, end, scenario, _ = results["fair-en"]
    on_confirm = explore_way_out(
        real_browser,
        {"base_url": scenario.site.base_url},
        "account",
        scenario.site.base_url + "/cancel",
        Wording.load(),
        storage_state=end.storage_state,
    )
    assert on_confirm.found and on_confirm.control["submits"] is True
    context = real_browser.new_context(storage_state=end.storage_state)
    page = context.new_page()
    page.goto(scenario.site.base_url + "/account")
    assert "Pro plan is active" in page.inner_text("body")  # still subscribed
    context.close()


def test_a_forms_bare_cancel_is_no_way_out_but_a_cancel_link_to_the_plan_is(site_url, real_browser):
    """A wiki's edit > Cancel (abandon the edit) made cancel_discoverable PASS on a real wiki (issue 13, item 5)."""
    from journeytest.explore.cancel import explore_way_out

    on_site = {"base_url": site_url}
    editing = explore_way_out(
        real_browser, on_site, "account", f"{site_url}/wiki-edit.html", Wording.load(), max_clicks=1
    )
    assert (editing.found, editing.pages_searched) == (False, 1)
    deeper = explore_way_out(real_browser, on_site, "account", f"{site_url}/wiki-edit.html", Wording.load())
    assert deeper.found and deeper.path == ["Preferences", "Cancel"]
    assert deeper.control is not None and deeper.control["href"].endswith("/account/plan/cancel.html")
