"""Drive one journey's steps through a real browser page.

Playwright does the waiting (locators auto-wait up to the step timeout); the
session adds what a journey harness needs on top: effort counting, a failure
message that names the step's file:line and the page URL, a screenshot of the
moment it went wrong, and a record of each screen for the checks. Each step is
run by the handler for the type of its arguments (steps.py, mailsteps.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast
from urllib.parse import urljoin

from playwright.sync_api import BrowserContext, Dialog, Locator, Page, Response
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ..errors import StepFailed, TemplateError
from ..mail.mailbox import Mailbox
from ..mail.message import CapturedEmail
from ..record.effort import EffortRecorder, StepRecord
from ..record.run import EndState
from ..record.shapes import Screen, TypedEntry
from ..scenario import Step, Target, templating
from ..scenario.steps import StepArgs
from .capturing import CAPTURE_STEPS
from .explain import explain_failure
from .locators import locate
from .mailsteps import MAIL_STEPS, MailWatch
from .scripts import page_script
from .steps import OPENS_MODALS, PAGE_STEPS, Handler

HANDLERS: dict[type[StepArgs], Handler] = {**PAGE_STEPS, **MAIL_STEPS, **CAPTURE_STEPS}

# How long a page may take to run one line of script before it counts as frozen. A healthy page answers
# in milliseconds; 1 s called a page loaded on a busy CI machine frozen. The watchdog still ends a
# journey whose page freezes during a step (browser/watchdog.py).
PROBE_TIMEOUT_MS = 10_000


def prepare_context(context: BrowserContext, recorder_ref: Callable[[], EffortRecorder]) -> None:
    """Install the route watcher; must run before the context opens pages."""
    context.add_init_script(page_script("route_watch"))
    context.expose_binding("__journeytestRoute", lambda _source, url: recorder_ref().on_route_change(url))


class JourneySession:
    """Runs steps on one page and records what they cost."""

    def __init__(
        self,
        page: Page,
        *,
        base_url: str | None,
        values: Mapping[str, Mapping[str, object]],
        evidence_dir: Path,
        recorder: EffortRecorder,
        default_timeout_s: float,
        mailbox: Mailbox | None = None,
        record_screens: bool = True,
        step_screenshots: str = "off",
        action_interval_s: float = 0.0,
        refuse_payment: Callable[[str], str | None] | None = None,
        handover: EndState | None = None,
        on_secret: Callable[[str, str], None] = lambda placeholder, value: None,
        mail_in: str | None = None,
    ) -> None:

        self.page = page
        self.step_screenshots = step_screenshots  # "screens" / "on" / "off": pictures for the HTML report
        self.last_screenshot: str | None = None
        self.action_interval_s = action_interval_s  # production politeness: at least this long between actions
        self.refuse_payment = refuse_payment  # says why a click would pay, unless payments are allowed
        self.last_action_at = 0.0
        self.record_screens = record_screens
        self.base_url = base_url
        self.base_values = dict(values)
        self.values: Mapping[str, Mapping[str, object]] = self.base_values
        self.mail = MailWatch(mailbox, str(self.values["persona"]["email"]), handover.mail if handover else None)
        # values capture steps kept ({captured.NAME}), carried on from the journey this one continues
        self.captured: dict[str, str] = dict(handover.captured) if handover else {}
        self.on_secret = on_secret  # a captured value that is a secret: masked everywhere from now on
        self.mail_in = mail_in  # where reply_email hands the customer's mail to the site
        self.typed: list[TypedEntry] = []  # what the customer wrote, by field: the support-reply checks compare with it
        self.evidence_dir = evidence_dir
        self.recorder = recorder
        self.default_timeout_s = default_timeout_s
        self.next_dialog: dict[str, Any] = {"accept": True, "prompt_text": None}
        self.dead_pages: list[tuple[str, int, str]] = []
        self.frozen = False  # the page once failed to answer a probe: it is not probed again
        self.last_snapshot_url = ""
        self.last_screen_url = ""  # the page the last new screen was on (for screenshots, in every kind of journey)
        self.open_modals = 0
        page.on("domcontentloaded", lambda p: self.recorder.on_page_load(p.url))
        page.on("dialog", self._answer_dialog)
        page.on("response", self._watch_response)

    # ------------------------------------------------------------------ events

    def _answer_dialog(self, dialog: Dialog) -> None:
        self.recorder.on_dialog()
        policy, self.next_dialog = self.next_dialog, {"accept": True, "prompt_text": None}
        if policy["accept"]:
            dialog.accept(policy["prompt_text"]) if policy["prompt_text"] is not None else dialog.accept()
        else:
            dialog.dismiss()

    def _watch_response(self, response: Response) -> None:
        request = response.request
        if response.status >= 400 and request.is_navigation_request() and request.frame == self.page.main_frame:
            self.dead_pages.append((response.url, response.status, response.status_text))

    # ------------------------------------------------------------------ helpers

    def render(self, text: str) -> str:
        return templating.render(text, self.values)

    def url_for(self, path_or_url: str) -> str:
        url = self.render(path_or_url)
        if re.match(r"^[a-z][a-z0-9+.-]*:", url):
            return url
        if not self.base_url:
            raise TemplateError(f"'{url}' is a path, but the site has no base_url to resolve it against")
        return urljoin(self.base_url + "/", url.lstrip("/"))

    def locator(self, target: Target) -> Locator:
        return locate(self.page, target, self.render)

    def words_of(self, target: Target) -> str | None:
        """The words a target is found by, placeholders filled, or None when it is found by markup."""
        words = target.words()
        return " | ".join(self.render(w) for w in words) if words else None

    @property
    def opened_links(self) -> list[Any]:
        return self.mail.opened_links

    def count_new_modals(self, *, navigated: bool = False) -> None:
        """A real modal dialog (open_modals.js: not a busy spinner) that opened over the page the customer was on is
        a new screen; one that a newly loaded page or route arrives with is part of that screen, counted once."""
        try:
            count = self.page.evaluate(page_script("open_modals"))
        except PlaywrightError:  # the page navigated away meanwhile
            count = 0
        if count > self.open_modals and not navigated:
            self.recorder.on_dialog()
        self.open_modals = count

    def _settle(self, timeout_ms: float) -> None:
        """Wait until the page a step led to is built (DOMContentLoaded): a navigation the step committed (a link, a
        form, a redirect) is counted, and its time is the customer's, in every journey alike however slowly the
        site sends it; a step that did not navigate returns at once."""
        try:
            self.page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
        except PlaywrightError:  # a page that never gets built: the next step finds out
            pass

    # ------------------------------------------------------------------ running

    def run(self, steps: tuple[Step, ...] | list[Step], *, start_index: int = 0) -> list[StepFailed]:
        """Run every step; return the failures of soft steps (a hard failure raises at once)."""
        soft_failures: list[StepFailed] = []
        for offset, step in enumerate(steps):
            try:
                self.run_step(step, start_index + offset)
            except StepFailed as failure:
                if not step.soft:
                    raise
                soft_failures.append(failure)
        return soft_failures

    def run_step(self, step: Step, index: int) -> None:
        record = StepRecord(
            index=index,
            action=step.action,
            label=step.label(),
            location=str(step.location),
            url_before=self.page.url,
            started_at=time.time(),
            counted=step.counted,
        )
        self.recorder.steps.append(record)
        probed = time.monotonic()
        answers = self.page.url == "about:blank" or self._answers()
        self.recorder.exclude_pause(time.monotonic() - probed)  # the harness's look, not the customer's time
        started = time.monotonic()
        timeout_ms = (step.timeout_s if step.timeout_s is not None else self.default_timeout_s) * 1000
        dead_before = len(self.dead_pages)
        self.values = {**self.base_values, "params": dict(step.params), "captured": self.captured}
        self.recorder.counting = step.counted
        self.recorder.release()  # what the page did since the last step ended counts as this step's
        screens_before = self.recorder.navigations
        try:
            if not answers:
                raise StepFailed(
                    f"{step.label()}: the page stopped answering before this step (a script that never yields?)",
                    location=step.location,
                    url=self.page.url,
                    screenshot=self._failure_screenshot(index),
                )
            if step.args.paces:
                self._pace()
            HANDLERS[type(step.args)](self, step.args, step, timeout_ms)
            self._settle(timeout_ms)
            navigated = self.recorder.navigations != screens_before
            if navigated or isinstance(step.args, OPENS_MODALS):
                self.count_new_modals(navigated=navigated)
            if len(self.dead_pages) > dead_before:
                url, status, text = self.dead_pages[-1]
                raise StepFailed(
                    f"{step.label()} led to a broken page: {url} answered HTTP {status} {text}".rstrip(),
                    location=step.location,
                    url=self.page.url,
                    screenshot=self._failure_screenshot(index),
                )
        except StepFailed as failure:
            self._fail(record, started, failure)
            raise
        except (PlaywrightError, TemplateError, AssertionError) as exc:
            reason = explain_failure(step, exc, timeout_ms)
            if isinstance(exc, PlaywrightError) and not self._answers():
                reason = (
                    f"the page stopped answering (a script that never yields?), so this step could not finish: {reason}"
                )
            explained = StepFailed(
                reason,
                location=step.location,
                url=self.page.url,
                screenshot=self._failure_screenshot(index),
            )
            self._fail(record, started, explained)
            raise explained from None
        finally:
            self.recorder.counting = True
            self.last_action_at = time.monotonic()  # the pause runs from the end of one step to the start of the next
        record.url_after = self.page.url
        record.duration_s = round(time.monotonic() - started, 3)
        self.recorder.hold()  # the step is over: the snapshot and screenshot below decide nothing about the count
        new_screen = (
            self.recorder.navigations != screens_before or self.page.url != self.last_screen_url or self.open_modals
        )
        if new_screen:
            self.last_screen_url = self.page.url
            self.snapshot(
                index
            )  # a new screen: a load (even of the same URL, e.g. after a POST), a route change or a dialog
        if self.step_screenshots == "on" or (
            self.step_screenshots == "screens" and (new_screen or self.last_screenshot is None)
        ):
            self.last_screenshot = self._step_screenshot(index)
        if self.step_screenshots != "off":
            record.screenshot = self.last_screenshot  # with "screens", the picture of the screen this step ended on

    def _step_screenshot(self, index: int) -> str | None:
        """A small JPEG of the page after a step; its cost is not the customer's time."""
        began = time.monotonic()
        path = self.evidence_dir / f"step-{index + 1:02d}.jpg"
        try:
            self.evidence_dir.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(path), type="jpeg", quality=50, timeout=5000)
            return str(path)
        except PlaywrightError:
            return None
        finally:
            self.recorder.exclude_pause(time.monotonic() - began)

    def _pace(self) -> None:
        """Wait so that an action starts at least --action-interval after the last step ended (not the customer's time)."""
        if self.action_interval_s <= 0:
            return
        wait = self.last_action_at + self.action_interval_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
            self.recorder.exclude_pause(wait)

    def snapshot(self, step_index: int) -> None:
        """Record the screen the customer now sees (once per screen, not per step), where checks read screens.
        Only some journeys do (SCREEN_KINDS): its time is the harness's, never the customer's."""
        if not self.record_screens:
            return
        began = time.monotonic()
        try:
            self.page.wait_for_load_state("domcontentloaded", timeout=5000)
            if not self._answers():
                return  # evaluate on a page whose script never yields would never return
            screen = cast(Screen, self.page.evaluate(page_script("screen_snapshot")))
        except PlaywrightError:
            return
        finally:
            self.recorder.exclude_pause(time.monotonic() - began)
        screen["step"] = step_index
        self.recorder.screens.append(screen)
        self.last_snapshot_url = screen["url"]

    def _answers(self) -> bool:
        """Does the page's script still run? A page that never yields holds every `evaluate` forever, while a
        wait with a timeout comes back. A healthy page answers at once; the long timeout is for a machine
        under load (CI), where a busy page may take seconds, so that only a page frozen for
        PROBE_TIMEOUT_MS is called frozen. Once frozen, the page is not asked again."""
        if self.frozen:
            return False
        try:
            self.page.wait_for_function("() => true", timeout=PROBE_TIMEOUT_MS, polling=100)
            return True
        except PlaywrightTimeoutError:
            self.frozen = True
            return False
        except PlaywrightError:
            return True  # a navigation under way, a closed page: not a frozen script

    def _fail(self, record: StepRecord, started: float, failure: StepFailed) -> None:
        record.outcome = "failed"
        record.error = failure.reason
        record.screenshot = failure.screenshot
        record.url_after = self.page.url
        record.duration_s = round(time.monotonic() - started, 3)
        self.recorder.hold()
        if self.page.url != self.last_snapshot_url:
            self.snapshot(record.index)  # the screen where the customer got stuck

    def _failure_screenshot(self, index: int) -> str | None:
        began = time.monotonic()
        path = self.evidence_dir / f"failure-step-{index + 1}.png"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(path), timeout=5000)
        except PlaywrightError:
            return None
        finally:
            self.recorder.exclude_pause(time.monotonic() - began)
        return str(path)

    def captured_emails(self) -> list[CapturedEmail]:
        """Every message to the persona that arrived while this journey ran."""
        return self.mail.captured()
