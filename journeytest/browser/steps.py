"""What each page step does on the real page, one function per action (see scenario/steps.py for the table).

Playwright does the waiting: locators auto-wait up to the step timeout. A handler
acts, then tells the effort recorder what the customer did.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from playwright.sync_api import expect

from ..scenario import Step
from ..scenario.steps import (
    Check,
    Click,
    Dialog,
    Expect,
    Fill,
    Goto,
    Press,
    Screenshot,
    Select,
    StepArgs,
    Uncheck,
    Wait,
)

if TYPE_CHECKING:  # type-only: the session calls these handlers with itself
    from .session import JourneySession

Handler = Callable[["JourneySession", Any, Step, float], None]


def _any_of(texts: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in texts), re.IGNORECASE)


def url_pattern(expected: str, base_url: str | None) -> re.Pattern[str]:
    """'/account' -> that path on the site (any query/fragment); globs: '*' one segment, '**' anything."""
    if expected.startswith("/") and base_url:
        expected = base_url + expected
    if "*" in expected:
        body = "".join(
            ".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part)
            for part in re.split(r"(\*\*|\*)", expected)
        )
    else:
        body = re.escape(expected.rstrip("/")) + "/?"
    return re.compile(f"^{body}(?:[?#].*)?$")


def goto(session: JourneySession, args: Goto, step: Step, timeout_ms: float) -> None:
    session.page.goto(session.url_for(args.url), timeout=timeout_ms)


def click(session: JourneySession, args: Click, step: Step, timeout_ms: float) -> None:
    target = session.locator(args.target)
    if session.refuse_payment is not None:
        words = session.words_of(args.target)
        if words is None:  # a CSS or test-id target: read what the element says
            words = target.evaluate(
                "e => (e.innerText || e.value || e.getAttribute('aria-label') || e.title || '').trim()",
                timeout=timeout_ms,
            )
        why = session.refuse_payment(words)
        if why:
            raise AssertionError(
                f"refused: pressing {words!r} would {why}; this run does not allow payments "
                "(add `allow_payments: true` to the scenario for a test or sandbox payment, "
                "or run with --allow-payments)"
            )
    target.click(timeout=timeout_ms)
    session.recorder.record_action("click", counted=step.counted)


def fill(session: JourneySession, args: Fill, step: Step, timeout_ms: float) -> None:
    value = session.render(args.value)
    session.locator(args.target).fill(value, timeout=timeout_ms)
    session.recorder.record_action("fill", value=value, counted=step.counted)
    session.typed.append({"field": step.label(), "value": value})


def select(session: JourneySession, args: Select, step: Step, timeout_ms: float) -> None:
    locator = session.locator(args.target)
    locator.wait_for(state="attached", timeout=timeout_ms)
    wanted = [session.render(o) for o in args.options]
    options = locator.evaluate("el => [...el.options].map(o => [o.value, o.label.trim()])")
    for choice in wanted:
        for value, label in options:
            if choice.casefold() in (value.casefold(), label.casefold()):
                locator.select_option(value=value, timeout=timeout_ms)
                session.recorder.record_action("select", counted=step.counted)
                return
    offered = ", ".join(label for _, label in options) or "none"
    raise AssertionError(
        f"no option {' / '.join(repr(w) for w in wanted)} in {args.target.describe()}; it offers: {offered}"
    )


def check(session: JourneySession, args: Check, step: Step, timeout_ms: float) -> None:
    session.locator(args.target).check(timeout=timeout_ms)
    session.recorder.record_action("check", counted=step.counted)


def uncheck(session: JourneySession, args: Uncheck, step: Step, timeout_ms: float) -> None:
    session.locator(args.target).uncheck(timeout=timeout_ms)
    session.recorder.record_action("uncheck", counted=step.counted)


def press(session: JourneySession, args: Press, step: Step, timeout_ms: float) -> None:
    if args.target is not None:
        session.locator(args.target).press(args.key, timeout=timeout_ms)
    else:
        session.page.keyboard.press(args.key)
    session.recorder.record_action("press", counted=step.counted)


def expect_page(session: JourneySession, args: Expect, step: Step, timeout_ms: float) -> None:
    page = session.page
    if args.kind == "text":
        expect(page.locator("body")).to_contain_text(
            _any_of([session.render(t) for t in args.texts]), timeout=timeout_ms
        )
    elif args.kind == "title":
        expect(page).to_have_title(_any_of([session.render(t) for t in args.texts]), timeout=timeout_ms)
    elif args.kind == "url":
        expect(page).to_have_url(url_pattern(session.render(args.url), session.base_url), timeout=timeout_ms)
    elif args.kind == "visible" and args.element is not None:
        locator = session.locator(args.element)
        expect(locator if args.element.nth is not None else locator.first).to_be_visible(timeout=timeout_ms)
    elif args.element is not None:
        expect(session.locator(args.element).filter(visible=True)).to_have_count(0, timeout=timeout_ms)


def wait(session: JourneySession, args: Wait, step: Step, timeout_ms: float) -> None:
    page = session.page
    if args.seconds is not None:
        page.wait_for_timeout(args.seconds * 1000)
    elif args.element is not None:
        session.locator(args.element).first.wait_for(state="visible", timeout=timeout_ms)
    elif args.url is not None:
        page.wait_for_url(url_pattern(session.render(args.url), session.base_url), timeout=timeout_ms)
    else:
        page.wait_for_load_state(args.load, timeout=timeout_ms)  # type: ignore[arg-type]


def screenshot(session: JourneySession, args: Screenshot, step: Step, timeout_ms: float) -> None:
    path = session.evidence_dir / (args.name if args.name.endswith(".png") else f"{args.name}.png")
    path.parent.mkdir(parents=True, exist_ok=True)
    session.page.screenshot(path=str(path), full_page=args.full_page, timeout=timeout_ms)
    session.recorder.steps[-1].screenshot = str(path)


def dialog(session: JourneySession, args: Dialog, step: Step, timeout_ms: float) -> None:
    session.next_dialog = {"accept": args.accept, "prompt_text": args.prompt_text}


# Steps whose gesture may open a modal dialog over the page: the session looks for one once the step's page is there.
OPENS_MODALS = (Click, Press, Select, Check, Uncheck)

PAGE_STEPS: dict[type[StepArgs], Handler] = {
    Goto: goto,
    Click: click,
    Fill: fill,
    Select: select,
    Check: check,
    Uncheck: uncheck,
    Press: press,
    Expect: expect_page,
    Wait: wait,
    Screenshot: screenshot,
    Dialog: dialog,
}
