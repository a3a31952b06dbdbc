"""Run journeys in browser contexts: isolation, chains, retries, evidence.

Each journey runs in a fresh browser context. A journey that `needs` another
starts from that journey's end state (its cookies and storage, on its last
page), so it continues the same logged-in session, yet two journeys that build
on the same one never see each other's clicks, and a retry starts clean.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from ..errors import JourneyEndedWithSoftFailures, JourneyFailed, PrerequisiteFailed, SoftFailures, StepFailed
from ..mail.mailbox import Mailbox
from ..mail.message import CapturedEmail, mask_message
from ..record.effort import EffortRecorder, StepRecord
from ..record.journey import AttemptRecord, JourneyResult
from ..record.masking import ONE_TIME_KEYS, mask, mask_output, mask_zip
from ..record.run import EndState, RunState
from ..record.shapes import LoginAttempt
from ..scenario import Journey, Scenario, Step
from ..scenario.steps import Goto, strings_of
from ..wording import Wording
from .contexts import open_context
from .scripts import page_script
from .session import JourneySession, prepare_context

# Journeys whose screens (text and controls) are recorded for checks; others skip the cost.
SCREEN_KINDS = frozenset({"cancel", "support", "account"})

__all__ = [
    "JourneyFailed",
    "PrerequisiteFailed",
    "RunOptions",
    "RunState",
    "prepare_start",
    "run_journey",
    "try_journey",
]


@dataclass
class RunOptions:
    output_dir: Path
    tracing: str = "off"  # off | on | retain-on-failure
    screenshot: str = "off"  # off | on | only-on-failure
    default_retries: int = 0
    context_args: dict[str, Any] = field(default_factory=dict)
    mailbox: Mailbox | None = None
    step_screenshots: str = "off"  # "screens": a JPEG per new screen, "on": per step, for the HTML report
    action_interval_s: float = 0.0  # at least this long between actions (politeness on production)
    allow_payments: bool = False  # --allow-payments: press paying buttons even where the scenario does not allow it

    def payment_refuser(self, scenario: Scenario) -> Callable[[str], str | None] | None:
        return payment_refuser_for(scenario, self.allow_payments)


def payment_refuser_for(scenario: Scenario, allowed_by_run: bool) -> Callable[[str], str | None] | None:
    """Says why pressing a control with these words would pay; None when this run may pay (the file or the run say so)."""
    return None if scenario.allow_payments or allowed_by_run else payment_refuser()


def run_journey(
    run: RunState,
    scenario: Scenario,
    journey: Journey,
    browser: Browser,
    options: RunOptions,
    evidence_dir: Path,
    start: EndState | None,
) -> tuple[JourneyResult, EndState]:
    """Run one journey with its retries; raise JourneyFailed when no attempt passes."""
    retries = next(r for r in (journey.retries, scenario.retries, options.default_retries) if r is not None)
    persona = run.persona_for(scenario)
    result = JourneyResult(
        scenario=scenario.path,
        site=scenario.site.name,
        base_url=scenario.site.base_url or "",
        journey=journey.name,
        kind=journey.kind,
        persona_email=persona.email,
    )
    last_error: BaseException | None = None
    soft_end: EndState | None = None
    for number in range(1, retries + 2):
        attempt_dir = evidence_dir / f"attempt-{number}"
        try:
            end = _attempt(run, scenario, journey, browser, options, attempt_dir, start, result)
        except Exception as exc:  # keep the evidence of any failure, ours or Playwright's
            run.learn_secrets(scenario, result)
            secrets = run.secrets_for(scenario)
            last_error = exc
            if isinstance(exc, JourneyEndedWithSoftFailures):
                soft_end = exc.end
            failure = (
                exc
                if isinstance(exc, StepFailed)
                else (exc.failures.failures[0] if isinstance(exc, JourneyEndedWithSoftFailures) else None)
            )
            result.attempts.append(
                AttemptRecord(
                    number,
                    "failed",
                    error=mask(getattr(failure, "reason", None) or str(exc), secrets),
                    error_location=str(failure.location) if failure else None,
                    url=mask(failure.url, secrets) if failure and failure.url else None,
                    screenshot=failure.screenshot if failure else None,
                    trace=_existing(attempt_dir / "trace.zip"),
                )
            )
            _mask_record(result, secrets)
            continue
        run.learn_secrets(scenario, result)
        secrets = run.secrets_for(scenario)
        result.attempts.append(
            AttemptRecord(
                number,
                "passed",
                trace=_existing(attempt_dir / "trace.zip"),
                screenshot=_existing(attempt_dir / "end.png"),
            )
        )
        _mask_record(result, secrets)
        result.outcome = "flaky" if number > 1 else "passed"
        run.results.append(result)
        run.end_states[(scenario.path, journey.name)] = end
        return result, end
    result.outcome = "failed"
    run.results.append(result)
    # A journey that only failed soft steps reached its end: journeys that need it can continue from there.
    run.end_states[(scenario.path, journey.name)] = (
        soft_end if isinstance(last_error, JourneyEndedWithSoftFailures) else None
    )
    assert last_error is not None
    raise JourneyFailed(result, last_error, mask_output(str(last_error), secrets, [result.to_dict()]))


def _mask_record(result: JourneyResult, secrets: dict[str, str]) -> None:
    """No secret in what is printed or written about the steps (a password in a GET form's URL, say)."""
    result.final_url = mask(result.final_url, secrets)
    result.pages = [mask(page, secrets) for page in result.pages]
    result.typed = [{"field": entry["field"], "value": mask(entry["value"], secrets)} for entry in result.typed]
    for step in result.steps:
        step["url_before"], step["url_after"] = mask(step["url_before"], secrets), mask(step["url_after"], secrets)
        step["label"] = mask(step["label"], secrets)
        if step["error"]:
            step["error"] = mask(step["error"], secrets)


def keep_masked_copies(
    messages: list[CapturedEmail], result: JourneyResult, folder: Path, secrets: dict[str, str]
) -> None:
    """The journey's mail as evidence of its own: a copy of each message, every secret masked, which the result
    points to. The mailbox it came from is never changed: it may be the site's, or another tool's."""
    for message, summary in zip(messages, result.emails, strict=True):
        if not message.raw:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / f"{re.sub(r'[^A-Za-z0-9._-]', '_', message.id)[:80]}.eml"
        copy.write_bytes(mask_message(message.raw, secrets) or message.raw)
        summary["path"] = str(copy)


def one_time(url: str) -> bool:
    """A link that may work only once: it carries a token-like query value."""
    return any(ONE_TIME_KEYS.match(key) and len(value) >= 6 for key, value in parse_qsl(urlsplit(url).query))


def resume_url(steps: list[StepRecord], final_url: str, base_url: str | None) -> str:
    """The page a journey that continues this one starts on: the last page, unless it was opened from an email or
    is a one-time link (opening it again would replay it); then the last page before that which was neither."""
    reached: list[tuple[str, bool]] = []  # (page, opened from an email link)
    from_email = False
    for step in steps:
        if step.url_after and step.url_after != step.url_before:
            from_email = step.action == "open_email_link"
            reached.append((step.url_after, from_email))
    if not reached or reached[-1][0] != final_url:
        reached.append((final_url, from_email))
    for url, opened_from_email in reversed(reached):
        if url and not opened_from_email and not one_time(url) and not url.startswith("about:"):
            return url
    return f"{base_url}/" if base_url else ""


def _existing(path: Path) -> str | None:

    return str(path) if path.exists() else None


def _attempt(
    run: RunState,
    scenario: Scenario,
    journey: Journey,
    browser: Browser,
    options: RunOptions,
    attempt_dir: Path,
    start: EndState | None,
    result: JourneyResult,
) -> EndState:
    recorder = EffortRecorder()
    context = open_context(
        browser,
        options.context_args,
        base_url=scenario.site.base_url,
        storage_state=start.storage_state if start is not None else None,
    )
    failed = True
    try:
        prepare_context(context, lambda: recorder)
        if options.tracing != "off":
            context.tracing.start(screenshots=True, snapshots=True, title=f"{scenario.path}::{journey.name}")
        page = context.new_page()
        timeout_s = journey.step_timeout_s or scenario.step_timeout_s
        page.set_default_timeout(timeout_s * 1000)
        session = JourneySession(
            page,
            base_url=scenario.site.base_url,
            values=run.template_values(scenario),
            evidence_dir=attempt_dir,
            recorder=recorder,
            default_timeout_s=timeout_s,
            mailbox=options.mailbox,
            record_screens=journey.kind in SCREEN_KINDS or _types_captured(journey),
            step_screenshots=options.step_screenshots,
            action_interval_s=options.action_interval_s,
            refuse_payment=options.payment_refuser(scenario),
            handover=start,
            mail_in=scenario.site.mail_in,
            on_secret=lambda placeholder, value: run.secrets.capture(scenario.path, placeholder, value),
        )
        first = journey.steps[0].args if journey.steps else None
        resume = (start.resume_url or start.final_url) if start is not None else ""
        if resume and not isinstance(first, Goto):  # a journey that opens a page of its own needs no other first
            recorder.counting = False
            page.goto(resume)
            recorder.counting = True
            recorder.resume_at(resume)
            session.snapshot(-1)
        recorder.start_clock()  # the customer's time starts with the first step, not the browser set-up
        result.started_at = time.time()
        try:
            soft_failures = session.run(journey.steps)
        finally:
            result.ended_at = time.time()
            result.set_effort(recorder.finish(), recorder.steps, recorder.pages_seen, recorder.screens)
            result.final_url = page.url
            received = session.captured_emails()
            result.emails = [m.summary() for m in received]
            result.opened_links = list(session.opened_links)
            result.typed = list(session.typed)
            run.learn_secrets(scenario, result)
            keep_masked_copies(received, result, attempt_dir / "mail", run.secrets_for(scenario))
        if options.screenshot == "on":
            attempt_dir.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(attempt_dir / "end.png"))
        end = EndState(
            dict(context.storage_state()),
            page.url,
            dict(session.captured),
            session.mail.handover(),
            resume_url(recorder.steps, page.url, scenario.site.base_url),
        )
        if soft_failures:
            raise JourneyEndedWithSoftFailures(SoftFailures(soft_failures), end)
        failed = False
        return end
    finally:
        if options.tracing != "off":
            keep = options.tracing == "on" or failed
            if keep:
                attempt_dir.mkdir(parents=True, exist_ok=True)
            context.tracing.stop(path=str(attempt_dir / "trace.zip") if keep else None)
            if keep:
                run.learn_secrets(scenario, result)
                mask_zip(attempt_dir / "trace.zip", run.secrets_for(scenario))
        context.close()


def payment_refuser() -> Callable[[str], str | None]:
    """Says why pressing a control with these words would pay, or None."""
    wording = Wording.built_in()

    def refuse(words: str) -> str | None:
        phrase = wording.find("payment", words) if words else None
        return f"pay or place an order (it reads like '{phrase}')" if phrase else None

    return refuse


def prepare_start(
    run: RunState, scenario: Scenario, journey: Journey, browser: Browser, options: RunOptions, evidence_dir: Path
) -> EndState | None:
    """The state a journey starts from, running prerequisites this process has not run yet.

    Returns None for a journey that needs nothing. Raises JourneySkipped-style
    errors through `PrerequisiteFailed` so callers can tell the two apart.
    """
    if journey.needs is None:
        return None
    for prerequisite in scenario.chain(journey.name)[:-1]:
        key = (scenario.path, prerequisite.name)
        if key in run.end_states:
            if run.end_states[key] is None:
                raise PrerequisiteFailed(prerequisite.name, ran_here=True)
            continue
        before = run.end_states.get((scenario.path, prerequisite.needs)) if prerequisite.needs else None
        try:
            run_journey(
                run, scenario, prerequisite, browser, options, evidence_dir / f"setup-{prerequisite.name}", before
            )
        except JourneyFailed as failure:
            raise PrerequisiteFailed(prerequisite.name, ran_here=False, detail=str(failure)) from None
    return run.end_states[(scenario.path, journey.needs)]


def try_journey(
    run: RunState,
    scenario: Scenario,
    journey: Journey,
    browser: Browser,
    options: RunOptions,
    persona_overrides: dict[str, str],
) -> LoginAttempt:
    """Run a journey once, logged out and unrecorded, with some persona values replaced.

    The generated-password check logs in with what a site emailed: it reruns the
    file's login journey with that as the password. Nothing here enters the results.
    """
    values = dict(run.template_values(scenario))
    values["persona"] = {**values["persona"], **persona_overrides}
    context = open_context(browser, options.context_args, base_url=scenario.site.base_url)
    scratch = tempfile.TemporaryDirectory(prefix="journeytest-try-")
    try:
        page = context.new_page()
        timeout_s = journey.step_timeout_s or scenario.step_timeout_s
        page.set_default_timeout(timeout_s * 1000)
        session = JourneySession(
            page,
            base_url=scenario.site.base_url,
            values=values,
            evidence_dir=Path(scratch.name),
            recorder=EffortRecorder(),
            default_timeout_s=timeout_s,
            mailbox=None,
            record_screens=False,
        )
        secrets = {**run.secrets_for(scenario), **{f"{{persona.{k}}}": v for k, v in persona_overrides.items()}}
        steps = [step for step in journey.steps if not step.args.reads_mail]
        error: str | None = None
        try:
            soft = session.run(steps)
            # A soft step that failed once the replaced value was in play is a failed attempt: an optional cookie
            # banner before it is not, but a rejected login must never read as "logged in".
            first_use = next((i for i, step in enumerate(steps) if _uses(step, persona_overrides)), 0)
            in_play = {str(step.location) for step in steps[first_use:]}
            late = [failure for failure in soft if str(failure.location) in in_play]
            error = late[0].reason if late else None
        except StepFailed as failure:
            error = failure.reason
        return {
            "passed": error is None,
            "error": mask(error, secrets) if error else None,
            "final_url": mask(page.url, secrets),
            "asks_for_new_password": bool(page.evaluate(page_script("new_password_form"))),
            "page_text": mask(_visible_text(page)[:2000], secrets),
            "said": mask(_what_the_page_says(page), secrets),
        }
    finally:
        context.close()
        scratch.cleanup()


def _uses(step: Step, persona_overrides: dict[str, str]) -> bool:
    """Does a step type one of the replaced persona values?"""
    return any(f"{{persona.{key}}}" in text for key in persona_overrides for text in strings_of(step.args))


def _visible_text(page: Page) -> str:
    try:
        return page.inner_text("body")
    except PlaywrightError:
        return ""


def _what_the_page_says(page: Page) -> str:
    """The page's own words on what happened: its alert or status line, else its heading (whitespace folded)."""
    for selector in ("[role=alert]", "[role=status]", ".error, .warning, .message, .notice, .flash", "h1, h2"):
        try:
            shown = [t.strip() for t in page.locator(selector).all_inner_texts() if t.strip()]
        except PlaywrightError:
            continue
        if shown:
            return re.sub(r"\s+", " ", shown[0])[:200]
    return re.sub(r"\s+", " ", _visible_text(page)).strip()[:200]


def _types_captured(journey: Journey) -> bool:
    """A journey that types a value it captured (a mailed password) keeps its screens: C2 reads what came next."""
    return any(
        "{captured." in text for step in journey.steps if step.action == "fill" for text in strings_of(step.args)
    )
