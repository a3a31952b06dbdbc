"""Effort figures are exact: real Chromium, real local pages."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from journeytest import load_scenario
from journeytest.browser.runner import JourneyFailed, RunOptions, RunState, prepare_start, run_journey


def run_file(tmp_path: Path, browser: Browser, text: str, journey: str = "j", **option_overrides):
    path = tmp_path / "t.journey.yaml"
    path.write_text(text)
    scenario = load_scenario(path)
    run = RunState("testrun")
    options = RunOptions(output_dir=tmp_path / "out", **option_overrides)
    evidence = tmp_path / "out" / journey
    start = prepare_start(run, scenario, scenario.journeys[journey], browser, options, evidence)
    return run_journey(run, scenario, scenario.journeys[journey], browser, options, evidence, start)[0]


def scenario(site_url: str, steps: str, extra: str = "") -> str:
    return f"site: {{name: Effort, base_url: '{site_url}'}}\njourneys:\n  j:\n    kind: acquire\n    steps:\n{steps}{extra}"


def test_three_clicks_two_fields_over_two_pages(tmp_path, real_browser, site_url):
    result = run_file(
        tmp_path,
        real_browser,
        scenario(
            site_url,
            """\
      - goto: /signup.html
      - fill: {label: Email, value: a@example.com}
      - fill: {label: Password, value: "secret12"}
      - click: {label: I accept the terms}
      - click: {role: button, name: Create account}
      - expect: {url: /welcome.html}
      - click: {role: link, name: Your account}
      - expect: {text: Logged in}
""",
        ),
    )
    e = result.effort
    assert e["clicks"] == 3
    assert e["fields_filled"] == 2
    assert e["keystrokes"] == len("a@example.com") + len("secret12")
    assert e["page_loads"] == 3  # signup, welcome, account
    assert e["distinct_pages"] == 3
    assert e["actions"] == 5
    assert e["route_changes"] == 0 and e["dialogs"] == 0
    assert [s["outcome"] for s in result.steps] == ["passed"] * 8
    assert result.steps[1]["url_before"].endswith("/signup.html")


def test_select_check_and_press_are_counted_as_chosen_fields_and_keys(tmp_path, real_browser, site_url):
    result = run_file(
        tmp_path,
        real_browser,
        scenario(
            site_url,
            """\
      - goto: /signup.html
      - fill: {label: Email, value: b@example.com}
      - fill: {label: Password, value: pw}
      - select: {label: Plan, option: [Pro-paketti, Pro plan]}
      - check: {label: I accept the terms}
      - press: {label: Password, key: Enter}
      - expect: {url: "/welcome.html"}
""",
        ),
    )
    e = result.effort
    assert (e["clicks"], e["fields_filled"], e["fields_chosen"], e["key_presses"]) == (0, 2, 2, 1)
    assert e["keystrokes"] == len("b@example.com") + 2 + 1
    assert e["page_loads"] == 2 and e["distinct_pages"] == 2
    assert "plan=pro" in result.final_url


def test_single_page_app_route_changes_and_dialogs(tmp_path, real_browser, site_url):
    result = run_file(
        tmp_path,
        real_browser,
        scenario(
            site_url,
            """\
      - goto: /spa.html
      - click: {role: button, name: Billing}
      - expect: {url: /app/billing}
      - click: {role: button, name: Profile}
      - click: {role: link, name: Help}
      - expect: {visible: {role: heading, name: Help}}
      - click: {role: button, name: Contact us}
      - expect: {text: help@example.com}
      - click: {role: button, name: Close}
""",
        ),
    )
    e = result.effort
    assert e["page_loads"] == 1
    assert e["route_changes"] == 3  # /app/billing, /app/profile, #/help
    assert e["dialogs"] == 1  # the HTML <dialog> opened by "Contact us"
    assert e["distinct_pages"] == 4  # spa.html, /app/billing, /app/profile, /app/profile#/help (a hash route)
    assert e["clicks"] == 5
    assert e["screens"] == 1 + 3 + 1


def test_javascript_confirm_is_counted_and_answered(tmp_path, real_browser, site_url):
    yes = run_file(
        tmp_path,
        real_browser,
        scenario(
            site_url,
            """\
      - goto: /account.html
      - click: Cancel subscription
      - expect: {text: Cancelled}
""",
        ),
    )
    assert yes.effort["dialogs"] == 1
    no = run_file(
        tmp_path,
        real_browser,
        scenario(
            site_url,
            """\
      - goto: /account.html
      - dialog: dismiss
      - click: Cancel subscription
      - expect: {text: Not logged in}
      - expect: {not_visible: {text: Cancelled}}
""",
        ),
    )
    assert no.effort["dialogs"] == 1


def test_uncounted_steps_such_as_cookie_banners_count_in_nothing(tmp_path, real_browser, site_url):
    result = run_file(
        tmp_path,
        real_browser,
        scenario(
            site_url,
            """\
      - goto: /
      - click: Accept cookies
        count: false
      - click: Sign up
""",
        ),
    )
    assert result.effort["clicks"] == 1
    assert result.effort["uncounted_actions"] == 1


def test_slow_element_is_waited_for(tmp_path, real_browser, site_url):
    result = run_file(
        tmp_path,
        real_browser,
        scenario(
            site_url,
            """\
      - goto: /spa.html
      - click: Load report
      - expect: {text: Report ready}
""",
        ),
    )
    assert result.outcome == "passed"
    assert 1.4 < result.effort["wall_time_s"] < 8


def test_slow_element_beyond_the_step_timeout_fails_with_the_step_location(tmp_path, real_browser, site_url):
    with pytest.raises(JourneyFailed) as failure:
        run_file(
            tmp_path,
            real_browser,
            scenario(
                site_url,
                """\
      - goto: /spa.html
      - click: Load report
      - expect: {text: Report ready}
        timeout: 300ms
""",
            ),
        )
    message = str(failure.value)
    assert "t.journey.yaml:8:9" in message
    assert "expected page text to contain 'Report ready' within 0.3s" in message
    assert "page: " + "http://127.0.0.1" in message and "/spa.html" in message
    screenshot = failure.value.result.attempts[0].screenshot
    assert screenshot and Path(screenshot).stat().st_size > 1000


def test_dead_link_fails_the_step_that_followed_it(tmp_path, real_browser, site_url):
    with pytest.raises(JourneyFailed) as failure:
        run_file(
            tmp_path,
            real_browser,
            scenario(
                site_url,
                """\
      - goto: /
      - click: Old offers
""",
            ),
        )
    message = str(failure.value)
    assert "t.journey.yaml:7:9" in message
    assert "led to a broken page" in message and "missing.html answered HTTP 404" in message


def test_selector_that_matches_nothing_names_step_target_and_page(tmp_path, real_browser, site_url):
    with pytest.raises(JourneyFailed) as failure:
        run_file(
            tmp_path,
            real_browser,
            scenario(
                site_url,
                """\
      - goto: /signup.html
      - click: {role: button, name: [Register, Rekisteröidy]}
        timeout: 500ms
""",
            ),
        )
    message = str(failure.value)
    assert 't.journey.yaml:7:9: click button "Register" / "Rekisteröidy": nothing on the page matches' in message
    assert "/signup.html" in message


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_site_says_so(tmp_path, real_browser):
    with pytest.raises(JourneyFailed) as failure:
        run_file(
            tmp_path,
            real_browser,
            scenario(
                f"http://127.0.0.1:{closed_port()}",
                """\
      - goto: /
""",
            ),
        )
    assert "the site refused the connection: is it running, and is the base URL right?" in str(failure.value)


def test_dependent_journey_continues_the_logged_in_session(tmp_path, real_browser, site_url):
    text = scenario(
        site_url,
        """\
      - goto: /signup.html
      - fill: {label: Email, value: c@example.com}
      - fill: {label: Password, value: pw}
      - select: {label: Plan, option: Pro plan}
      - check: {label: I accept the terms}
      - click: Create account
      - expect: {text: Welcome aboard}
""",
        """\
  cancel:
    kind: cancel
    needs: j
    steps:
      - click: Your account
      - expect: {text: "Logged in, plan pro"}
""",
    )
    result = run_file(tmp_path, real_browser, text, journey="cancel")
    assert result.outcome == "passed"
    assert result.effort["clicks"] == 1 and result.effort["page_loads"] == 1
    assert result.effort["distinct_pages"] == 2  # resumed on welcome, then account


def test_a_label_target_finds_the_field_a_customer_sees_not_a_collapsed_twin(tmp_path, real_browser, site_url):
    """A shop's collapsed 'invoice address' section repeats 'Given name'; the visible field is the one meant."""
    steps = (
        "      - goto: /checkout.html\n      - fill: {label: Given name, value: Matti}\n"
        "      - fill: {label: Family name, value: Virtanen}\n      - click: Continue\n"
        "      - expect: {url: '**/welcome.html?given_name=Matti&family_name=Virtanen&invoice_given_name=&*'}\n"
    )
    result = run_file(tmp_path, real_browser, scenario(site_url, steps))
    assert result.outcome == "passed", result.attempts[-1].error
