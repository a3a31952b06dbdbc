"""The loaded, validated form of a scenario file.

Everything downstream (pytest items, the browser session, checks, reports)
works on these objects, never on raw YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import SourceLocation
from .steps import StepArgs
from .targets import Target

__all__ = ["Journey", "PersonaSpec", "Scenario", "Site", "Step", "Target"]


@dataclass(frozen=True)
class Step:
    """One action of a journey, with where it was written."""

    action: str
    args: StepArgs  # the action's own typed arguments (scenario/steps.py)
    location: SourceLocation
    name: str | None = None
    timeout_s: float | None = None
    counted: bool = True
    soft: bool = False
    params: tuple[tuple[str, Any], ...] = ()  # block parameters in force for this step
    included_from: tuple[SourceLocation, ...] = ()  # include chain, outermost first

    def label(self) -> str:
        """What the step does, for summaries and errors."""
        if self.name:
            return self.name
        what = self.args.describe()
        return f"{self.action} {what}" if what else self.action


@dataclass(frozen=True)
class Journey:
    """A named path through the site, e.g. sign up, cancel, reach support."""

    name: str
    kind: str
    steps: tuple[Step, ...]
    location: SourceLocation
    description: str | None = None
    needs: str | None = None
    tags: tuple[str, ...] = ()
    retries: int | None = None
    step_timeout_s: float | None = None


@dataclass(frozen=True)
class Site:
    name: str
    base_url: str | None
    environments: dict[str, str] = field(default_factory=dict)
    location: SourceLocation | None = None
    mail_in: str | None = (
        None  # where the site takes mail (smtp://HOST:PORT or lmtp://HOST:PORT): reply_email sends there
    )


@dataclass(frozen=True)
class PersonaSpec:
    """What the scenario fixes about its made-up customer; the rest is generated."""

    locale: str = "en_US"
    email: str | None = None
    password: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    seed: int | None = None


@dataclass(frozen=True)
class Scenario:
    path: str
    site: Site
    persona: PersonaSpec
    journeys: dict[str, Journey]
    step_timeout_s: float = 10.0
    retries: int | None = None
    checks: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # name -> options, None: turned off
    checks_off: bool = False  # `checks: false` turns every check off for this file
    wording: dict[str, list[str]] = field(default_factory=dict)
    rules: tuple[str, ...] = ()  # statutory rule packs this file opts into, e.g. ("de", "eu")
    allow_payments: bool = False  # may journeys press buttons that pay? (refused otherwise)

    def chain(self, journey_name: str) -> list[Journey]:
        """The journey and everything it needs, prerequisites first."""
        order: list[Journey] = []
        current: str | None = journey_name
        while current is not None:
            journey = self.journeys[current]
            order.insert(0, journey)
            current = journey.needs
        return order

    def nearest_before(self, journey_name: str, kind: str) -> Journey | None:
        """The closest journey of `kind` that this one builds on (e.g. the purchase a cancel undoes)."""
        for journey in reversed(self.chain(journey_name)[:-1]):
            if journey.kind == kind:
                return journey
        return None

    def chain_root(self, journey_name: str) -> str:
        return self.chain(journey_name)[0].name

    def ordered_journeys(self) -> list[Journey]:
        """File order, except that a journey always comes after the one it needs."""
        seen: dict[str, Journey] = {}
        for name in self.journeys:
            for journey in self.chain(name):
                seen.setdefault(journey.name, journey)
        return list(seen.values())
