"""The recorded journey: what happened, as data for checks and reports."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from .effort import Effort, StepRecord


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
    effort: dict[str, Any] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    attempts: list[AttemptRecord] = field(default_factory=list)
    final_url: str = ""
    emails: list[dict[str, Any]] = field(default_factory=list)  # every message to the persona during the journey
    screens: list[dict[str, Any]] = field(default_factory=list)  # text and controls of each screen, in order
    opened_links: list[dict[str, Any]] = field(default_factory=list)  # links followed from emails (href, subject, at)
    typed: list[dict[str, str]] = field(default_factory=list)  # field and value of every fill, secrets masked
    started_at: float = 0.0  # wall-clock time the journey started (emails are compared with it)
    ended_at: float = 0.0

    def set_effort(self, effort: Effort, steps: list[StepRecord], pages: list[str], screens: list[dict[str, Any]] | None = None) -> None:
        self.effort = effort.as_dict()
        self.screens = list(screens or [])
        self.steps = [asdict(s) for s in steps]
        self.pages = list(pages)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> JourneyResult:
        data = json.loads(text)
        data["attempts"] = [AttemptRecord(**a) for a in data.get("attempts", [])]
        return cls(**data)
