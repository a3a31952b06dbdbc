"""What one test process remembers during a run: personas, where journeys ended, results, what was explored."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..masked import SecretEnvironment
from ..scenario import Scenario
from ..scenario.persona import Persona, make_persona
from ..wording import Wording
from ..wording.passwords import mailed_passwords
from .journey import JourneyResult
from .masking import SecretBook
from .shapes import Findings

ENV_PLACEHOLDER = re.compile(r"\{env\.([A-Za-z_][A-Za-z0-9_]*)\}")


def env_names(scenario: Scenario) -> set[str]:
    """The environment variables a file's steps read through `{env.NAME}`."""
    return {
        name
        for journey in scenario.journeys.values()
        for step in journey.steps
        for name in ENV_PLACEHOLDER.findall(repr(step.args))
    }


@dataclass(frozen=True)
class MailHandover:
    """What a journey knew of the mailbox, so the journeys that need it read on where it left off."""

    since: float  # when the first journey of the chain started: its mail counts for the next ones too
    before: frozenset[str] = frozenset()  # messages that were there before the chain started
    claimed: frozenset[str] = frozenset()  # messages an expect_email already took
    last_email: str | None = None  # the last one found, which open_email_link and capture read


@dataclass
class EndState:
    """Where a passed journey left the customer, for the journeys that build on it.

    Each journey that needs it gets a copy: the cookies and storage, the values it captured,
    what it knew of the mailbox, and the page to start on (`resume_url`: the last page, unless
    that page is a one-time link, which is never opened twice)."""

    storage_state: dict[str, Any]
    final_url: str
    captured: dict[str, str] = field(default_factory=dict)
    mail: MailHandover | None = None
    resume_url: str = ""


class RunState:
    """Everything one test process remembers during a run."""

    def __init__(self, run_id: str, environ: Mapping[str, str] | None = None) -> None:
        self.run_id = run_id
        self.environ = os.environ if environ is None else environ
        self.personas: dict[str, Persona] = {}
        self.end_states: dict[tuple[str, str], EndState | None] = {}  # None: ran and did not pass
        self.results: list[JourneyResult] = []
        self.explored: dict[str, dict[str, Findings]] = {}  # scenario path -> explorer name -> what it found
        self.check_verdicts: dict[
            tuple[str, str], str
        ] = {}  # (scenario path, check) -> verdict, for the regression test
        self.secrets = SecretBook(self.environ)

    def results_of(self, scenario: Scenario) -> list[JourneyResult]:
        return [r for r in self.results if r.scenario == scenario.path]

    def persona_for(self, scenario: Scenario) -> Persona:
        if scenario.path not in self.personas:
            persona = make_persona(scenario.persona, self.run_id, dict(self.environ))
            self.personas[scenario.path] = persona
            environment = {f"{{env.{name}}}": self.environ.get(name, "") for name in sorted(env_names(scenario))}
            self.secrets.add(scenario.path, {**persona.secrets(), **environment})
        return self.personas[scenario.path]

    def known_values(self, scenario: Scenario) -> set[str]:
        """What the persona typed or is: never mistaken for a password the site made up."""
        persona = self.persona_for(scenario)
        return set(persona.secrets().values()) | {str(v) for v in persona.as_values().values()}

    def learn_secrets(self, scenario: Scenario, result: JourneyResult) -> None:
        """A password the site mailed is the customer's password now: mask it like one."""
        known = self.known_values(scenario)
        for mail in result.emails:
            for found in mailed_passwords(mail, Wording.built_in(), known):
                self.secrets.learn(scenario.path, found["token"])

    def secrets_for(self, scenario: Scenario) -> dict[str, str]:
        """Placeholder -> value of everything secret this file types or reads: the persona's passwords, the
        environment values its steps use (`{env.NAME}`: tokens, passwords), the IMAP password, and passwords
        the site made up and mailed."""
        self.persona_for(scenario)
        return self.secrets.for_file(scenario.path)

    def typed_secrets(self, scenario: Scenario) -> dict[str, str]:
        """What the harness typed (C1's subject), not what the site made up and mailed (C2's)."""
        self.persona_for(scenario)
        return self.secrets.typed(scenario.path)

    def template_values(self, scenario: Scenario) -> dict[str, Mapping[str, object]]:
        persona = self.persona_for(scenario)
        return {
            "persona": persona.as_values(),
            "env": SecretEnvironment(self.environ),
            "run": {"id": self.run_id},
            "site": {"name": scenario.site.name, "base_url": scenario.site.base_url or ""},
            "captured": {},
        }
