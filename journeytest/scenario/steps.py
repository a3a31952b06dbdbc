"""Every step action in one table: its schema, its typed arguments, and what kind of step it is.

An action is declared once here. The scenario schema is built from the table, the
loader turns a step's YAML into the action's argument class with the action's own
parser, and the browser session runs a step by the type of its arguments. Flags on
the argument classes say what the harness must do around a step: pace it
(--action-interval), look for its target, or read mail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar, Literal, Protocol, cast

from .durations import parse_duration
from .fragments import DURATION, TARGET_REF, TEXT_OR_ALTERNATIVES, TIMEOUT, target_with
from .targets import Target


def texts(value: Any) -> tuple[str, ...]:
    """One text or a list of alternatives, as a tuple of texts."""
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


class ArgReader(Protocol):
    """What a parser may ask the loader for: a target at a path below the step (problems are recorded there)."""

    def target(self, raw: Any, *subpath: str | int) -> Target: ...

    def problem(self, message: str, *subpath: str | int, hint: str | None = None) -> None: ...


class StepArgs:
    """Base of every action's arguments."""

    paces: ClassVar[bool] = False  # an action the customer does: spaced by --action-interval
    reads_mail: ClassVar[bool] = False  # reads the mailbox: no page, and its wait is not the customer's time
    acts_on_element: ClassVar[bool] = False  # clicks, types into or presses on an element of the page

    def acting_on(self) -> Target | None:
        """The element the step acts on (its `target`), if it has one."""
        target = getattr(self, "target", None)
        return target if isinstance(target, Target) else None

    def describe(self) -> str | None:
        """What the step acts on, for its label (`click button "Buy"`), or None."""
        target = self.acting_on()
        return target.describe() if target is not None else None

    def target_to_find(self) -> Target | None:
        """The element the step waits for, when a time-out means "nothing on the page matches"."""
        return self.acting_on()


@dataclass(frozen=True)
class Goto(StepArgs):
    url: str
    paces: ClassVar[bool] = True

    def describe(self) -> str | None:
        return self.url


@dataclass(frozen=True)
class Click(StepArgs):
    acts_on_element: ClassVar[bool] = True
    target: Target
    paces: ClassVar[bool] = True


@dataclass(frozen=True)
class Fill(StepArgs):
    acts_on_element: ClassVar[bool] = True
    target: Target
    value: str
    paces: ClassVar[bool] = True


@dataclass(frozen=True)
class Select(StepArgs):
    acts_on_element: ClassVar[bool] = True
    target: Target
    options: tuple[str, ...]
    paces: ClassVar[bool] = True


@dataclass(frozen=True)
class Check(StepArgs):
    acts_on_element: ClassVar[bool] = True
    target: Target
    paces: ClassVar[bool] = True


@dataclass(frozen=True)
class Uncheck(StepArgs):
    acts_on_element: ClassVar[bool] = True
    target: Target
    paces: ClassVar[bool] = True


@dataclass(frozen=True)
class Press(StepArgs):
    acts_on_element: ClassVar[bool] = True
    key: str
    target: Target | None = None
    paces: ClassVar[bool] = True


ExpectKind = Literal["text", "title", "url", "visible", "not_visible"]


@dataclass(frozen=True)
class Expect(StepArgs):
    kind: ExpectKind
    texts: tuple[str, ...] = ()  # text, title
    url: str = ""  # url
    element: Target | None = None  # visible, not_visible

    def describe(self) -> str | None:
        """What is expected, for the step's label: `text "Welcome"`, `url /account`, `not_visible button "Pay"`."""
        if self.kind == "url":
            return f"url {self.url}"
        if self.element is not None:
            return f"{self.kind} {self.element.describe()}"
        return f"{self.kind} " + " / ".join(f'"{text}"' for text in self.texts)

    def target_to_find(self) -> Target | None:
        return self.element if self.kind == "visible" else None


@dataclass(frozen=True)
class Wait(StepArgs):
    seconds: float | None = None
    element: Target | None = None
    url: str | None = None
    load: str | None = None

    def describe(self) -> str | None:
        return None

    def target_to_find(self) -> Target | None:
        return self.element


@dataclass(frozen=True)
class Screenshot(StepArgs):
    name: str
    full_page: bool = False


@dataclass(frozen=True)
class Dialog(StepArgs):
    accept: bool
    prompt_text: str | None = None


@dataclass(frozen=True)
class ExpectEmail(StepArgs):
    to: str | None
    subject: tuple[str, ...]
    contains: tuple[str, ...]
    not_contains: tuple[str, ...]
    within_s: float
    reads_mail: ClassVar[bool] = True


@dataclass(frozen=True)
class ExpectNoEmail(StepArgs):
    to: str | None
    subject: tuple[str, ...]
    contains: tuple[str, ...]
    within_s: float
    reads_mail: ClassVar[bool] = True


CaptureSource = Literal["email", "page"]
SECRET_NAME = ("password", "passwd", "pwd", "secret", "token", "code", "otp", "pin", "key", "pass")


@dataclass(frozen=True)
class Capture(StepArgs):
    """Keep a value from the last email or the page, for later steps: `{captured.NAME}`."""

    name: str
    source: CaptureSource = "email"
    after: str | None = None  # the token after a label ("Password :")
    link: str | None = None  # a link, by its text or part of its URL
    pattern: str | None = None  # a regular expression: its first group, else the whole match
    secret: bool | None = None  # None: decided by the name and the value (a password-like value is masked)
    reads_mail: ClassVar[bool] = False

    def describe(self) -> str | None:
        how = f"after {self.after!r}" if self.after else f"link {self.link!r}" if self.link else f"/{self.pattern}/"
        return f"{self.name} from the {self.source}, {how}"

    def named_as_secret(self) -> bool:
        return any(word in self.name.casefold() for word in SECRET_NAME)


@dataclass(frozen=True)
class ReplyEmail(StepArgs):
    """Reply to the last email, as a customer's mail client does (list servers confirm by a reply)."""

    body: str = ""
    paces: ClassVar[bool] = True

    def describe(self) -> str | None:
        return None


@dataclass(frozen=True)
class OpenEmailLink(StepArgs):
    texts: tuple[str, ...]
    url: str | None
    paces: ClassVar[bool] = True


Parser = Callable[[Any, ArgReader], StepArgs]


@dataclass(frozen=True)
class Action:
    """One step action: its key in the YAML, its schema fragment and how its value is read."""

    name: str
    schema: dict[str, Any]
    parse: Parser | None  # None: expanded by the loader itself (include)


def _press(value: Any, read: ArgReader) -> StepArgs:
    if isinstance(value, str):
        return Press(value)
    return Press(value["key"], read.target(_without(value, "key")))


def _expect(value: Any, read: ArgReader) -> StepArgs:
    ((kind, expected),) = value.items()
    if kind in ("visible", "not_visible"):
        return Expect(cast(ExpectKind, kind), element=read.target(expected, kind))
    if kind == "url":
        return Expect("url", url=expected)
    return Expect(cast(ExpectKind, kind), texts=texts(expected))


def _wait(value: Any, read: ArgReader) -> StepArgs:
    if not isinstance(value, dict):
        return Wait(seconds=parse_duration(value))
    ((kind, expected),) = value.items()
    if kind == "for":
        return Wait(element=read.target(expected, "for"))
    return Wait(url=expected) if kind == "url" else Wait(load=expected)


def _email(value: Any, default_wait_s: float) -> dict[str, Any]:
    return {
        "to": value.get("to"),
        "subject": texts(value.get("subject")),
        "contains": texts(value.get("contains")),
        "within_s": parse_duration(value["within"]) if "within" in value else default_wait_s,
    }


def _screenshot(value: Any, read: ArgReader) -> StepArgs:
    if isinstance(value, str):
        return Screenshot(value)
    return Screenshot(value["name"], bool(value.get("full_page", False)))


def _dialog(value: Any, read: ArgReader) -> StepArgs:
    if isinstance(value, str):
        return Dialog(value == "accept")
    return Dialog(bool(value["accept"]), value.get("prompt_text"))


def _capture(value: Any, read: ArgReader) -> StepArgs:
    ways = [key for key in ("after", "link", "pattern") if key in value]
    if len(ways) != 1:
        found = f"found {' and '.join(ways)}" if ways else "found none"
        read.problem(
            f"a capture needs exactly one of after, link or pattern; {found}",
            hint="after: 'Password :' keeps the token after a label; link: 'confirm' keeps a link's address; "
            "pattern: 'Order ([A-Z0-9]+)' keeps what a regular expression matches",
        )
    if "pattern" in value:
        try:
            re.compile(value["pattern"])
        except re.error as error:
            read.problem(f"the pattern is not a valid regular expression: {error}", "pattern")
    return Capture(
        str(value["name"]),
        cast(CaptureSource, value.get("from", "email")),
        value.get("after"),
        value.get("link"),
        value.get("pattern"),
        value.get("secret"),
    )


def _open_email_link(value: Any, read: ArgReader) -> StepArgs:
    if isinstance(value, str):
        return OpenEmailLink(texts(value), None)
    return OpenEmailLink(texts(value.get("text")), value.get("url"))


ACTIONS: tuple[Action, ...] = (
    Action(
        "goto",
        {"type": "string", "minLength": 1, "description": "Open a URL, or a path relative to the site's base URL."},
        lambda value, read: Goto(value),
    ),
    Action("click", {**TARGET_REF, "description": "Click an element."}, lambda value, read: Click(read.target(value))),
    Action(
        "fill",
        target_with({"value": {"type": ["string", "number"], "description": "The text to type."}}, ["value"]),
        lambda value, read: Fill(read.target(_without(value, "value")), str(value["value"])),
    ),
    Action(
        "select",
        target_with({"option": {**TEXT_OR_ALTERNATIVES, "description": "Option label or value."}}, ["option"]),
        lambda value, read: Select(read.target(_without(value, "option")), texts(value["option"])),
    ),
    Action(
        "check",
        {**TARGET_REF, "description": "Tick a checkbox or choose a radio button."},
        lambda value, read: Check(read.target(value)),
    ),
    Action(
        "uncheck", {**TARGET_REF, "description": "Untick a checkbox."}, lambda value, read: Uncheck(read.target(value))
    ),
    Action(
        "press",
        {
            "description": "Press a key (Enter, Tab, Escape, Control+A...), optionally on a target.",
            "oneOf": [
                {"type": "string", "minLength": 1},
                target_with({"key": {"type": "string", "minLength": 1}}, ["key"]),
            ],
        },
        _press,
    ),
    Action(
        "expect",
        {
            "type": "object",
            "description": "Check the page. Exactly one of: text, url, title, visible, not_visible.",
            "properties": {
                "text": TEXT_OR_ALTERNATIVES,
                "url": {"type": "string", "description": "Path ('/account'), full URL, or glob ('**/orders/*')."},
                "title": TEXT_OR_ALTERNATIVES,
                "visible": TARGET_REF,
                "not_visible": TARGET_REF,
            },
            "minProperties": 1,
            "maxProperties": 1,
            "additionalProperties": False,
        },
        _expect,
    ),
    Action(
        "wait",
        {
            "description": "Pause for a duration, or until a target is visible, the URL matches, or the page is loaded.",
            "oneOf": [
                DURATION,
                {
                    "type": "object",
                    "properties": {
                        "for": TARGET_REF,
                        "url": {"type": "string"},
                        "load": {"enum": ["load", "domcontentloaded", "networkidle"]},
                    },
                    "minProperties": 1,
                    "maxProperties": 1,
                    "additionalProperties": False,
                },
            ],
        },
        _wait,
    ),
    Action(
        "screenshot",
        {
            "description": "Save a screenshot in the output folder under this name.",
            "oneOf": [
                {"type": "string", "pattern": r"^[A-Za-z0-9_.-]+$"},
                {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]+$"},
                        "full_page": {"type": "boolean"},
                    },
                    "required": ["name"],
                    "additionalProperties": False,
                },
            ],
        },
        _screenshot,
    ),
    Action(
        "dialog",
        {
            "description": "How to answer the next JavaScript alert/confirm/prompt (default: accept).",
            "oneOf": [
                {"enum": ["accept", "dismiss"]},
                {
                    "type": "object",
                    "properties": {"accept": {"type": "boolean"}, "prompt_text": {"type": "string"}},
                    "required": ["accept"],
                    "additionalProperties": False,
                },
            ],
        },
        _dialog,
    ),
    Action(
        "expect_email",
        {
            "type": "object",
            "description": "Wait for an email to the persona (or 'to') that matches, and check what it must not contain.",
            "properties": {
                "to": {"type": "string", "description": "Recipient (default: {persona.email})."},
                "subject": {**TEXT_OR_ALTERNATIVES, "description": "Text the subject contains."},
                "contains": {**TEXT_OR_ALTERNATIVES, "description": "Text the email contains (subject, text or HTML)."},
                "not_contains": {
                    **TEXT_OR_ALTERNATIVES,
                    "description": "Text the email must not contain, e.g. '{persona.password}'.",
                },
                "within": {
                    **TIMEOUT,
                    "description": "How long to wait for it (default 30s); not counted as journey time.",
                },
            },
            "additionalProperties": False,
        },
        lambda value, read: ExpectEmail(**_email(value, 30.0), not_contains=texts(value.get("not_contains"))),
    ),
    Action(
        "expect_no_email",
        {
            "type": "object",
            "description": "Fail if an email (matching subject/contains, if given) arrives that no earlier "
            "expect_email claimed.",
            "properties": {
                "to": {"type": "string"},
                "subject": TEXT_OR_ALTERNATIVES,
                "contains": TEXT_OR_ALTERNATIVES,
                "within": {**TIMEOUT, "description": "How long to watch (default 5s)."},
            },
            "additionalProperties": False,
        },
        lambda value, read: ExpectNoEmail(**_email(value, 5.0)),
    ),
    Action(
        "open_email_link",
        {
            "description": "Open a link from the last email expect_email found, by its text or part of its URL.",
            "oneOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {"text": TEXT_OR_ALTERNATIVES, "url": {"type": "string", "minLength": 1}},
                    "minProperties": 1,
                    "additionalProperties": False,
                },
            ],
        },
        _open_email_link,
    ),
    Action(
        "reply_email",
        {
            "type": "object",
            "description": "Reply to the last email expect_email found (To: its Reply-To, else its From; Subject: "
            "'Re: …'; the original quoted), sent to the site's mail server, site.mail_in.",
            "properties": {"body": {"type": "string", "description": "What the customer writes above the quote."}},
            "additionalProperties": False,
        },
        lambda value, read: ReplyEmail(str((value or {}).get("body", ""))),
    ),
    Action(
        "capture",
        {
            "type": "object",
            "description": "Keep a value for later steps as {captured.NAME}: from the last email expect_email found "
            "(default) or from the page, the token after a label, a link, or what a regular expression matches.",
            "properties": {
                "name": {
                    "type": "string",
                    "pattern": r"^[A-Za-z_][A-Za-z0-9_]*$",
                    "description": "The value's name: later steps write {captured.NAME}.",
                },
                "from": {"enum": ["email", "page"], "description": "Where to look (default: email)."},
                "after": {
                    "type": "string",
                    "minLength": 1,
                    "description": "The label the value follows, e.g. 'Password :' or 'Your order number is'.",
                },
                "link": {
                    "type": "string",
                    "minLength": 1,
                    "description": "A link (its address is kept), by its text or part of its URL.",
                },
                "pattern": {
                    "type": "string",
                    "minLength": 1,
                    "description": "A regular expression; its first group is kept, else the whole match.",
                },
                "secret": {
                    "type": "boolean",
                    "description": "Mask it everywhere (default: when its name or value looks like a "
                    "password, token or code).",
                },
            },
            "required": ["name"],
            "additionalProperties": False,
        },
        _capture,
    ),
    Action(
        "include",
        {
            "description": "Run a reusable block of steps defined under 'blocks' (or imported), with parameters.",
            "oneOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {
                        "block": {"type": "string", "minLength": 1},
                        "with": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
                    },
                    "required": ["block"],
                    "additionalProperties": False,
                },
            ],
        },
        None,
    ),
)
ACTION_BY_NAME: dict[str, Action] = {action.name: action for action in ACTIONS}


def rendered(args: StepArgs, render: Callable[[str], str]) -> StepArgs:
    """The arguments with every placeholder filled in, as the run fills them (raises TemplateError on a missing one)."""
    changes = {f.name: _rendered(getattr(args, f.name), render) for f in fields(args)}  # type: ignore[arg-type]
    return replace(args, **changes)  # type: ignore[type-var]


def _rendered(value: Any, render: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return render(value)
    if isinstance(value, Target):
        return replace(
            value,
            values=_rendered(value.values, render),
            name=_rendered(value.name, render),
            within=_rendered(value.within, render),
            alternatives=_rendered(value.alternatives, render),
        )
    if isinstance(value, tuple):
        return tuple(_rendered(item, render) for item in value)
    return value


def strings_of(value: Any) -> list[str]:
    """Every text in a step's arguments (targets' words included): where placeholders can be."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, StepArgs | Target):
        return [text for f in fields(value) for text in strings_of(getattr(value, f.name))]  # type: ignore[arg-type]
    if isinstance(value, tuple | list):
        return [text for item in value for text in strings_of(item)]
    return []
