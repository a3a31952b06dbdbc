"""Built-in and user checks that judge recorded journeys.

A check is a function registered with `@check(...)`; it reads only what the run
recorded (effort, screens' text and controls, captured emails) and returns a
CheckResult: PASS, WARN, FAIL or SKIP, the figures it compared, and one plain
sentence of evidence. Register your own in conftest.py or through the
`journeytest.checks` entry point group, exactly as the built-in ones are.
"""

from .base import REGISTRY, CheckContext, CheckResult, CheckSpec, Verdict, check

__all__ = ["REGISTRY", "CheckContext", "CheckResult", "CheckSpec", "Verdict", "check"]
