"""A Playwright error, told as one sentence a product owner can act on."""

from __future__ import annotations

import re

from ..errors import TemplateError
from ..scenario import Step
from ..scenario.steps import Expect, Goto

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
    args = step.args
    if isinstance(exc, TemplateError):
        return f"{step.label()}: {exc}"
    for code, meaning in _NET_ERRORS.items():
        if code in raw:
            url = args.url if isinstance(args, Goto) else ""
            return f"could not open {url}: {meaning} ({code})".replace("open :", "open the page:")
    if "strict mode violation" in raw:
        count = re.search(r"resolved to (\d+) elements", raw)
        many = count.group(1) if count else "several"
        return (
            f"{step.label()}: {many} elements on the page match this target; "
            "make it more specific (e.g. add 'within:' or 'exact: true') or pick one with 'nth:'"
        )
    if "Timeout" in type(exc).__name__ or "Timeout" in first_line or "timeout" in first_line.lower():
        target = args.target_to_find()
        if args.acts_on_element or target is not None:
            if "not visible" in raw or "not enabled" in raw or "not editable" in raw or "element is outside" in raw:
                state = "is there but could not be used (hidden, disabled or covered)"
                return f"{step.label()}: the element {state} within {seconds}"
            return f"{step.label()}: nothing on the page matches {target.describe() if target else 'the target'} (waited {seconds})"
        if isinstance(args, Expect):
            return f"expected {expectation(args)} within {seconds}, but it did not happen{_actual(raw)}"
        return f"{step.label()}: timed out after {seconds}"
    if isinstance(exc, AssertionError):
        if isinstance(args, Expect):
            return f"expected {expectation(args)} within {seconds}, but it did not happen{_actual(raw)}"
        return f"{step.label()}: {first_line}"
    return f"{step.label()}: {first_line}"


def expectation(args: Expect) -> str:
    """What an `expect` step expected, in words (for failures and for the report)."""
    if args.kind in ("text", "title"):
        return f"{'page text' if args.kind == 'text' else 'page title'} to contain {' or '.join(repr(t) for t in args.texts)}"
    if args.kind == "url":
        return f"the page URL to be {args.url}"
    assert args.element is not None
    if args.kind == "visible":
        return f"{args.element.describe()} to be visible"
    return f"{args.element.describe()} not to be visible"


def _actual(raw: str) -> str:
    match = re.search(r"Actual value: (.*)", raw)
    if match and match.group(1).strip() not in ("None", ""):
        value = match.group(1).strip()
        return f" (actual: {value[:200]}{'…' if len(value) > 200 else ''})"
    return ""
