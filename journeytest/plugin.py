"""The pytest plugin: scenario files become test items.

Only files ending in `.journey.yaml` / `.journey.yml` are collected, never
other YAML (CI workflows, compose files). Each journey is a pytest test; a
file that cannot be loaded becomes one failing item of its own, so the other
files still run. The browser comes from pytest-playwright's fixtures, so its
options (--headed, --slowmo, --browser-channel, --tracing, connect_options,
browser_context_args) work here as users know them.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Generator, Iterator
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser
from slugify import slugify

from . import __version__, templating
from .browser import choose_browser
from .checks.base import REGISTRY, CheckContext, CheckResult, CheckSpec, Verdict, load_plugins
from .checks.wording import Wording
from .crawl import crawl_contacts
from .errors import JourneyTestError, ScenarioError
from .explore import discover_cancel
from .history import HistoryError, last_run_of, record_run, regressions
from .loader import SiteOverrides, is_scenario_file, load_scenario, parse_duration
from .mail.mailbox import MailboxError, open_mailbox
from .mail.message import mask_message, parse_email
from .mail.sink import SmtpSink
from .model import Journey, Scenario, Target
from .password_probe import probe_passwords
from .record import JourneyResult
from .report import render_report
from .results import ResultsWriter, mask_tree, read_results
from .runner import (
    JourneyFailed,
    PrerequisiteFailed,
    RunOptions,
    RunState,
    email_summary,
    payment_refuser,
    prepare_start,
    run_journey,
)
from .secrets import mask

RUN_STATE = pytest.StashKey[RunState]()
MAILBOX_SPEC = pytest.StashKey[str | None]()
SINK = pytest.StashKey[SmtpSink]()
RESULT_PROPERTY = "journeytest_result"
CHECK_PROPERTY = "journeytest_check"
REGRESSION_PROPERTY = "journeytest_regression"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("journeytest", "journeytest (customer journeys from *.journey.yaml)")
    group.addoption("--browser-path", default=None, metavar="PATH",
                    help="Chromium/Chrome binary to drive (default: Playwright's own, else a system Chromium). "
                         "Env: JOURNEYTEST_BROWSER_PATH.")
    group.addoption("--site-env", default=None, metavar="NAME",
                    help="Use the base URL the scenario lists under site.environments.NAME (e.g. staging). "
                         "Env: JOURNEYTEST_SITE_ENV.")
    group.addoption("--journey-retries", type=int, default=None, metavar="N",
                    help="Retries for a failing journey when its file does not say (default 0). "
                         "A journey that passes on a retry is reported as 'flaky'.")
    group.addoption("--step-timeout", default=None, metavar="DURATION",
                    help="How long each step may wait for the page, e.g. 5s (overrides the scenario files).")
    group.addoption("--smtp-sink", default=None, metavar="[HOST:]PORT",
                    help="Start journeytest's SMTP sink on 127.0.0.1:PORT (0: any free port) and read mail from it; "
                         "point the site's SMTP there. Messages are kept in --mail-store.")
    group.addoption("--mail-store", default=None, metavar="DIR",
                    help="Where the SMTP sink keeps messages (default: journeytest-results/mail/RUN_ID). Not inside "
                         "--output, which pytest-playwright empties at the start of every session.")
    group.addoption("--fail-on-warn", action="store_true", default=False,
                    help="Make a check that ends in WARN fail the run (by default WARN passes and is listed in the summary).")
    group.addoption("--wording-dir", action="append", default=[], metavar="DIR",
                    help="A folder of extra wording lists (CONCEPT.yaml with a list per language) for the checks.")
    group.addoption("--journeytest-results", default="journeytest-results/results.jsonl", metavar="PATH",
                    help="The results file (JSON Lines, schema: `journeytest schema --results`), one line written as each "
                         "journey or check finishes, so a run that is killed half-way keeps what it finished "
                         "(default: journeytest-results/results.jsonl; 'none' to write none).")
    group.addoption("--journeytest-report", default=None, metavar="PATH",
                    help="The self-contained HTML report written at the end (default: report.html beside the results file; "
                         "'none' to write none).")
    group.addoption("--history", default="journeytest-results/history.sqlite", metavar="PATH",
                    help="SQLite file that remembers every run's figures; journeys and checks that got worse since the "
                         "last run are reported as failures (history:regressions). 'none' to turn it off.")
    group.addoption("--step-screenshots", choices=["screens", "on", "off"], default="screens",
                    help="Pictures of the steps for the HTML report: 'screens' (default) takes one whenever a step leads to "
                         "a new screen and shows it for the steps on that screen; 'on' takes one after every step "
                         "(about 40 ms each); 'off' takes none.")
    group.addoption("--user-agent", default=None, metavar="TEXT",
                    help="The browser's user agent (default: the browser's own, followed by journeytest/VERSION, so site "
                         "owners can tell an audit from a customer).")
    group.addoption("--action-interval", default=None, metavar="DURATION",
                    help="Wait at least this long between actions (e.g. 1s), to go easy on a production site.")
    group.addoption("--allow-payments", action="store_true", default=False,
                    help="Let journeys press buttons that pay or order even where the scenario does not say "
                         "allow_payments: true (by default such a click is refused).")
    group.addoption("--dry-run", action="store_true", default=False,
                    help="Validate every file and resolve every placeholder, list the steps (and any that would pay), "
                         "but open no browser and send nothing.")
    group.addoption("--mailbox", default=None, metavar="SPEC",
                    help="Read mail from dir:PATH (a sink's store), imap://USER@HOST:PORT/FOLDER (password in "
                         "JOURNEYTEST_IMAP_PASSWORD) or mailpit://HOST:PORT / mailhog://HOST:PORT. Env: JOURNEYTEST_MAILBOX.")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "journey(kind): a customer journey collected from a *.journey.yaml file")
    worker_input = getattr(config, "workerinput", None)
    run_id = worker_input.get("journeytest_run_id") if worker_input else None
    config.stash[RUN_STATE] = RunState(run_id or time.strftime("%Y%m%d%H%M%S") + secrets.token_hex(2))
    config.stash[MAILBOX_SPEC] = worker_input.get("journeytest_mailbox") if worker_input else _start_mail_capture(config)
    results_path = _path_option(config, "--journeytest-results")
    if results_path is not None and worker_input is None:
        header = {"journeytest_version": __version__,
                  "environment": config.getoption("--site-env", default=None) or os.environ.get("JOURNEYTEST_SITE_ENV"),
                  "options": {"dry_run": config.getoption("--dry-run", default=False),
                              "tracing": config.getoption("--tracing", default="off"),
                              "retries": config.getoption("--journey-retries", default=None)}}
        config.pluginmanager.register(RunRecorder(config, results_path, config.stash[RUN_STATE].run_id, header),
                                      "journeytest-results")
    # Journeys that build on each other must share a worker: xdist's loadgroup keeps each chain together.
    if getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadgroup"


def _path_option(config: pytest.Config, name: str) -> Path | None:
    value = config.getoption(name, default=None)
    return None if value is None or str(value).lower() in ("", "none", "off") else Path(value).absolute()


def _start_mail_capture(config: pytest.Config) -> str | None:
    """Start the SMTP sink when asked; it lives as long as this (controller) process's run."""
    sink_option = config.getoption("--smtp-sink", default=None)
    if sink_option is not None and not config.getoption("--dry-run", default=False):
        host, _, port = sink_option.rpartition(":")
        run_id = config.stash[RUN_STATE].run_id
        store = Path(config.getoption("--mail-store") or Path("journeytest-results") / "mail" / run_id).absolute()
        sink = SmtpSink(store, host=host or "127.0.0.1", port=int(port) or None).start()
        config.add_cleanup(sink.stop)
        config.stash[SINK] = sink
        return f"dir:{store}"
    return config.getoption("--mailbox", default=None) or os.environ.get("JOURNEYTEST_MAILBOX") or None


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = []
    sink = config.stash.get(SINK, None)
    if sink is not None:
        lines.append(f"journeytest: SMTP sink listening on {sink.host}:{sink.port}, storing mail in {sink.store}")
    elif config.stash.get(MAILBOX_SPEC, None):
        lines.append(f"journeytest: reading mail from {open_mailbox(config.stash[MAILBOX_SPEC]).describe()}")
    return lines


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Give every xdist worker the controller's run id (one run, one set of unique personas) and mailbox."""
    node.workerinput["journeytest_run_id"] = node.config.stash[RUN_STATE].run_id
    node.workerinput["journeytest_mailbox"] = node.config.stash[MAILBOX_SPEC]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Our own grouping scheduler (see parallel.py for why xdist's loadgroup is not enough)."""
    if getattr(config.option, "dist", None) != "loadgroup":
        return None
    from .parallel import JourneyScheduling

    return JourneyScheduling(config, log)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_scenario_file(file_path):
        return JourneyFile.from_parent(parent, path=file_path)
    return None


def _display_path(config: pytest.Config, path: Path) -> str:
    try:
        return os.path.relpath(path, config.invocation_params.dir)
    except ValueError:
        return str(path)


def site_overrides(config: pytest.Config) -> SiteOverrides:
    return SiteOverrides.from_environment(config.getoption("--base-url", default=None),
                                          config.getoption("--site-env", default=None))


class JourneyFile(pytest.File):
    """One scenario file: an item per journey, prerequisites first."""

    def collect(self) -> Iterator[pytest.Item]:
        display = _display_path(self.config, self.path)
        try:
            scenario = load_scenario(display, site_overrides(self.config))
        except ScenarioError as error:
            yield ScenarioErrorItem.from_parent(self, name="scenario-file", error=error)
            return
        step_timeout = self.config.getoption("--step-timeout", default=None)
        if step_timeout:
            scenario = _with_step_timeout(scenario, parse_duration(step_timeout))
        if self.config.getoption("--dry-run"):
            for journey in scenario.ordered_journeys():
                yield DryRunItem.from_parent(self, name=journey.name, scenario=scenario, journey=journey)
            return
        checks = applicable_checks(scenario)
        search = next((options for spec, options in checks if spec.name == "cancel_discoverable"), None)
        search_after = _search_start(scenario) if search is not None else None
        for journey in scenario.ordered_journeys():
            item = JourneyItem.from_parent(self, name=journey.name, callobj=_run_journey_item,
                                           scenario=scenario, journey=journey)
            item.add_marker(pytest.mark.journey(journey.kind))
            # Checks read every journey of the file, so a file with checks stays on one worker.
            group = display if checks else f"{display}::{scenario.chain_root(journey.name)}"
            item.add_marker(pytest.mark.xdist_group(name=group))
            for tag in journey.tags:
                self.config.addinivalue_line("markers", f"{tag}: tag from scenario files")
                item.add_marker(tag)
            yield item
            if journey.name == search_after:
                # Search while there is still something to cancel: before any cancel journey runs.
                explore = ExploreItem.from_parent(self, name="explore:cancel", callobj=_run_cancel_search, scenario=scenario,
                                                  options=search, start_journey=journey.name)
                explore.add_marker(pytest.mark.xdist_group(name=display))
                yield explore
        probed = {spec.name: options for spec, options in checks if spec.name in ("no_generated_password", "password_reset")}
        if probed:
            probe = PasswordProbeItem.from_parent(self, name="explore:passwords", callobj=_run_password_probe,
                                                  scenario=scenario, options=probed)
            probe.add_marker(pytest.mark.xdist_group(name=display))
            yield probe
        contact = next((options for spec, options in checks if spec.name == "contact_details"), None)
        if contact is not None:
            explore = ContactSearchItem.from_parent(self, name="explore:contact", callobj=_run_contact_search,
                                                    scenario=scenario, options=contact)
            explore.add_marker(pytest.mark.xdist_group(name=display))
            yield explore
        for spec, options in checks:
            check_item = CheckItem.from_parent(self, name=f"check:{spec.name}", scenario=scenario, spec=spec, options=options)
            check_item.add_marker(pytest.mark.xdist_group(name=display))
            yield check_item
        history = _path_option(self.config, "--history")
        try:
            remembered = history is not None and last_run_of(history, scenario.path, "") is not None
        except HistoryError as error:
            raise pytest.UsageError(str(error)) from None
        if remembered:
            regression = RegressionItem.from_parent(self, name="history:regressions", scenario=scenario, history=history)
            regression.add_marker(pytest.mark.xdist_group(name=display if checks else f"{display}::history"))
            yield regression


def _search_start(scenario: Scenario) -> str | None:
    """The acquire journey whose end state the cancel search starts from."""
    ordered = scenario.ordered_journeys()
    for journey in ordered:
        nearest = scenario.nearest_before(journey.name, "acquire") if journey.kind == "cancel" else None
        if nearest is not None:
            return nearest.name
    acquires = [j.name for j in ordered if j.kind == "acquire"]
    return acquires[-1] if acquires else None


def applicable_checks(scenario: Scenario) -> list[tuple[CheckSpec, dict[str, Any]]]:
    """The registered checks this file gets, with their options (defaults, then the file's)."""
    if scenario.checks_off:
        return []
    load_plugins()
    kinds = {j.kind for j in scenario.journeys.values()}
    chosen = []
    for name, spec in REGISTRY.items():
        configured = scenario.checks.get(name, {})
        if configured is None or (spec.needs_kinds and not kinds & set(spec.needs_kinds)):
            continue
        options = {**spec.defaults, **configured}
        if spec.applies is not None and not spec.applies(scenario, options):
            continue
        chosen.append((spec, options))
    return chosen


class ExploreItem(pytest.Function):
    """Searches the live site for the way out, for the cancel_discoverable check to judge."""

    def __init__(self, *, scenario: Scenario, options: dict[str, Any], start_journey: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.options = options
        self.start_journey = start_journey

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"search for the way out, from where {self.start_journey} ended"


def _run_cancel_search(request: pytest.FixtureRequest, journeytest_browser: Browser, browser_context_args: dict[str, Any]) -> None:
    item: ExploreItem = request.node  # type: ignore[assignment]
    scenario, options = item.scenario, item.options
    run = request.config.stash[RUN_STATE]
    wording = Wording.load([Path(d) for d in request.config.getoption("--wording-dir") or []], scenario.wording)
    context_args = {**browser_context_args, **({"base_url": scenario.site.base_url} if scenario.site.base_url else {})}
    limits = {"max_clicks": options["max_clicks"], "page_budget": options["page_budget"]}
    found = []
    end = run.end_states.get((scenario.path, item.start_journey))
    if end is not None:
        found.append(discover_cancel(journeytest_browser, context_args, "account", end.final_url, wording,
                                     storage_state=end.storage_state, **limits).as_dict())
    if scenario.site.base_url:
        found.append(discover_cancel(journeytest_browser, context_args, "home", scenario.site.base_url + "/", wording, **limits).as_dict())
    run.discoveries[scenario.path] = found
    if end is None:
        raise pytest.skip.Exception(f"'{item.start_journey}' did not pass, so there is no logged-in session to search from",
                                    _use_item_location=True)


class ContactSearchItem(pytest.Function):
    """Crawls the site, logged out, for contact details, for the contact_details check to judge."""

    def __init__(self, *, scenario: Scenario, options: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.options = options

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, "search for contact details from the home page"


def _run_contact_search(request: pytest.FixtureRequest, journeytest_browser: Browser, browser_context_args: dict[str, Any]) -> None:
    item: ContactSearchItem = request.node  # type: ignore[assignment]
    scenario, options = item.scenario, item.options
    wording = Wording.load([Path(d) for d in request.config.getoption("--wording-dir") or []], scenario.wording)
    base = scenario.site.base_url.rstrip("/")
    starts = [("home page", base + "/")]
    if options["deep_page"]:
        starts.append(("deep page", urljoin(base + "/", options["deep_page"])))
    limits = {key: options[key] for key in ("max_clicks", "search_clicks", "page_budget", "rate_limit", "concurrency",
                                            "render", "region", "obey_robots")}
    request.config.stash[RUN_STATE].contact_crawls[scenario.path] = [
        crawl_contacts(url, start=start, wording=wording, browser=journeytest_browser, context_args=browser_context_args,
                       user_agent=request.config.getoption("--user-agent"), **limits).as_dict()
        for start, url in starts]


class PasswordProbeItem(ContactSearchItem):
    """Logs in with mailed passwords and opens reset links again, for the password checks to judge."""

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, "log in with mailed passwords; open reset links a second time"


def _run_password_probe(request: pytest.FixtureRequest, journeytest_browser: Browser, browser_context_args: dict[str, Any]) -> None:
    item: PasswordProbeItem = request.node  # type: ignore[assignment]
    run = request.config.stash[RUN_STATE]
    if not any(r.scenario == item.scenario.path for r in run.results):
        raise pytest.skip.Exception("no journey of this file ran in this process", _use_item_location=True)
    wording = Wording.load([Path(d) for d in request.config.getoption("--wording-dir") or []], item.scenario.wording)
    options = _run_options(request.config, browser_context_args, journeytest_browser)
    run.password_probes[item.scenario.path] = probe_passwords(run, item.scenario, journeytest_browser, options, wording,
                                                              item.options)


class RegressionFound(JourneyTestError):
    """A journey or check got worse since the last run of its file."""


class RegressionItem(pytest.Item):
    """This run of a file against the last one in the history: what got worse fails here, with both figures."""

    def __init__(self, *, scenario: Scenario, history: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.history = history
        self.regressions: list[dict[str, Any]] = []

    def runtest(self) -> None:
        run = self.config.stash[RUN_STATE]
        journeys = [asdict(r) for r in run.results if r.scenario == self.scenario.path]
        if not journeys:
            raise pytest.skip.Exception("no journey of this file ran in this process", _use_item_location=True)
        earlier = last_run_of(self.history, self.scenario.path, run.run_id)
        if earlier is None:
            raise pytest.skip.Exception("no earlier run of this file in the history", _use_item_location=True)
        checks = {name: verdict for (path, name), verdict in run.check_verdicts.items() if path == self.scenario.path}
        self.regressions = regressions(earlier, journeys, checks)
        if self.regressions:
            raise RegressionFound(f"worse than the run of {earlier.date} ({earlier.run_id}):\n"
                                  + "\n".join(f"  - {r['evidence']}" for r in self.regressions))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, JourneyTestError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, "compare with the last run in the history"


class DryRunItem(pytest.Item):
    """--dry-run: a journey resolved step by step, with no browser: placeholders, targets, paying clicks."""

    def __init__(self, *, scenario: Scenario, journey: Journey, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.journey = journey

    def runtest(self) -> None:
        run = self.config.stash[RUN_STATE]
        values = run.template_values(self.scenario)
        secrets = run.secrets_for(self.scenario)
        refuse = None if self.scenario.allow_payments or self.config.getoption("--allow-payments") else payment_refuser()
        plan, problems = [], []
        for number, step in enumerate(self.journey.steps, 1):
            try:
                rendered = _render_all(step.args, {**values, "params": dict(step.params)})
            except JourneyTestError as error:
                problems.append(f"{step.location}: {step.label()}: {error}")
                continue
            plan.append(f"{number:>3}. {mask(step.label(), secrets)}")
            if step.action == "click" and refuse is not None:
                words = " ".join(rendered.name or rendered.values) if isinstance(rendered, Target) else ""
                why = refuse(words) if words else None
                if why:
                    problems.append(f"{step.location}: {step.label()} would {why}; it will be refused unless the scenario says "
                                    "allow_payments: true or the run uses --allow-payments")
        self.add_report_section("call", "plan", "\n".join(plan))
        if problems:
            raise DryRunProblem("\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, JourneyTestError):
            return f"journey '{self.journey.name}' would not run as written:\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.journey.location.line - 1, f"dry run of {self.journey.name}"


class DryRunProblem(JourneyTestError):
    """A step that could not be resolved, or that would be refused."""


def _render_all(value: Any, values: dict[str, Any]) -> Any:
    """Every placeholder in a step's arguments filled in, as the real run would (raises on a missing one)."""
    if isinstance(value, str):
        return templating.render(value, values)
    if isinstance(value, Target):
        return replace(value, values=tuple(_render_all(v, values) for v in value.values),
                       name=tuple(_render_all(v, values) for v in value.name))
    if isinstance(value, dict):
        return {k: _render_all(v, values) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_render_all(v, values) for v in value]
    return value


class CheckFailed(JourneyTestError):
    """A check's verdict is FAIL (or WARN with --fail-on-warn)."""


class CheckItem(pytest.Item):
    """One check on one scenario file, run after the file's journeys."""

    def __init__(self, *, scenario: Scenario, spec: CheckSpec, options: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.spec = spec
        self.options = options
        self.check_result: CheckResult | None = None

    def runtest(self) -> None:
        run = self.config.stash[RUN_STATE]
        recorded = {r.journey: r for r in run.results if r.scenario == self.scenario.path}
        if not recorded:
            raise pytest.skip.Exception("no journey of this file ran in this process, so there is nothing to check",
                                        _use_item_location=True)
        wording = Wording.load([Path(d) for d in self.config.getoption("--wording-dir") or []], self.scenario.wording)
        persona = run.personas.get(self.scenario.path)
        # What the harness typed (C1's subject), not what the site made up and mailed (C2's).
        secrets = {k: v for k, v in run.secrets_for(self.scenario).items() if not k.startswith("{password the site mailed")} \
            if persona else {}
        context = CheckContext(self.scenario, recorded, self.options, wording, date.today(),
                               run.discoveries.get(self.scenario.path, []), secrets,
                               run.contact_crawls.get(self.scenario.path, []), run.password_probes.get(self.scenario.path, {}),
                               persona.as_values() if persona else {})
        result = self.spec.function(context)
        self.check_result = result
        run.check_verdicts[(self.scenario.path, self.spec.name)] = result.verdict.value
        if result.verdict == Verdict.SKIP:
            raise pytest.skip.Exception(result.evidence, _use_item_location=True)
        if result.verdict == Verdict.FAIL or (result.verdict == Verdict.WARN and self.config.getoption("--fail-on-warn")):
            raise CheckFailed(render_check(self.spec, result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, JourneyTestError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"check {self.spec.name}"


def render_check(spec: CheckSpec, result: CheckResult) -> str:
    lines = [f"{result.verdict.value} {spec.name}: {spec.title}", f"  {result.evidence}"]
    lines += [f"  - {detail}" for detail in result.details]
    if result.figures:
        lines.append("  figures: " + ", ".join(f"{k}={v}" for k, v in result.figures.items()))
    if spec.catalogue:
        lines.append(f"  basis: {spec.catalogue}")
    return "\n".join(lines)


def _with_step_timeout(scenario: Scenario, seconds: float) -> Scenario:
    """The scenario with every step timeout overridden, everything else (checks, rules, wording) kept."""
    journeys = {name: replace(j, step_timeout_s=seconds) for name, j in scenario.journeys.items()}
    return replace(scenario, journeys=journeys, step_timeout_s=seconds)


class ScenarioErrorItem(pytest.Item):
    """Stands for a scenario file that could not be loaded; fails with the file's problems."""

    def __init__(self, *, error: ScenarioError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.error.problems[0].location.line - 1, "scenario file"


class JourneyItem(pytest.Function):
    """One journey, run through a real browser."""

    def __init__(self, *, scenario: Scenario, journey: Journey, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.journey = journey
        self.journey_result: JourneyResult | None = None

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.journey.location.line - 1, f"journey {self.journey.name} ({self.journey.kind})"

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, JourneyTestError):
            return f"journey '{self.journey.name}' ({self.journey.kind}) failed:\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def _prunetraceback(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:  # pragma: no cover - cosmetic
        return None


def _run_journey_item(request: pytest.FixtureRequest, journeytest_browser: Browser,
                      browser_context_args: dict[str, Any]) -> None:
    item: JourneyItem = request.node  # type: ignore[assignment]
    config = request.config
    run = config.stash[RUN_STATE]
    options = _run_options(config, browser_context_args, journeytest_browser)
    evidence_dir = (options.output_dir / slugify(item.nodeid.split("@")[0])).absolute()
    try:
        start = prepare_start(run, item.scenario, item.journey, journeytest_browser, options, evidence_dir)
    except PrerequisiteFailed as missing:
        if missing.ran_here:
            # Reported at the journey's own location, not at this line of the plugin.
            raise pytest.skip.Exception(f"needs '{missing.name}', which did not pass", _use_item_location=True) from None
        raise
    try:
        item.journey_result, _ = run_journey(run, item.scenario, item.journey, journeytest_browser, options,
                                             evidence_dir, start)
    except JourneyFailed as failure:
        item.journey_result = failure.result
        raise


def _run_options(config: pytest.Config, browser_context_args: dict[str, Any], browser: Browser | None = None) -> RunOptions:
    retries = config.getoption("--journey-retries", default=None)
    context_args = dict(browser_context_args)
    if "user_agent" not in context_args and browser is not None:
        context_args["user_agent"] = config.getoption("--user-agent") or (
            f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{browser.version} "
            f"Safari/537.36 journeytest/{__version__}")
    interval = config.getoption("--action-interval", default=None)
    return RunOptions(
        output_dir=Path(config.getoption("--output", default="test-results")),
        tracing=config.getoption("--tracing", default="off"),
        screenshot=config.getoption("--screenshot", default="off"),
        default_retries=retries if retries is not None else 0,
        context_args=context_args,
        mailbox=_mailbox(config),
        step_screenshots=config.getoption("--step-screenshots", default="off"),
        action_interval_s=parse_duration(interval) if interval else 0.0,
        allow_payments=config.getoption("--allow-payments", default=False),
    )


def _mailbox(config: pytest.Config) -> Any:
    spec = config.stash.get(MAILBOX_SPEC, None)
    if not spec:
        return None
    if MAILBOX not in config.stash:
        try:
            config.stash[MAILBOX] = open_mailbox(spec)
        except MailboxError as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[MAILBOX]


MAILBOX = pytest.StashKey[Any]()


@pytest.fixture(scope="session")
def journeytest_browser(pytestconfig: pytest.Config, browser_type: Any, launch_browser: Any,
                        connect_options: dict[str, Any] | None) -> Generator[Browser, None, None]:
    """One browser per worker process: Playwright's own, a system Chromium, or a remote one."""
    if connect_options:
        browser = launch_browser()
    else:
        choice = choose_browser(browser_type, explicit_path=pytestconfig.getoption("--browser-path"),
                                channel=pytestconfig.getoption("--browser-channel", default=None))
        extra: dict[str, Any] = {}
        if choice.executable_path:
            extra["executable_path"] = choice.executable_path
        if choice.extra_args:
            extra["args"] = list(choice.extra_args)
        browser = launch_browser(**extra)
    yield browser
    browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.when != "call" or not hasattr(item, "scenario"):
        return report
    # What leaves the worker is masked: results, report and history never hold a secret.
    secrets = item.config.stash[RUN_STATE].secrets_for(item.scenario)
    result = getattr(item, "journey_result", None)
    if result is not None:
        report.user_properties.append((RESULT_PROPERTY, json.dumps(mask_tree(asdict(result), secrets), ensure_ascii=False)))
    checked = getattr(item, "check_result", None)
    if checked is not None:
        report.user_properties.append((CHECK_PROPERTY, json.dumps(mask_tree({
            "scenario": item.scenario.path, "check": item.spec.name, "title": item.spec.title,
            "verdict": checked.verdict.value, "evidence": checked.evidence, "figures": checked.figures,
            "details": checked.details, "basis": item.spec.catalogue}, secrets), ensure_ascii=False, default=str)))
    for regression in getattr(item, "regressions", []):
        report.user_properties.append((REGRESSION_PROPERTY, json.dumps({"scenario": item.scenario.path, **regression},
                                                                        ensure_ascii=False, default=str)))
    return report


class RunRecorder:
    """On the controller (also under xdist): the results file line by line, then the report and the history."""

    def __init__(self, config: pytest.Config, path: Path, run_id: str, header: dict[str, Any]) -> None:
        self.config = config
        self.writer = ResultsWriter(path, run_id, header)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        for name, value in getattr(report, "user_properties", ()):
            kind = {RESULT_PROPERTY: "journey", CHECK_PROPERTY: "check", REGRESSION_PROPERTY: "regression"}.get(name)
            if kind is not None:
                self.writer.write({"type": kind, "nodeid": report.nodeid, **json.loads(value)})

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.writer.started:
            return  # nothing journeytest ran (e.g. a run of ordinary tests)
        self.writer.finish(exitstatus)
        results = read_results(self.writer.path)
        history = _path_option(self.config, "--history")
        if history is not None and not self.config.getoption("--dry-run") and results.journeys:
            record_run(history, results)
        report = _path_option(self.config, "--journeytest-report")
        if self.config.getoption("--journeytest-report") is None:
            report = self.writer.path.with_name("report.html")
        if report is not None:
            report.write_text(render_report(results), encoding="utf-8")
            self.config.stash[REPORT_PATH] = report

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        report = self.config.stash.get(REPORT_PATH, None)
        if report is not None:
            terminalreporter.write_line(f"journeytest: results {self.writer.path}; report {report}")


REPORT_PATH = pytest.StashKey[Path]()


def _result_of(report: pytest.TestReport) -> JourneyResult | None:
    for name, value in getattr(report, "user_properties", ()):
        if name == RESULT_PROPERTY:
            return JourneyResult.from_json(value)
    return None


def _check_of(report: pytest.TestReport) -> dict[str, Any] | None:
    for name, value in getattr(report, "user_properties", ()):
        if name == CHECK_PROPERTY:
            return json.loads(value)
    return None


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Mask every secret this process typed in the stored mail: the output folder must hold none."""
    spec = session.config.stash.get(MAILBOX_SPEC, None)
    run = session.config.stash[RUN_STATE]
    if not spec or not spec.startswith("dir:") or not run.all_secrets:
        return
    ours = {persona.email.lower() for persona in run.personas.values()}
    for path in Path(spec[4:]).glob("*.eml"):
        raw = path.read_bytes()
        message = email_summary(parse_email(raw, message_id=path.stem, received_at=0.0))
        if not ours & {address.lower() for address in message["to"]}:
            continue  # another process's customer: its mail is that process's to mask, when it is done with it
        # Also a password the site made up in a mail no journey saw (a reset link opened again sends another).
        learned = {f"{{password the site mailed, {path.stem}}}": token for token in mailed_passwords(message, run.all_secrets)}
        masked = mask_message(raw, {**run.all_secrets, **learned})
        if masked is not None:
            partial = path.with_suffix(".masking")
            partial.write_bytes(masked)
            partial.replace(path)


def mailed_passwords(message: dict[str, Any], secrets: dict[str, str]) -> list[str]:
    from .checks.passwords import generated_passwords

    found = generated_passwords([JourneyResult("", "", "", "", "", emails=[message])], Wording.built_in(), set(secrets.values()))
    return [f["token"] for f in found]


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> tuple[str, str, Any] | None:
    if report.when == "call" and report.passed:
        checked = _check_of(report)
        if checked is not None and checked["verdict"] == "WARN":
            return "warned", "w", ("WARN", {"yellow": True})
        result = _result_of(report)
        if result is not None and result.outcome == "flaky":
            return "flaky", "~", ("FLAKY", {"yellow": True})
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    checks = [c for reports in terminalreporter.stats.values() for report in reports
              if getattr(report, "when", None) == "call" and (c := _check_of(report)) is not None]
    if checks:
        terminalreporter.write_sep("=", "journeytest checks")
        colours = {"FAIL": {"red": True}, "WARN": {"yellow": True}, "PASS": {"green": True}}
        for c in sorted(checks, key=lambda c: (c["scenario"], c["check"])):
            terminalreporter.write_line(f"{c['verdict']:<4}  {c['scenario']}::{c['check']}: {c['evidence']}", **colours.get(c["verdict"], {}))
    results = [r for reports in terminalreporter.stats.values() for report in reports
               if getattr(report, "when", None) == "call" and (r := _result_of(report)) is not None]
    if not results:
        return
    terminalreporter.write_sep("=", "journeytest: what each journey cost the customer")
    terminalreporter.write_line(format_effort_table(results))
    flaky = [r for r in results if r.outcome == "flaky"]
    for result in flaky:
        failed = [a for a in result.attempts if a.outcome == "failed"]
        terminalreporter.write_line(f"flaky: {result.scenario}::{result.journey} passed on attempt {len(result.attempts)}; "
                                    f"first failure: {failed[0].error_location}: {failed[0].error}", yellow=True)


def format_effort_table(results: list[JourneyResult]) -> str:
    """A compact table, one line per journey."""
    header = ("journey", "kind", "outcome", "actions", "clicks", "fields", "keys", "pages", "screens", "dialogs", "time")
    rows = [header]
    for r in sorted(results, key=lambda r: (r.scenario, r.journey)):
        e = r.effort
        rows.append((f"{r.scenario}::{r.journey}", r.kind, r.outcome, str(e.get("actions", "")), str(e.get("clicks", "")),
                     str(e.get("fields_filled", 0) + e.get("fields_chosen", 0)), str(e.get("keystrokes", "")),
                     str(e.get("distinct_pages", "")), str(e.get("screens", "")), str(e.get("dialogs", "")),
                     f"{e.get('wall_time_s', 0):.1f}s"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) if i < 3 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
                     for row in rows)
