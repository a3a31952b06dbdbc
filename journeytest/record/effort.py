"""What a journey cost the customer.

Counted the same way for every journey so a cancel journey can be compared
with the sign-up it undoes (see the checks catalogue, section 2): one action
per required gesture (a click, a field filled, an option chosen, a key
pressed), a screen per page load, in-app route change, or modal dialog.
Steps marked `count: false` (a cookie banner) are logged but not counted.
The customer's clock runs from the first step to the end of the last one, less the harness's own time
(screenshots, screen snapshots, politeness pauses) and the wait for email.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import cast
from urllib.parse import parse_qsl, urlencode, urlsplit

from .shapes import EffortFigures, Screen


@dataclass
class StepRecord:
    """One step as it happened: for reports and for checks that read pages."""

    index: int
    action: str
    label: str
    location: str
    url_before: str
    url_after: str = ""
    started_at: float = 0.0
    duration_s: float = 0.0
    outcome: str = "passed"  # passed | failed | skipped
    counted: bool = True
    screenshot: str | None = None
    error: str | None = None


@dataclass
class Effort:
    """The effort figures of one journey; `actions` is what parity checks compare."""

    clicks: int = 0
    fields_filled: int = 0
    fields_chosen: int = 0
    keystrokes: int = 0
    key_presses: int = 0
    page_loads: int = 0
    route_changes: int = 0
    dialogs: int = 0
    distinct_pages: int = 0
    uncounted_actions: int = 0
    wall_time_s: float = 0.0
    waiting_for_email_s: float = 0.0
    harness_pauses_s: float = (
        0.0  # screenshots, screen snapshots and --action-interval pauses: the harness's time, not the customer's
    )

    @property
    def actions(self) -> int:
        return self.clicks + self.fields_filled + self.fields_chosen + self.key_presses

    @property
    def screens(self) -> int:
        return self.page_loads + self.route_changes + self.dialogs

    def as_dict(self) -> EffortFigures:
        data = asdict(self)
        data.update(actions=self.actions, screens=self.screens)
        return cast(EffortFigures, data)


# Query keys whose values say nothing about which page it is: tracking and click ids, session ids, security
# tokens and passwords, cache-busters, and where to go afterwards (MediaWiki's returnto, Redmine's back_url,
# Trac's referer).
VOLATILE_KEYS = re.compile(
    r"^(?:utm_\w+|gclid|gbraid|wbraid|dclid|fbclid|msclkid|yclid|twclid|ttclid|igshid|mc_cid|mc_eid|_ga|_gl|"
    r"_hs\w*|__hs\w*|mkt_tok|ref|ref_src|"
    r"sid|sessid|session|session_?id|phpsessid|jsessionid|cfid|cftoken|oscsid|zenid|"
    r"\w*token\w*|\w*nonce\w*|csrf\w*|xsrf\w*|sectok|sig|signature|hmac|\w*passw\w*|passwd|pwd|"
    r"_|_dc|cb|cache_?bust\w*|nocache|no_cache|rnd|rand|random|ts|timestamp|"
    r"returnto\w*|return_?to|return_?url|redirect\w*|next|back_?url|came_?from|continue|referr?er|destination)$",
    re.IGNORECASE,
)
# Keys of one-time links (confirmation, activation, reset, sign-in): with a value of 6 characters or more, the value
# is the secret, not the page (`/activate?key=a1b2c3d4` is the activation page for everyone).
SECRET_VALUE_KEYS = re.compile(
    r"^(?:key|code|hash|otp|ticket|auth|pwauth|confirm\w*|activat\w*|verif\w*|reset\w*|magic\w*)$", re.IGNORECASE
)
# A value no person would type or link to twice: a UUID, a hex digest, or a long run of mixed letters and digits.
HEX_OR_UUID = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=.*\d)(?=.*[a-f])[0-9a-f]{16,})$", re.I
)
TOKEN_ALPHABET = re.compile(r"^[A-Za-z0-9_\-+/=.~]{16,}$")


def looks_random(value: str) -> bool:
    """A token, not a name: a UUID or digest, or letters and digits that change kind (a→B→7) every few characters.
    'Meeting_notes_2026-05' and 'Special:UserLogin' are names; 'Zm9vYmFyMTIzNDU2Nzg5' is not."""
    if HEX_OR_UUID.match(value):
        return True
    if not TOKEN_ALPHABET.match(value):
        return False
    kinds = ["d" if c.isdigit() else "u" if c.isupper() else "l" for c in value if c.isalnum()]
    changes = sum(1 for a, b in zip(kinds, kinds[1:], strict=False) if a != b)
    return changes * 4 >= len(kinds)


SESSION_IN_PATH = re.compile(r";(?:jsessionid|sid|phpsessid)=[^/]*", re.IGNORECASE)


def routing_query(query: str) -> str:
    """The part of a query string that says which page it is (`do=register`, `title=Special:UserLogin`), in a fixed
    order; volatile keys (VOLATILE_KEYS), random-looking values, long values and other URLs are left out."""
    kept = sorted(
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if not VOLATILE_KEYS.match(key)
        and not (SECRET_VALUE_KEYS.match(key) and len(value) >= 6)
        and len(value) <= 64
        and not looks_random(value)
        and "://" not in value
    )
    return urlencode(kept, safe=":/@!$'()*,;")


def screen_key(url: str) -> str:
    """Which 'page' a URL is: path, the query keys that route (`doku.php?do=login`, `index.php?title=…`), plus a
    hash route ('#/settings')."""
    parts = urlsplit(url)
    key = f"{parts.scheme}://{parts.netloc}{SESSION_IN_PATH.sub('', parts.path) or '/'}"
    query = routing_query(parts.query)
    if query:
        key += "?" + query
    if parts.fragment.startswith("/") or parts.fragment.startswith("!/"):
        key += "#" + parts.fragment
    return key


@dataclass
class EffortRecorder:
    """Accumulates effort while the browser session runs a journey's steps."""

    effort: Effort = field(default_factory=Effort)
    steps: list[StepRecord] = field(default_factory=list)
    pages_seen: list[str] = field(default_factory=list)
    screens: list[Screen] = field(default_factory=list)  # text and controls of each screen reached
    started: float = field(default_factory=time.monotonic)
    counting: bool = True
    navigations: int = 0  # every load or route change, counted or not: tells the session a new screen appeared
    held: list[Callable[[], None]] | None = None  # between steps: what the page reports waits for the next step
    excluded_before_start: float = 0.0  # harness time spent before the clock started (resuming a journey)

    def start_clock(self) -> None:
        """The customer's time starts with the first step: the browser context, the page and the resumed page
        are ready, in every journey alike."""
        self.started = time.monotonic()
        self.excluded_before_start = self.effort.harness_pauses_s + self.effort.waiting_for_email_s

    def hold(self) -> None:
        """A step has ended (its page is there): what the page reports from now on, a late load, a route change, a
        dialog, belongs to the next step, or to none after the last. So the snapshot or screenshot the harness takes
        meanwhile, in some journeys and not others, never decides whether it is counted."""
        if self.held is None:
            self.held = []

    def release(self) -> None:
        """The next step begins: what happened between the steps counts now, as part of it."""
        held, self.held = self.held or [], None
        for event in held:
            event()

    def on_page_load(self, url: str) -> None:
        if self.held is not None:
            self.held.append(lambda: self.on_page_load(url))
            return
        self.navigations += 1
        if self.counting:
            self.effort.page_loads += 1
            self._saw(url)

    def on_route_change(self, url: str) -> None:
        if self.held is not None:
            self.held.append(lambda: self.on_route_change(url))
            return
        self.navigations += 1
        if self.counting:
            self.effort.route_changes += 1
            self._saw(url)

    def resume_at(self, url: str) -> None:
        """A journey that continues another starts on that journey's last page: seen, not loaded."""
        self._saw(url)

    def on_dialog(self) -> None:
        if self.held is not None:
            self.held.append(self.on_dialog)
            return
        if self.counting:
            self.effort.dialogs += 1

    def _saw(self, url: str) -> None:
        if url and not url.startswith("about:"):
            key = screen_key(url)
            if key not in self.pages_seen:
                self.pages_seen.append(key)

    def record_action(self, action: str, *, value: str = "", counted: bool = True) -> None:
        if not counted:
            self.effort.uncounted_actions += 1
            return
        if action == "click":
            self.effort.clicks += 1
        elif action == "fill":
            self.effort.fields_filled += 1
            self.effort.keystrokes += len(value)
        elif action in ("select", "check", "uncheck"):
            self.effort.fields_chosen += 1
        elif action == "press":
            self.effort.key_presses += 1
            self.effort.keystrokes += 1

    def exclude_wait(self, seconds: float) -> None:
        """Time the customer spends waiting for an email is not journey effort."""
        self.effort.waiting_for_email_s += seconds

    def exclude_pause(self, seconds: float) -> None:
        """Time the harness itself spends (screenshots, screen snapshots, politeness pauses) is not journey effort."""
        self.effort.harness_pauses_s = round(self.effort.harness_pauses_s + seconds, 3)

    def finish(self) -> Effort:
        """Close the count at the end of the last step: what the page does after it is no step's cost."""
        self.held = None
        self.effort.distinct_pages = len(self.pages_seen)
        excluded = self.effort.waiting_for_email_s + self.effort.harness_pauses_s - self.excluded_before_start
        self.effort.wall_time_s = round(time.monotonic() - self.started - excluded, 3)
        return self.effort
