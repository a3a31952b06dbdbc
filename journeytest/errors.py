"""Errors journeytest raises on purpose.

Every message is written for the person who owns the scenario file, usually a
product owner: it says where (file:line:column), what was found and what was
expected, and suggests a fix when one is likely.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLocation:
    """A place in a scenario file, 1-based like every editor shows it."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class JourneyTestError(Exception):
    """Base of every error journeytest raises on purpose."""


class ScenarioError(JourneyTestError):
    """A scenario file is not valid; carries one or more located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.location.path, p.location.line, p.location.column))
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        lines = [f"{head} in scenario file {self.problems[0].location.path}:"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a scenario file."""

    location: SourceLocation
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class TemplateError(JourneyTestError):
    """A `{placeholder}` in a value cannot be filled in."""


class BrowserNotFound(JourneyTestError):
    """No Chromium to drive: neither Playwright's own nor a system one."""


class StepFailed(JourneyTestError):
    """A journey step could not be done on the real page."""

    def __init__(self, message: str, *, location: SourceLocation, url: str | None, screenshot: str | None) -> None:
        self.location = location
        self.url = url
        self.screenshot = screenshot
        self.reason = message
        parts = [f"{location}: {message}"]
        if url:
            parts.append(f"  page: {url}")
        if screenshot:
            parts.append(f"  screenshot: {screenshot}")
        super().__init__("\n".join(parts))


class SoftFailures(JourneyTestError):
    """Steps marked `soft: true` failed; the journey ran to its end all the same."""

    def __init__(self, failures: list[StepFailed]) -> None:
        self.failures = failures
        head = "1 soft step failed" if len(failures) == 1 else f"{len(failures)} soft steps failed"
        super().__init__(head + " (the journey went on to its end):\n" + "\n".join(str(f) for f in failures))
