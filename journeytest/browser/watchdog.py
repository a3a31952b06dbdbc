"""A journey's deadline, kept from outside the page.

A page whose script never yields holds the browser's main thread: Playwright's own timeouts are answered
by that thread, so `expect` and `evaluate` never return and a nightly run never ends. The watchdog is a
timer beside the journey: past the deadline it kills the browser this process started (SIGKILL to our
own child, never another process), the hung call returns with an error, the journey is recorded as
failed with what it was doing, and the next journey gets a new browser (plugin/fixtures.BrowserKeeper).
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from types import TracebackType

from ..scenario import Journey
from ..scenario.steps import ExpectEmail, ExpectNoEmail, Wait

# A deadline leaves every step its whole budget twice over, plus time to start and record.
DEADLINE_FACTOR = 2.0
DEADLINE_MARGIN_S = 10.0


def journey_deadline_s(journey: Journey, step_timeout_s: float) -> float:
    """How long a journey may take at most, from what its steps may wait."""
    budget = 0.0
    for step in journey.steps:
        budget += step.timeout_s or journey.step_timeout_s or step_timeout_s
        if isinstance(step.args, Wait) and step.args.seconds:
            budget += step.args.seconds
        if isinstance(step.args, ExpectEmail | ExpectNoEmail):
            budget += step.args.within_s
    return DEADLINE_FACTOR * budget + DEADLINE_MARGIN_S


def _own_browsers() -> list[int]:
    """The main processes of the Chromium browsers this process started (descendants, no --type=)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found: set[int] = set()
    frontier = {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    browsers = []
    for pid in found:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command and b"chrom" in Path(command[0].decode(errors="replace")).name.encode():
            if not any(part.startswith(b"--type=") for part in command):
                browsers.append(pid)
    return browsers


class Watchdog:
    """Kills this process's browser when a journey runs past its deadline; `fired` says it did."""

    def __init__(self, deadline_s: float) -> None:
        self.deadline_s = deadline_s
        self.fired = False
        self._timer = threading.Timer(deadline_s, self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        for pid in _own_browsers():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def __enter__(self) -> Watchdog:
        if Path("/proc").is_dir():  # Linux; elsewhere the journey runs without one
            self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._timer.cancel()
