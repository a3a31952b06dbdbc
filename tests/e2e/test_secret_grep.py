"""No secret in any output: the terminal with -l -vv (an exception in a check prints every local), JUnit XML,
the results file, the report, the history, the evidence; secrets from the persona and from {env.*}."""

from __future__ import annotations

from pathlib import Path

PASSWORD = "Zq9-Secret-Pw-4471"
TOKEN = "tok_live_9f8e7d6c5b4a3f2e"
SCENARIO = """\
site: {{name: Effort Shop, base_url: '{url}'}}
persona: {{password: "{{env.JT_GREP_PASSWORD}}"}}
checks:
  explodes: {{}}
journeys:
  sign_up:
    kind: acquire
    steps:
      - goto: /signup.html
      - fill: {{label: Email, value: "{{env.JT_GREP_TOKEN}}"}}
      - fill: {{label: Password, value: "{{persona.password}}"}}
      - check: {{label: I accept the terms}}
      - click: Create account
"""
CONFTEST = """
from journeytest.checks import check, CheckResult, Verdict

@check("explodes", title="A check with a bug", needs_kinds=("acquire",))
def explodes(ctx):
    persona = ctx.persona
    typed = [r.typed for r in ctx.results.values()]
    raise RuntimeError("a bug in a team's own check")
"""


def test_no_output_holds_a_secret_even_with_showlocals_after_a_crashing_check(pytester, site_url, monkeypatch):
    monkeypatch.setenv("JT_GREP_PASSWORD", PASSWORD)
    monkeypatch.setenv("JT_GREP_TOKEN", TOKEN)
    pytester.makeconftest(CONFTEST)
    pytester.makefile(".journey.yaml", shop=SCENARIO.format(url=site_url))
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-l", "-vv", "--junitxml", "junit.xml", "--log-level", "DEBUG", "--tracing", "on"
    )
    terminal = result.stdout.str() + result.stderr.str()
    assert "RuntimeError: a bug in a team's own check" in terminal  # the locals were printed
    assert "sign_up PASSED" in terminal
    leaks = [("terminal", s) for s in (PASSWORD, TOKEN) if s in terminal]
    for path in Path(pytester.path).rglob("*"):
        if path.is_file() and path.suffix not in (".png", ".jpg", ".webm", ".zip"):
            text = path.read_bytes().decode("utf-8", "replace")
            leaks += [(str(path.relative_to(pytester.path)), s) for s in (PASSWORD, TOKEN) if s in text]
    assert leaks == []
