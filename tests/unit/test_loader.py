"""Scenario validation: every bad input gets a located, plain-language message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeytest import load_scenario
from journeytest.cli import main
from journeytest.errors import ScenarioError
from journeytest.scenario import SiteOverrides, Target
from journeytest.scenario.schema import SCHEMA_FILE, schema_json

HEAD = "site: {name: Shop, base_url: 'http://127.0.0.1:8000'}\njourneys:\n"


def problems(
    tmp_path: Path, text: str, name: str = "s.journey.yaml", overrides: SiteOverrides | None = None
) -> list[str]:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ScenarioError) as error:
        load_scenario(path, overrides)
    return [str(p).replace(str(tmp_path) + "/", "") for p in error.value.problems]


def test_invalid_yaml_names_line_and_column(tmp_path):
    found = problems(tmp_path, HEAD + "  a:\n    kind: other\n    steps:\n      - goto: /\n     - click: x\n")
    assert found == [
        "s.journey.yaml:7:6: this is not valid YAML: this line's indentation does not line up with the lines above it "
        "(check indentation and that every 'key: value' has a space after the colon)"
    ]


def test_yaml_tabs_and_stray_colons_are_explained(tmp_path):
    assert "a tab character; YAML is indented with spaces only" in problems(tmp_path, HEAD + "  a:\n\tkind: other\n")[0]
    assert "a ':' where none was expected" in problems(tmp_path, HEAD + "  a:\n    kind: other: x\n")[0]


def test_unknown_step_suggests_the_closest_one(tmp_path):
    found = problems(
        tmp_path, HEAD + "  a:\n    kind: other\n    steps:\n      - goto: /\n      - chek: {label: Terms}\n"
    )
    assert found == [
        "s.journey.yaml:7:9: unknown step 'chek' in journey 'a', step 2; expected one of: goto, click, fill, select, "
        "check, uncheck, press, expect, wait, screenshot, dialog, expect_email, expect_no_email, open_email_link, reply_email, capture, include (did you mean 'check'?)"
    ]


def test_wrong_types_say_what_was_found_and_expected(tmp_path):
    found = problems(
        tmp_path,
        HEAD
        + "  a:\n    kind: other\n    retries: lots\n    steps:\n      - goto: [/, /x]\n      - fill: {label: Email}\n",
    )
    assert found == [
        "s.journey.yaml:5:14: journey 'a', retries: found 'lots', expected a whole number",
        "s.journey.yaml:7:15: journey 'a', step 1, goto: found a list, expected text",
        "s.journey.yaml:8:9: 'value' is missing in journey 'a', step 2, fill ('fill' needs the text to type in 'value:')",
    ]


def test_missing_top_level_keys_and_bad_enum(tmp_path):
    assert problems(tmp_path, "site: {name: S, base_url: 'http://x'}\n") == [
        "s.journey.yaml:1:1: 'journeys' is missing in the top level (add 'journeys:' with at least one named journey)"
    ]
    assert problems(tmp_path, HEAD + "  a:\n    kind: purchase\n    steps: [{goto: /}]\n") == [
        "s.journey.yaml:4:11: journey 'a', kind: found 'purchase', expected one of: acquire, cancel, support, account, other"
    ]


def test_missing_base_url(tmp_path):
    assert problems(tmp_path, "site: {name: Shop}\njourneys:\n  a: {kind: other, steps: [{goto: /}]}\n") == [
        "s.journey.yaml:1:1: site 'Shop' has no base URL; expected 'base_url: https://…' under 'site:' "
        "(or pass --base-url URL, or set JOURNEYTEST_BASE_URL)"
    ]
    path = tmp_path / "ok.journey.yaml"
    path.write_text("site: {name: Shop}\njourneys:\n  a: {kind: other, steps: [{goto: /}]}\n")
    assert load_scenario(path, SiteOverrides(base_url="http://127.0.0.1:1/")).site.base_url == "http://127.0.0.1:1"


def test_include_cycle_is_shown_as_a_chain(tmp_path):
    text = (
        HEAD.replace("journeys:\n", "blocks:\n  a: {steps: [{include: b}]}\n  b: {steps: [{include: a}]}\njourneys:\n")
        + "  j:\n    kind: other\n    steps:\n      - include: a\n"
    )
    assert problems(tmp_path, text) == [
        "s.journey.yaml:4:15: include cycle: a -> b -> a (a block must not include itself, directly or through others)"
    ]


def test_include_of_unknown_block_and_bad_params(tmp_path):
    text = (
        HEAD.replace(
            "journeys:\n",
            "blocks:\n  log_in:\n    params: [email]\n    steps: [{fill: {label: Email, value: '{params.email}'}}]\njourneys:\n",
        )
        + "  j:\n    kind: other\n    steps:\n      - include: login\n      - include: {block: log_in, with: {mail: x}}\n"
    )
    assert problems(tmp_path, text) == [
        "s.journey.yaml:10:9: include: there is no block 'login' (blocks here: log_in) (did you mean 'log_in'?)",
        "s.journey.yaml:11:9: include 'log_in': unknown parameter mail; the block takes: email",
        "s.journey.yaml:11:9: include 'log_in': parameter email is missing (give it under 'with:')",
    ]


def test_needs_a_journey_that_does_not_exist(tmp_path):
    text = (
        HEAD
        + "  sign_up: {kind: acquire, steps: [{goto: /}]}\n  cancel:\n    kind: cancel\n    needs: signup\n    steps: [{goto: /}]\n"
    )
    assert problems(tmp_path, text) == [
        "s.journey.yaml:6:12: journey 'cancel' needs 'signup', which is not in this file (journeys here: sign_up, cancel) (did you mean 'sign_up'?)"
    ]


def test_needs_in_a_circle(tmp_path):
    text = HEAD + "  a: {kind: other, needs: b, steps: [{goto: /}]}\n  b: {kind: other, needs: a, steps: [{goto: /}]}\n"
    assert "journeys need each other in a circle: a -> b -> a" in problems(tmp_path, text)[0]


def test_unknown_placeholders_and_roles(tmp_path):
    text = (
        HEAD + "  a:\n    kind: other\n    steps:\n      - fill: {label: Email, value: '{persona.emial}'}\n"
        "      - fill: {label: Name, value: '{persona_name}'}\n      - click: {role: buton, name: Go}\n"
    )
    assert problems(tmp_path, text) == [
        "s.journey.yaml:6:37: journey 'a', step 1, fill, value: {persona.emial} is unknown: persona has name, first_name, last_name, "
        "email, password, new_password, phone, address, street_address, city, postcode, country, company, username (did you mean {persona.email}?)".replace(
            " (did", "; did"
        ).replace("?)", "?"),
        "s.journey.yaml:7:36: journey 'a', step 2, fill, value: unknown placeholder {persona_name}: expected one of {persona.…}, "
        "{env.…}, {run.…}, {site.…}, {params.…}, {captured.…}; did you mean {persona.name}?",
        "s.journey.yaml:8:23: journey 'a', step 3, click: 'buton' is not an ARIA role (did you mean 'button'?)",
    ]


def test_a_step_does_one_thing_and_a_target_needs_one_locator(tmp_path):
    text = (
        HEAD
        + "  a:\n    kind: other\n    steps:\n      - goto: /\n        click: Next\n      - click: {label: A, text: B}\n"
    )
    assert problems(tmp_path, text) == [
        "s.journey.yaml:6:9: journey 'a', step 1 does more than one thing (goto and click) (a step does one thing: split it into separate steps)",
        "s.journey.yaml:8:9: journey 'a', step 2, click: a target needs exactly one of role, label, text, placeholder, testid, alt, title, css "
        "(or 'any'); found label and text (use 'any:' with a list to give alternatives)",
    ]


def test_duplicate_keys_are_reported(tmp_path):
    found = problems(
        tmp_path, HEAD + "  a: {kind: other, steps: [{goto: /}]}\n  a: {kind: other, steps: [{goto: /}]}\n"
    )
    assert found == [
        "s.journey.yaml:4:3: 'a' appears twice in the same block (YAML keeps only the last one; remove or rename one)"
    ]


def test_targets_and_alternatives_are_normalised(tmp_path):
    path = tmp_path / "ok.journey.yaml"
    path.write_text(
        HEAD + "  a:\n    kind: cancel\n    tags: [nightly]\n    steps:\n"
        "      - click: {role: button, name: [Cancel, Irtisano]}\n"
        "      - click: {any: [{text: Cancel}, {testid: cancel}], within: {role: main}}\n"
    )
    steps = load_scenario(path).journeys["a"].steps
    assert steps[0].args.target == Target("role", ("button",), ("Cancel", "Irtisano"))
    assert steps[0].args.target.describe() == 'button "Cancel" / "Irtisano"'
    assert steps[1].args.target.strategy == "any" and steps[1].args.target.within == Target("role", ("main",))


def test_validate_command_reports_every_file(tmp_path, capsys):
    (tmp_path / "good.journey.yaml").write_text(HEAD + "  a: {kind: other, steps: [{goto: /}]}\n")
    (tmp_path / "bad.journey.yaml").write_text(HEAD + "  a: {kind: other, steps: [{gooto: /}]}\n")
    assert main(["validate", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert "ok  " in out and "good.journey.yaml: 1 journey, 1 step" in out and "1 of 2 scenario files are valid" in out
    assert "bad.journey.yaml:3:29: unknown step 'gooto'" in err and "did you mean 'goto'?" in err


def test_schema_command_prints_the_shipped_schema(capsys):
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed)["title"].startswith("journeytest scenario")
    assert SCHEMA_FILE.read_text() == schema_json() == printed, (
        "run: journeytest schema > journeytest/scenario.schema.json"
    )


def test_every_bundled_scenario_is_valid(capsys):
    """The demo and the ready-to-adapt examples (subscription, shop, telecom) stay valid."""
    root = Path(__file__).parents[2]
    assert main(["validate", str(root / "scenarios"), str(root / "journeytest" / "demo" / "scenarios")]) == 0
    out = capsys.readouterr().out
    for name in (
        "subscription-service",
        "online-shop",
        "telecom-operator",
        "acme",
        "dark/subscription",
        "fair/subscription",
    ):
        assert f"{name}.journey.yaml" in out
