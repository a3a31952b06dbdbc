"""A page whose script loops forever cannot hold a run: the journey's deadline, kept from outside the page,
ends it with what it was doing, and the journeys after it pass in a new browser."""

from __future__ import annotations

import time

SCENARIO = """\
site: {{name: Effort Shop, base_url: '{url}'}}
defaults: {{step_timeout: 1s}}
checks: false
journeys:
  frozen:
    kind: other
    steps:
      - goto: /runaway.html
      - wait: 1s
      - expect: {{text: this never shows}}
  after:
    kind: other
    steps:
      - goto: /index.html
      - expect: {{text: Effort Shop}}
"""


def test_a_runaway_script_ends_at_the_journey_deadline_and_the_run_goes_on(pytester, site_url):
    pytester.makefile(".journey.yaml", shop=SCENARIO.format(url=site_url))
    started = time.monotonic()
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--history", "none", "-v", "-n", "0")
    assert time.monotonic() - started < 120
    result.stdout.fnmatch_lines(["*shop.journey.yaml::frozen FAILED*", "*shop.journey.yaml::after PASSED*"])
    # found before the next step, or, when the freeze holds a step itself, by the deadline kept from outside
    result.stdout.fnmatch_lines(["*the page stopped answering*"])
    assert (pytester.path / "journeytest-results" / "results.jsonl").is_file()
    assert '"type": "run_end"' in (pytester.path / "journeytest-results" / "results.jsonl").read_text()
