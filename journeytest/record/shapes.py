"""The typed shapes that pass between stages: what a recorded journey holds, and what each live search found.

The browser session fills them, checks read them, the results file writes them as
JSON: each is a plain dict at run time, typed here so a check author (and mypy) sees
every key.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

# ----------------------------------------------------------------------------- a recorded journey


class Control(TypedDict):
    """One visible control of a screen (a link, button, input…), with its size for prominence."""

    tag: str
    type: str
    text: str
    href: str
    required: bool
    area: int
    name: str
    font_px: float
    collapsed: bool


class Screen(TypedDict, total=False):
    """What the customer saw on one screen: its text and its visible controls."""

    url: str
    title: str
    lang: str
    text: str
    controls: list[Control]
    captcha: bool
    step: int


class StepSummary(TypedDict):
    """One step as it happened (a StepRecord as data)."""

    index: int
    action: str
    label: str
    location: str
    url_before: str
    url_after: str
    started_at: float
    duration_s: float
    outcome: str  # passed | failed | skipped
    counted: bool
    screenshot: str | None
    error: str | None


class AttachmentSummary(TypedDict):
    filename: str
    content_type: str
    size: int
    text: str


EmailSummary = TypedDict(
    "EmailSummary",
    {
        "id": str,
        "received_at": float,
        "subject": str,
        "from": str,
        "to": list[str],
        "text": str,
        "html": str,
        "links": list[str],
        "attachments": list[AttachmentSummary],
        "headers": dict[str, str],
        "path": str | None,
        "problems": list[str],
    },
)
"""What a journey result keeps of an email: enough to read and judge it, plus where the raw message is."""


class OpenedLink(TypedDict):
    """A link a journey followed from an email (the reset-link check opens it again)."""

    href: str
    text: str
    email_id: str
    subject: str
    at: float


class TypedEntry(TypedDict):
    """What the customer wrote into one field (secrets masked)."""

    field: str
    value: str


class EffortFigures(TypedDict, total=False):
    """A journey's effort (Effort as data); `actions` and `screens` are what parity checks compare."""

    clicks: int
    fields_filled: int
    fields_chosen: int
    keystrokes: int
    key_presses: int
    page_loads: int
    route_changes: int
    dialogs: int
    distinct_pages: int
    uncounted_actions: int
    wall_time_s: float
    waiting_for_email_s: float
    harness_pauses_s: float
    actions: int
    screens: int


# ----------------------------------------------------------------------------- what the live searches found


class FoundControl(TypedDict):
    """A control the cancel search met on a page."""

    text: str
    href: str
    tag: str
    submits: bool
    font_px: float
    area: int
    collapsed: bool


class CancelSearch(TypedDict):
    """explore:cancel, from one start page: was a cancel control found, and how many clicks away."""

    start: str  # "account" or "home"
    start_url: str
    start_journey: NotRequired[str]  # the journey whose end the "account" search started from
    logged_in: bool
    found: bool
    clicks: int | None
    path: list[str]  # link texts followed, then the cancel control
    control: FoundControl | None
    page: str | None
    pages_searched: int
    max_clicks: int
    error: str | None


class Sighting(TypedDict):
    """Where a customer first meets one contact detail: clicks from the start, and by which links."""

    kind: str  # email | phone | form | address | image
    value: str
    source: str
    note: str
    depth: int
    path: list[str]
    page: str


class ContactFindings(TypedDict):
    """explore:contact, from one start page (the home page, or a deep page)."""

    start: str
    start_url: str
    max_clicks: int
    search_clicks: int
    found: dict[str, Sighting]  # kind -> the nearest visible detail that counts as a channel
    other: list[Sighting]  # noreply, premium-rate and image-only sightings
    structured: list[Sighting]  # from JSON-LD / microdata / microformats
    visible: list[Sighting]  # every email and phone a customer can read
    pages_fetched: int
    pages_rendered: int
    seconds: float
    budget_exhausted: bool
    errors: list[str]


class LoginAttempt(TypedDict, total=False):
    """A journey rerun logged out with a mailed password in place of the persona's."""

    passed: bool
    error: str | None
    final_url: str
    asks_for_new_password: bool  # the page has a form to set a password (new-password field, or new + confirm)
    page_text: str
    said: str  # the page's alert, status line or heading


class PasswordUse(TypedDict):
    """The file's own step that logs in with a captured mailed password (`{captured.NAME}`)."""

    journey: str
    step: int  # index in the journey's steps
    location: str
    placeholder: str


class GeneratedPassword(TypedDict, total=False):
    """A password the site made up and mailed, and what logging in with it did."""

    journey: str
    email_id: str
    subject: str
    label: str
    token: str
    tried: bool
    attempt: LoginAttempt  # the file's login journey, rerun with it right after `journey`
    used_by: PasswordUse  # or: the file logs in with it itself


class ReopenedLink(TypedDict):
    """A reset link opened a second time, logged out."""

    href: str
    refused: bool
    status: int | None
    excerpt: str


Findings = Any  # what an explorer returns: one of the shapes above, or a user explorer's own JSON-like data
