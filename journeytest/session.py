"""Drive one journey's steps through a real browser page.

Playwright does the waiting (locators auto-wait up to the step timeout);
this module adds what a journey harness needs on top: effort counting,
a failure message that names the step's file:line and the page URL, and a
screenshot of the moment it went wrong.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from playwright.sync_api import BrowserContext, Dialog, Page, Response, expect
from playwright.sync_api import Error as PlaywrightError

from . import templating
from .effort import EffortRecorder, StepRecord
from .errors import JourneyTestError, StepFailed, TemplateError
from .locators import locate
from .mail.mailbox import Mailbox, wait_for_email
from .mail.message import CapturedEmail, html_to_text
from .model import Step, Target

# Reports same-document route changes (SPA pushState, back/forward, hash routes)
# to the harness; replaceState is left out as routers use it for redirects.
ROUTE_WATCH_SCRIPT = """
(() => {
  if (window.top !== window || window.__journeytestWatching) return;
  window.__journeytestWatching = true;
  let last = location.href;
  const notify = () => {
    if (location.href === last) return;
    last = location.href;
    try { window.__journeytestRoute(location.href); } catch (e) {}
  };
  const push = history.pushState;
  history.pushState = function (...args) { const r = push.apply(this, args); notify(); return r; };
  addEventListener('popstate', notify);
  addEventListener('hashchange', notify);
})();
"""

# What checks read about a screen: its text and its visible controls (with size, for prominence).
SNAPSHOT_SCRIPT = """
() => {
  const visible = e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null);
  const label = e => (e.innerText || e.value || e.getAttribute('aria-label') || e.getAttribute('title') || '').trim().replace(/\\s+/g, ' ').slice(0, 200);
  const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, [role=button], [role=link]')]
    .filter(visible).slice(0, 300).map(e => {
      const r = e.getBoundingClientRect();
      return {tag: e.tagName.toLowerCase(), type: (e.getAttribute('type') || '').toLowerCase(), text: label(e),
              href: e.getAttribute('href') || '', required: e.required === true || e.getAttribute('aria-required') === 'true',
              area: Math.round(r.width * r.height), name: e.getAttribute('name') || '',
              font_px: parseFloat(getComputedStyle(e).fontSize) || 0,
              collapsed: !!e.closest('details:not([open]), [aria-expanded="false"]')};
    });
  const captcha = !!document.querySelector('iframe[src*="recaptcha"], iframe[src*="hcaptcha"], iframe[src*="turnstile"], .g-recaptcha, .h-captcha, .cf-turnstile');
  return {url: location.href, title: document.title, lang: document.documentElement.lang || '',
          text: document.body ? document.body.innerText.slice(0, 20000) : '', controls, captcha};
}
"""

OPEN_MODALS_SCRIPT = """
() => [...document.querySelectorAll('dialog[open], [role=dialog], [role=alertdialog], [aria-modal=true]')]
  .filter(e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null)).length
"""


def prepare_context(context: BrowserContext, recorder_ref: Callable[[], EffortRecorder]) -> None:
    """Install the route watcher; must run before the context opens pages."""
    context.add_init_script(ROUTE_WATCH_SCRIPT)
    context.expose_binding("__journeytestRoute", lambda _source, url: recorder_ref().on_route_change(url))


class JourneySession:
    """Runs steps on one page and records what they cost."""

    def __init__(self, page: Page, *, base_url: str | None, values: Mapping[str, Mapping[str, object]],
                 evidence_dir: Path, recorder: EffortRecorder, default_timeout_s: float,
                 mailbox: Mailbox | None = None, record_screens: bool = True, step_screenshots: str = "off",
                 action_interval_s: float = 0.0, refuse_payment: Callable[[str], str | None] | None = None) -> None:
        self.page = page
        self.step_screenshots = step_screenshots  # "screens" / "on" / "off": pictures for the HTML report
        self.last_screenshot: str | None = None
        self.action_interval_s = action_interval_s  # production politeness: at least this long between actions
        self.refuse_payment = refuse_payment  # says why a click would pay, unless payments are allowed
        self.last_action_at = 0.0
        self.record_screens = record_screens
        self.mailbox = mailbox
        self.base_url = base_url
        self.base_values = dict(values)
        self.values: Mapping[str, Mapping[str, object]] = self.base_values
        self.mail_since = time.time()  # only mail that arrives during this journey is this journey's
        self.before: set[str] = set(self._already_there())
        self.claimed: set[str] = set()
        self.last_email: CapturedEmail | None = None
        self.opened_links: list[dict[str, Any]] = []  # links followed from emails: the reset-link check opens them again
        self.typed: list[dict[str, str]] = []  # what the customer wrote, by field: the support-reply checks compare with it
        self.evidence_dir = evidence_dir
        self.recorder = recorder
        self.default_timeout_s = default_timeout_s
        self.next_dialog: dict[str, Any] = {"accept": True, "prompt_text": None}
        self.dead_pages: list[tuple[str, int, str]] = []
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

    def locator(self, target: Target):
        return locate(self.page, target, self.render)

    def _count_new_modals(self) -> None:
        try:
            count = self.page.evaluate(OPEN_MODALS_SCRIPT)
        except PlaywrightError:  # the page navigated away meanwhile
            count = 0
        if count > self.open_modals:
            self.recorder.on_dialog()
        self.open_modals = count

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
        record = StepRecord(index=index, action=step.action, label=step.label(), location=str(step.location),
                            url_before=self.page.url, started_at=time.time(), counted=step.counted)
        self.recorder.steps.append(record)
        started = time.monotonic()
        timeout_ms = (step.timeout_s if step.timeout_s is not None else self.default_timeout_s) * 1000
        dead_before = len(self.dead_pages)
        screens_before = self.recorder.navigations
        self.values = {**self.base_values, "params": dict(step.params)}
        self.recorder.counting = step.counted
        try:
            if step.action in ("goto", "click", "fill", "select", "check", "uncheck", "press", "open_email_link"):
                self._pace()
            handler = getattr(self, f"_do_{step.action}")
            handler(step, timeout_ms)
            if len(self.dead_pages) > dead_before:
                url, status, text = self.dead_pages[-1]
                raise StepFailed(f"{step.label()} led to a broken page: {url} answered HTTP {status} {text}".rstrip(),
                                 location=step.location, url=self.page.url, screenshot=self._failure_screenshot(index))
        except StepFailed as failure:
            self._fail(record, started, failure)
            raise
        except (PlaywrightError, TemplateError, AssertionError) as exc:
            failure = StepFailed(explain_failure(step, exc, timeout_ms), location=step.location,
                                 url=self.page.url, screenshot=self._failure_screenshot(index))
            self._fail(record, started, failure)
            raise failure from None
        finally:
            self.recorder.counting = True
            self.last_action_at = time.monotonic()  # the pause runs from the end of one step to the start of the next
        record.url_after = self.page.url
        record.duration_s = round(time.monotonic() - started, 3)
        new_screen = self.recorder.navigations != screens_before or self.page.url != self.last_screen_url or self.open_modals
        if new_screen:
            self.last_screen_url = self.page.url
            self.snapshot(index)  # a new screen: a load (even of the same URL, e.g. after a POST), a route change or a dialog
        if self.step_screenshots == "on" or (self.step_screenshots == "screens" and (new_screen or self.last_screenshot is None)):
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

    def _words_of(self, target: Target) -> str | None:
        """The words a target is found by (a role's name, a text, a label), or None when it is found by markup."""
        if target.strategy == "any":
            parts = [self._words_of(t) for t in target.alternatives]
            return None if any(p is None for p in parts) else " | ".join(p for p in parts if p)
        words = target.name if target.strategy == "role" else target.values if target.strategy in (
            "text", "label", "title", "alt", "placeholder") else ()
        return " | ".join(self.render(w) for w in words) if words else None

    def _pace(self) -> None:
        """Wait so that an action starts at least --action-interval after the last step ended (not the customer's time)."""
        if self.action_interval_s <= 0:
            return
        wait = self.last_action_at + self.action_interval_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
            self.recorder.exclude_pause(wait)

    def snapshot(self, step_index: int) -> None:
        """Record the screen the customer now sees (once per screen, not per step), where checks read screens."""
        if not self.record_screens:
            return
        try:
            self.page.wait_for_load_state("domcontentloaded", timeout=5000)
            screen = self.page.evaluate(SNAPSHOT_SCRIPT)
        except PlaywrightError:
            return
        screen["step"] = step_index
        self.recorder.screens.append(screen)
        self.last_snapshot_url = screen["url"]

    def _fail(self, record: StepRecord, started: float, failure: StepFailed) -> None:
        record.outcome = "failed"
        record.error = failure.reason
        record.screenshot = failure.screenshot
        record.url_after = self.page.url
        record.duration_s = round(time.monotonic() - started, 3)
        if self.page.url != self.last_snapshot_url:
            self.snapshot(record.index)  # the screen where the customer got stuck

    def _failure_screenshot(self, index: int) -> str | None:
        path = self.evidence_dir / f"failure-step-{index + 1}.png"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(path), timeout=5000)
        except PlaywrightError:
            return None
        return str(path)

    # ------------------------------------------------------------------ steps

    def _do_goto(self, step: Step, timeout_ms: float) -> None:
        url = self.url_for(step.args)
        self.page.goto(url, timeout=timeout_ms)

    def _do_click(self, step: Step, timeout_ms: float) -> None:
        target = self.locator(step.args)
        if self.refuse_payment is not None:
            words = self._words_of(step.args)
            if words is None:  # a CSS or test-id target: read what the element says
                words = target.evaluate("e => (e.innerText || e.value || e.getAttribute('aria-label') || e.title || '').trim()",
                                        timeout=timeout_ms)
            why = self.refuse_payment(words)
            if why:
                raise AssertionError(f"refused: pressing {words!r} would {why}; this run does not allow payments "
                                     "(add `allow_payments: true` to the scenario for a test or sandbox payment, "
                                     "or run with --allow-payments)")
        target.click(timeout=timeout_ms)
        self.recorder.record_action("click", counted=step.counted)
        self._count_new_modals()

    def _do_fill(self, step: Step, timeout_ms: float) -> None:
        value = self.render(step.args["value"])
        self.locator(step.args["target"]).fill(value, timeout=timeout_ms)
        self.recorder.record_action("fill", value=value, counted=step.counted)
        self.typed.append({"field": step.label(), "value": value})

    def _do_select(self, step: Step, timeout_ms: float) -> None:
        locator = self.locator(step.args["target"])
        locator.wait_for(state="attached", timeout=timeout_ms)
        wanted = [self.render(o) for o in step.args["option"]]
        options = locator.evaluate("el => [...el.options].map(o => [o.value, o.label.trim()])")
        for choice in wanted:
            for value, label in options:
                if choice.casefold() in (value.casefold(), label.casefold()):
                    locator.select_option(value=value, timeout=timeout_ms)
                    self.recorder.record_action("select", counted=step.counted)
                    return
        offered = ", ".join(label for _, label in options) or "none"
        raise AssertionError(f"no option {' / '.join(repr(w) for w in wanted)} in {step.args['target'].describe()}; it offers: {offered}")

    def _do_check(self, step: Step, timeout_ms: float) -> None:
        self.locator(step.args).check(timeout=timeout_ms)
        self.recorder.record_action("check", counted=step.counted)

    def _do_uncheck(self, step: Step, timeout_ms: float) -> None:
        self.locator(step.args).uncheck(timeout=timeout_ms)
        self.recorder.record_action("uncheck", counted=step.counted)

    def _do_press(self, step: Step, timeout_ms: float) -> None:
        key, target = step.args["key"], step.args["target"]
        if target is not None:
            self.locator(target).press(key, timeout=timeout_ms)
        else:
            self.page.keyboard.press(key)
        self.recorder.record_action("press", counted=step.counted)
        self._count_new_modals()

    def _do_expect(self, step: Step, timeout_ms: float) -> None:
        kind, expected = step.args["kind"], step.args["expected"]
        if kind == "text":
            pattern = _any_of([self.render(t) for t in expected])
            expect(self.page.locator("body")).to_contain_text(pattern, timeout=timeout_ms)
        elif kind == "title":
            expect(self.page).to_have_title(_any_of([self.render(t) for t in expected]), timeout=timeout_ms)
        elif kind == "url":
            expect(self.page).to_have_url(url_pattern(self.render(expected), self.base_url), timeout=timeout_ms)
        elif kind == "visible":
            locator = self.locator(expected)
            expect(locator if expected.nth is not None else locator.first).to_be_visible(timeout=timeout_ms)
        elif kind == "not_visible":
            expect(self.locator(expected).filter(visible=True)).to_have_count(0, timeout=timeout_ms)

    def _do_wait(self, step: Step, timeout_ms: float) -> None:
        args = step.args
        if "seconds" in args:
            self.page.wait_for_timeout(args["seconds"] * 1000)
        elif "for" in args:
            self.locator(args["for"]).first.wait_for(state="visible", timeout=timeout_ms)
        elif "url" in args:
            self.page.wait_for_url(url_pattern(self.render(args["url"]), self.base_url), timeout=timeout_ms)
        else:
            self.page.wait_for_load_state(args["load"], timeout=timeout_ms)

    def _do_screenshot(self, step: Step, timeout_ms: float) -> None:
        name = step.args["name"]
        path = self.evidence_dir / (name if name.endswith(".png") else f"{name}.png")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=step.args["full_page"], timeout=timeout_ms)
        self.recorder.steps[-1].screenshot = str(path)

    def _do_dialog(self, step: Step, timeout_ms: float) -> None:
        self.next_dialog = {"accept": step.args["accept"], "prompt_text": step.args.get("prompt_text")}

    # ------------------------------------------------------------------ email

    def _already_there(self) -> list[str]:
        """Messages to the persona from before this journey (e.g. the receipt of the journey it continues)."""
        if self.mailbox is None:
            return []
        try:
            return [m.id for m in self.mailbox.messages(str(self.values["persona"]["email"]))]
        except JourneyTestError:
            return []

    def _require_mailbox(self) -> Mailbox:
        if self.mailbox is None:
            raise AssertionError("this step reads email, but no mailbox is configured: run with --smtp-sink PORT "
                                 "(and point the site's SMTP there), or --mailbox imap://… / mailpit://HOST:PORT")
        return self.mailbox

    def _recipient(self, args: dict[str, Any]) -> str:
        return self.render(args["to"]) if args.get("to") else str(self.values["persona"]["email"])

    def _matches(self, message: CapturedEmail, args: dict[str, Any], *, unclaimed_only: bool = False) -> bool:
        if message.id in self.before or message.received_at < self.mail_since - 1.0:
            return False
        if unclaimed_only and message.id in self.claimed:
            return False
        subjects = [self.render(t).casefold() for t in args["subject"]]
        if subjects and not any(t in message.subject.casefold() for t in subjects):
            return False
        wanted = [self.render(t).casefold() for t in args["contains"]]
        return not wanted or any(t in email_haystack(message).casefold() for t in wanted)

    def _wait_mail(self, mailbox: Mailbox, recipient: str, args: dict[str, Any], seconds: float,
                   unclaimed_only: bool = False) -> CapturedEmail | None:
        started = time.monotonic()
        try:
            return wait_for_email(mailbox, recipient, lambda m: self._matches(m, args, unclaimed_only=unclaimed_only), seconds)
        finally:
            self.recorder.exclude_wait(time.monotonic() - started)

    def _do_expect_email(self, step: Step, timeout_ms: float) -> None:
        args = step.args
        mailbox = self._require_mailbox()
        recipient = self._recipient(args)
        message = self._wait_mail(mailbox, recipient, args, args["within_s"])
        if message is None:
            others = [m.subject for m in mailbox.messages(recipient) if m.id not in self.before and m.received_at >= self.mail_since - 1.0]
            wanted = " and ".join(filter(None, [
                f"subject containing {' or '.join(repr(t) for t in args['subject'])}" if args["subject"] else "",
                f"text containing {' or '.join(repr(t) for t in args['contains'])}" if args["contains"] else ""])) or "any email"
            seen = f"; emails that did arrive: {', '.join(repr(s) for s in others)}" if others else "; no email arrived at all"
            raise AssertionError(f"expected an email to {recipient} with {wanted} within {args['within_s']:g}s{seen}")
        self.claimed.add(message.id)
        self.last_email = message
        everything = email_haystack(message, with_raw=True)
        for forbidden in args["not_contains"]:
            value = self.render(forbidden)
            if value and value in everything:
                # Name the placeholder, never the value: it may be a secret.
                raise AssertionError(f"the email {message.subject!r} to {recipient} contains {forbidden}, which it must not")

    def _do_expect_no_email(self, step: Step, timeout_ms: float) -> None:
        args = step.args
        mailbox = self._require_mailbox()
        recipient = self._recipient(args)
        message = self._wait_mail(mailbox, recipient, args, args["within_s"], unclaimed_only=True)
        if message is not None:
            raise AssertionError(f"expected no further email to {recipient}, but {message.subject!r} arrived "
                                 f"(from {message.sender or message.envelope_from})")

    def _do_open_email_link(self, step: Step, timeout_ms: float) -> None:
        if self.last_email is None:
            raise AssertionError("there is no email to open a link from: put an expect_email step before this one")
        texts = [self.render(t).casefold() for t in step.args["text"]]
        fragment = self.render(step.args["url"]) if step.args["url"] else None
        for text, href in self.last_email.link_texts or [("", link) for link in self.last_email.links]:
            if (not texts or any(t in text.casefold() for t in texts)) and (not fragment or fragment in href):
                self.opened_links.append({"href": href, "text": text, "email_id": self.last_email.id,
                                          "subject": self.last_email.subject, "at": time.time()})
                self.page.goto(href, timeout=timeout_ms)
                self.recorder.record_action("click", counted=step.counted)
                return
        available = ", ".join(repr(t or h) for t, h in self.last_email.link_texts) or ", ".join(self.last_email.links) or "none"
        raise AssertionError(f"the email {self.last_email.subject!r} has no link matching {step.label()}; its links: {available}")

    def captured_emails(self) -> list[CapturedEmail]:
        """Every message to the persona that arrived while this journey ran."""
        if self.mailbox is None:
            return []
        try:
            recipient = str(self.values["persona"]["email"])
            return [m for m in self.mailbox.messages(recipient) if m.id not in self.before and m.received_at >= self.mail_since - 1.0]
        except JourneyTestError:
            return []


def email_haystack(message: CapturedEmail, *, with_raw: bool = False) -> str:
    """The text a reader can see in an email; with_raw adds HTML source, links and attachments."""
    parts = [message.subject, message.text, html_to_text(message.html)]
    if with_raw:
        parts += [message.html, *message.links, *(a.text for a in message.attachments)]
    return "\n".join(parts)


def _any_of(texts: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in texts), re.IGNORECASE)


def url_pattern(expected: str, base_url: str | None) -> re.Pattern[str]:
    """'/account' -> that path on the site (any query/fragment); globs: '*' one segment, '**' anything."""
    if expected.startswith("/") and base_url:
        expected = base_url + expected
    if "*" in expected:
        body = "".join(".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part)
                       for part in re.split(r"(\*\*|\*)", expected))
    else:
        body = re.escape(expected.rstrip("/")) + "/?"
    return re.compile(f"^{body}(?:[?#].*)?$")


_NET_ERRORS = {
    "ERR_CONNECTION_REFUSED": "the site refused the connection: is it running, and is the base URL right?",
    "ERR_NAME_NOT_RESOLVED": "the site's host name could not be resolved: check the base URL",
    "ERR_CONNECTION_TIMED_OUT": "the site did not answer (connection timed out)",
    "ERR_ADDRESS_UNREACHABLE": "the site's address cannot be reached from this machine",
    "ERR_CONNECTION_RESET": "the site closed the connection",
    "ERR_UNSAFE_PORT": "the browser refuses to open this port (it is reserved for other protocols): check the base URL",
}


def explain_failure(step: Step, exc: BaseException, timeout_ms: float) -> str:
    """Turn a Playwright error into one sentence a product owner can act on."""
    raw = getattr(exc, "message", None) or str(exc)
    first_line = raw.strip().splitlines()[0] if raw.strip() else type(exc).__name__
    seconds = f"{timeout_ms / 1000:g}s"
    if isinstance(exc, TemplateError):
        return f"{step.label()}: {exc}"
    for code, meaning in _NET_ERRORS.items():
        if code in raw:
            url = step.args if isinstance(step.args, str) else ""
            return f"could not open {url}: {meaning} ({code})".replace("open :", "open the page:")
    if "strict mode violation" in raw:
        count = re.search(r"resolved to (\d+) elements", raw)
        many = count.group(1) if count else "several"
        return (f"{step.label()}: {many} elements on the page match this target; "
                "make it more specific (e.g. add 'within:' or 'exact: true') or pick one with 'nth:'")
    if "Timeout" in type(exc).__name__ or "Timeout" in first_line or "timeout" in first_line.lower():
        if step.action in ("click", "fill", "select", "check", "uncheck", "press") or (
                step.action in ("expect", "wait") and isinstance(step.args, dict) and
                isinstance(step.args.get("expected", step.args.get("for")), Target) and step.args.get("kind") != "not_visible"):
            target = _target_of(step)
            if "not visible" in raw or "not enabled" in raw or "not editable" in raw or "element is outside" in raw:
                state = "is there but could not be used (hidden, disabled or covered)"
                return f"{step.label()}: the element {state} within {seconds}"
            return f"{step.label()}: nothing on the page matches {target.describe() if target else 'the target'} (waited {seconds})"
        if step.action == "expect":
            return f"expected {_expectation(step)} within {seconds}, but it did not happen{_actual(raw)}"
        return f"{step.label()}: timed out after {seconds}"
    if isinstance(exc, AssertionError):
        if step.action == "expect":
            return f"expected {_expectation(step)} within {seconds}, but it did not happen{_actual(raw)}"
        return f"{step.label()}: {first_line}"
    return f"{step.label()}: {first_line}"


def _target_of(step: Step) -> Target | None:
    args = step.args
    if isinstance(args, Target):
        return args
    if isinstance(args, dict):
        for key in ("target", "expected", "for"):
            if isinstance(args.get(key), Target):
                return args[key]
    return None


def _expectation(step: Step) -> str:
    kind, expected = step.args["kind"], step.args["expected"]
    if kind in ("text", "title"):
        return f"{'page text' if kind == 'text' else 'page title'} to contain {' or '.join(repr(t) for t in expected)}"
    if kind == "url":
        return f"the page URL to be {expected}"
    if kind == "visible":
        return f"{expected.describe()} to be visible"
    return f"{expected.describe()} not to be visible"


def _actual(raw: str) -> str:
    match = re.search(r"Actual value: (.*)", raw)
    if match and match.group(1).strip() not in ("None", ""):
        value = match.group(1).strip()
        return f" (actual: {value[:200]}{'…' if len(value) > 200 else ''})"
    return ""
