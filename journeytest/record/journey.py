"""The recorded journey: what happened, as data for checks and reports."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from .effort import Effort, StepRecord
from .shapes import EffortFigures, EmailSummary, OpenedLink, Screen, StepSummary, TypedEntry


@dataclass
class AttemptRecord:
    """One try at a journey; failed tries are kept as evidence when a retry passes."""

    number: int
    outcome: str
    error: str | None = None
    error_location: str | None = None
    url: str | None = None
    screenshot: str | None = None
    trace: str | None = None


@dataclass
class JourneyResult:
    scenario: str
    site: str
    base_url: str
    journey: str
    kind: str
    outcome: str = "passed"  # passed | failed | flaky | skipped
    persona_email: str = ""
    effort: EffortFigures = field(default_factory=lambda: cast(EffortFigures, {}))
    steps: list[StepSummary] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    attempts: list[AttemptRecord] = field(default_factory=list)
    final_url: str = ""
    emails: list[EmailSummary] = field(default_factory=list)  # every message to the persona during the journey
    screens: list[Screen] = field(default_factory=list)  # text and controls of each screen, in order
    opened_links: list[OpenedLink] = field(default_factory=list)  # links followed from emails (href, subject, at)
    typed: list[TypedEntry] = field(default_factory=list)  # field and value of every fill, secrets masked
    started_at: float = 0.0  # wall-clock time the journey started (emails are compared with it)
    ended_at: float = 0.0

    def set_effort(
        self, effort: Effort, steps: list[StepRecord], pages: list[str], screens: list[Screen] | None = None
    ) -> None:
        self.effort = effort.as_dict()
        self.screens = list(screens or [])
        self.steps = [cast(StepSummary, asdict(s)) for s in steps]
        self.pages = list(pages)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> JourneyResult:
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JourneyResult:
        """A result read back from its JSON form (the wire format, a results-file line without its line keys)."""
        known = {key: value for key, value in data.items() if key in cls.__dataclass_fields__}
        known["attempts"] = [AttemptRecord(**a) for a in data.get("attempts", [])]
        return cls(**known)
