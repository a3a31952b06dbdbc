"""Every error journeytest raises on purpose, in one place.

Each message is written for the person who owns the scenario file, usually a
product owner: it says where (file:line:column), what was found and what was
expected, and suggests a fix when one is likely. The tree:

    JourneyTestError
    ├── ScenarioError              a scenario file is not valid (every located Problem at once)
    ├── TemplateError              a {placeholder} cannot be filled in
    ├── SettingsError              a command-line option, ini key or JOURNEYTEST_* variable is wrong
    ├── RegistryError              a conftest.py or plugin with checks or explorers cannot be loaded
    ├── BrowserNotFound            no Chromium to drive
    ├── StepFailed                 a step could not be done on the real page
    ├── SoftFailures               `soft: true` steps failed; the journey still reached its end
    ├── JourneyFailed              every attempt at a journey failed (carries the recorded result)
    ├── JourneyEndedWithSoftFailures   internal: the attempt reached its end, soft steps failed
    ├── PrerequisiteFailed         a journey this one `needs` did not pass
    ├── ExploreSkipped             a live search had nothing to search from
    ├── CheckFailed                a check's verdict is FAIL (or WARN with --fail-on-warn)
    ├── RegressionFound            a journey or check got worse since the last run
    ├── DryRunProblem              --dry-run: a step could not be resolved, or would be refused
    ├── MailboxError               the mailbox cannot be reached or read
    ├── MailSinkError              journeytest's SMTP sink cannot start
    ├── ResultsFileError           a results file cannot be read
    ├── HistoryError               the history file cannot be used
    └── DemoUnavailable            `journeytest demo` is missing its extra dependencies
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # type-only: errors sit below every stage and import none of them at run time
    from .record.journey import JourneyResult


@dataclass(frozen=True)
class SourceLocation:
    """A place in a scenario file, 1-based like every editor shows it."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


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


class TemplateError(JourneyTestError):
    """A `{placeholder}` in a value cannot be filled in."""


class SettingsError(JourneyTestError):
    """An option (command line, ini key or JOURNEYTEST_* variable) has a value journeytest cannot use."""


class RegistryError(JourneyTestError):
    """A conftest.py or an installed plugin that registers checks or explorers cannot be loaded."""


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


class JourneyFailed(JourneyTestError):
    """Every attempt at a journey failed; carries the result with all evidence."""

    def __init__(self, result: JourneyResult, last_error: BaseException, message: str = "") -> None:
        self.result = result
        self.last_error = last_error
        self.message = message  # the last error with every secret masked: what is printed
        super().__init__(message or str(last_error))

    def __str__(self) -> str:
        return self.message or str(self.last_error)


class JourneyEndedWithSoftFailures(JourneyTestError):
    """The attempt reached its end, so journeys that need it can go on, but soft steps failed."""

    def __init__(self, failures: SoftFailures, end: Any) -> None:
        self.failures = failures
        self.end = end  # the EndState the journeys that need this one continue from
        super().__init__(str(failures))


class PrerequisiteFailed(JourneyTestError):
    """A journey this one needs did not pass."""

    def __init__(self, name: str, *, ran_here: bool, detail: str = "") -> None:
        self.name = name
        self.ran_here = ran_here
        message = f"this journey needs '{name}', which did not pass"
        if detail:
            message += f":\n{detail}"
        super().__init__(message)


class ExploreSkipped(JourneyTestError):
    """A live search had nothing to search from; what it did find is kept."""

    def __init__(self, reason: str, findings: Any = None) -> None:
        self.reason = reason
        self.findings = findings
        super().__init__(reason)


class CheckFailed(JourneyTestError):
    """A check's verdict is FAIL (or WARN with --fail-on-warn)."""


class RegressionFound(JourneyTestError):
    """A journey or check got worse since the last run of its file."""


class DryRunProblem(JourneyTestError):
    """A step that could not be resolved, or that would be refused."""


class MailboxError(JourneyTestError):
    """The mailbox cannot be reached or read."""


class MailSinkError(JourneyTestError):
    """journeytest's SMTP sink cannot start (its port is taken, say)."""


class ResultsFileError(JourneyTestError):
    """The results file cannot be used (missing, or not journeytest's)."""


class HistoryError(JourneyTestError):
    """The history file cannot be used."""


class DemoUnavailable(JourneyTestError):
    """`journeytest demo` needs its extra dependencies (pip install 'journeytest[demo]')."""
