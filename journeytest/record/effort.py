"""What a journey cost the customer.

Counted the same way for every journey so a cancel journey can be compared
with the sign-up it undoes (see the checks catalogue, section 2): one action
per required gesture (a click, a field filled, an option chosen, a key
pressed), a screen per page load, in-app route change, or modal dialog.
Steps marked `count: false` (a cookie banner) are logged but not counted.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import cast
from urllib.parse import urlsplit

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
        0.0  # step screenshots and --action-interval pauses: the harness's time, not the customer's
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


def screen_key(url: str) -> str:
    """Which 'page' a URL is: path, plus a hash route ('#/settings'), without query strings."""
    parts = urlsplit(url)
    key = f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"
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

    def on_page_load(self, url: str) -> None:
        self.navigations += 1
        if self.counting:
            self.effort.page_loads += 1
            self._saw(url)

    def on_route_change(self, url: str) -> None:
        self.navigations += 1
        if self.counting:
            self.effort.route_changes += 1
            self._saw(url)

    def resume_at(self, url: str) -> None:
        """A journey that continues another starts on that journey's last page: seen, not loaded."""
        self._saw(url)

    def on_dialog(self) -> None:
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
        """Time the harness itself spends (screenshots, politeness pauses) is not journey effort either."""
        self.effort.harness_pauses_s = round(self.effort.harness_pauses_s + seconds, 3)

    def finish(self) -> Effort:
        self.effort.distinct_pages = len(self.pages_seen)
        self.effort.wall_time_s = round(
            time.monotonic() - self.started - self.effort.waiting_for_email_s - self.effort.harness_pauses_s, 3
        )
        return self.effort
