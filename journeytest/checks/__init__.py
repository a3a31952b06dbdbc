"""Stage 5, the checks: pure functions of recorded journeys and of what the live searches found.

A check is a function declared with `@check(...)`; it reads only what the run
recorded (effort, screens' text and controls, captured emails, explorers' findings)
and returns a CheckResult: PASS, WARN, FAIL, SKIP or INCONCLUSIVE, the figures it compared, and one
plain sentence of evidence. Declare your own in conftest.py or in a package listed
under the `journeytest.checks` entry point group, exactly as the built-in ones are.
No browser and no pytest here.
"""

from .base import CheckContext, CheckResult, CheckSpec, Verdict, check, run_check

BUILT_IN_MODULES = (
    "journeytest.checks.cancelling",
    "journeytest.checks.statutory",
    "journeytest.checks.contact",
    "journeytest.checks.passwords",
    "journeytest.checks.replies",
)

__all__ = ["BUILT_IN_MODULES", "CheckContext", "CheckResult", "CheckSpec", "Verdict", "check", "run_check"]
