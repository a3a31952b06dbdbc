"""A browser that dies mid-run is launched again: the journey that lost it says so, the next ones pass."""

from __future__ import annotations

SCENARIO = """\
site: {{name: Effort Shop, base_url: '{url}'}}
checks: false
journeys:
  first: {{kind: other, steps: [{{goto: /index.html}}, {{expect: {{text: Effort Shop}}}}]}}
  killed: {{kind: other, steps: [{{goto: /index.html}}, {{wait: 5s}}, {{expect: {{text: Effort Shop}}}}]}}
  after_one: {{kind: other, steps: [{{goto: /index.html}}, {{expect: {{text: Effort Shop}}}}]}}
  after_two: {{kind: other, steps: [{{goto: /signup.html}}, {{expect: {{text: Create account}}}}]}}
"""
# Kills (SIGKILL) the Chromium this test process started, 1 s into the journey 'killed'; only our own children.
CONFTEST = """
import os, signal, threading, time
from pathlib import Path

def _descendants(root):
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found

def _kill_browser():
    time.sleep(1)
    for pid in _descendants(os.getpid()):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\\0")
        except OSError:
            continue
        if command and b"chrom" in command[0] and not any(part.startswith(b"--type=") for part in command):
            os.kill(pid, signal.SIGKILL)

def pytest_runtest_call(item):
    if item.name == "killed":
        threading.Thread(target=_kill_browser, daemon=True).start()
"""


def test_the_next_journeys_pass_after_the_browser_was_killed(pytester, site_url):
    pytester.makeconftest(CONFTEST)
    pytester.makefile(".journey.yaml", shop=SCENARIO.format(url=site_url))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--history", "none", "-v", "-n", "0")
    result.stdout.fnmatch_lines(
        [
            "*shop.journey.yaml::first PASSED*",
            "*shop.journey.yaml::killed FAILED*",
            "*shop.journey.yaml::after_one PASSED*",
            "*shop.journey.yaml::after_two PASSED*",
        ]
    )
    result.stdout.fnmatch_lines(["*the browser died during this journey*"])
    result.stdout.fnmatch_lines(["*the browser had died; launched a new one for *shop.journey.yaml::after_one*"])
