"""One bad file fails alone: every file of the hostile corpus (tests/fixtures/hostile/) is a located problem
naming the file itself, never a traceback; the valid files beside them load."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeytest.errors import ScenarioError, SettingsError
from journeytest.registry import built_in
from journeytest.scenario import SiteOverrides
from journeytest.scenario.loader import load_scenario
from journeytest.scenario.yamlsource import MAX_FILE_BYTES
from journeytest.settings import Settings

pytestmark = pytest.mark.unit
HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
OVERRIDES = SiteOverrides(base_url="http://127.0.0.1:9", check_environment=True)
BAD = sorted(p for p in HOSTILE.glob("*.journey.yaml") if not p.name.startswith("valid-"))


def test_the_corpus_holds_at_least_sixty_hostile_files():
    assert len(BAD) >= 60


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name.removesuffix(".journey.yaml"))
def test_a_hostile_file_is_one_located_problem_naming_the_file(path, monkeypatch):
    monkeypatch.delenv("JOURNEYTEST_HOSTILE_UNSET", raising=False)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path, OVERRIDES, built_in().checks)
    first = str(raised.value).splitlines()[1].strip()
    assert first.startswith(f"{path}:"), first
    line, column = first.removeprefix(f"{path}:").split(":")[:2]
    assert line.isdigit() and column.isdigit(), first


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("bomb-billion-laughs", "the file stands for more than 20,000 values (aliases like '*name' repeat"),
        ("bomb-recursive-alias", "an alias ('*name') refers to the block that holds it"),
        ("nesting-flow-10000", "the file is nested more than 50 levels deep"),
        ("char-nul", "the file holds a control character (NUL, U+0000), which YAML does not allow"),
        ("tag-python-object", "YAML tag tag:yaml.org,2002:python/object/apply:os.system is not supported"),
        ("encoding-utf16", "the file is not UTF-8 text"),
        ("timeout-step-zero", "timeout: 0 is less than or equal to the minimum of 0"),
        ("timeout-default-zero-ms", "defaults, step_timeout: found '0ms', expected"),
        ("ref-persona-locale", "persona.locale 'zz_ZZ' is not a locale Faker knows"),
        ("ref-persona-password-env-unset", "persona.password uses {env.JOURNEYTEST_HOSTILE_UNSET}, and"),
        ("ref-persona-email-names-password", "persona.email may use {unique}, {run_id}, {first_name}, {last_name}"),
        ("type-check-option", "checks: effort_parity: max_extra_actions is 'many'; expected a number (default 3)"),
    ],
)
def test_the_problem_says_what_is_wrong_for_a_product_owner(name, says, monkeypatch):
    monkeypatch.delenv("JOURNEYTEST_HOSTILE_UNSET", raising=False)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(HOSTILE / f"{name}.journey.yaml", OVERRIDES, built_in().checks)
    assert says in str(raised.value)


def test_a_variable_the_persona_needs_is_only_required_where_the_run_has_an_environment(monkeypatch):
    path = HOSTILE / "ref-persona-password-env-unset.journey.yaml"
    monkeypatch.delenv("JOURNEYTEST_HOSTILE_UNSET", raising=False)
    load_scenario(path, SiteOverrides(base_url="http://127.0.0.1:9"), built_in().checks)  # a library call
    monkeypatch.setenv("JOURNEYTEST_HOSTILE_UNSET", "s3cret")
    load_scenario(path, OVERRIDES, built_in().checks)  # the run, with the variable set


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.journey.yaml"
    path.write_text("site: {name: Big}\njourneys: {}\n# " + "x" * MAX_FILE_BYTES + "\n")
    with pytest.raises(ScenarioError, match=r"huge.journey.yaml:1:1: the file is 1\.0 MB; a scenario file may be"):
        load_scenario(path, OVERRIDES, built_in().checks)


@pytest.mark.parametrize("path", sorted(HOSTILE.glob("valid-*.journey.yaml")), ids=lambda p: p.name)
def test_the_valid_files_beside_them_load(path):
    assert load_scenario(path, OVERRIDES, built_in().checks).journeys


@pytest.mark.parametrize("value", ["0s", "0.0s", "0ms"])
def test_a_step_timeout_of_zero_on_the_command_line_is_refused(value):
    with pytest.raises(SettingsError, match="is no timeout \\(0 would wait forever\\)"):
        Settings.resolve({"step_timeout_s": value}, {}, {})


def test_a_journeys_deadline_is_twice_what_its_steps_may_wait_plus_a_margin(tmp_path):
    from journeytest.browser.watchdog import journey_deadline_s

    path = tmp_path / "deadline.journey.yaml"
    path.write_text(
        "site: {name: S, base_url: 'http://127.0.0.1:9'}\ndefaults: {step_timeout: 2s}\njourneys:\n  j:\n"
        "    kind: other\n    steps:\n      - goto: /\n      - wait: 3s\n      - click: Go\n        timeout: 5s\n"
        "      - expect_email: {subject: Hi, within: 30s}\n"
    )
    scenario = load_scenario(path, OVERRIDES, built_in().checks)
    # goto 2 + wait (2 + 3) + click 5 + email (2 + 30) = 44 s of budget
    assert journey_deadline_s(scenario.journeys["j"], scenario.step_timeout_s) == 2 * 44 + 10
