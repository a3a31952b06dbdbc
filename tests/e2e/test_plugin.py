"""journeytest as a pytest plugin, run the way users run it (pytest in a subprocess, real browser)."""

from __future__ import annotations

import uuid

import pytest

SIGNUP = """\
site:
  name: Effort Shop
  base_url: {url}
checks: false
journeys:
  sign_up:
    kind: acquire
    tags: [smoke]
    steps:
      - goto: /signup.html
      - fill: {{label: Email, value: "{{persona.email}}"}}
      - fill: {{label: Password, value: "{{persona.password}}"}}
      - check: {{label: I accept the terms}}
      - click: {{role: button, name: Create account}}
      - expect: {{text: Welcome aboard}}
  cancel:
    kind: cancel
    needs: sign_up
    steps:
      - click: Your account
      - expect: {{text: Logged in}}
  browse:
    kind: other
    steps:
      - goto: /
      - click: Open app
"""


@pytest.fixture
def project(pytester):
    # Each test here runs pytest more than once in one folder: no history (it is tested in test_reports.py), and no
    # step screenshots (the report tests need them; these do not), to keep the suite quick.
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider --history none --step-screenshots off\n")
    return pytester


def test_files_are_named_below_the_project_when_run_from_another_folder(project, site_url):
    import subprocess
    import sys

    (project.path / "scenarios").mkdir()
    (project.path / "scenarios" / "shop.journey.yaml").write_text(SIGNUP.format(url=site_url))
    elsewhere = project.path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(project.path / "scenarios"),
            "-k",
            "browse",
            "--rootdir",
            str(project.path),
            "-c",
            str(project.path / "tox.ini"),
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert (
        "scenarios/shop.journey.yaml::browse PASSED" in done.stdout
        or "scenarios/shop.journey.yaml::browse" in done.stdout
    )
    lines = (elsewhere / "journeytest-results" / "results.jsonl").read_text()
    assert '"scenario": "scenarios/shop.journey.yaml"' in lines and "../" not in lines


def test_only_journey_files_are_collected(project, site_url):

    project.makefile(".journey.yaml", shop=SIGNUP.format(url=site_url))
    project.makefile(".yaml", **{"docker-compose": "services: {web: {image: nginx}}"})
    project.mkdir(".github")
    (project.path / ".github" / "ci.yml").write_text("on: push\njobs: {}\n")
    result = project.runpytest_subprocess("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        ["shop.journey.yaml::sign_up", "shop.journey.yaml::cancel", "shop.journey.yaml::browse"]
    )
    assert "compose" not in result.stdout.str() and "ci.yml" not in result.stdout.str()


def test_journeys_run_in_a_real_browser_and_print_their_effort(project, site_url):
    project.makefile(".journey.yaml", shop=SIGNUP.format(url=site_url))
    result = project.runpytest_subprocess("-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [
            "*journeytest: what each journey cost the customer*",
            "journey*kind*outcome*actions*clicks*fields*keys*pages*screens*dialogs*time",
            "shop.journey.yaml::cancel*cancel*passed*1*1*0*0*2*1*0*s",
            "shop.journey.yaml::sign_up*acquire*passed*4*1*3*2*2*0*s",
        ]
    )


def test_tags_become_markers(project, site_url):
    project.makefile(".journey.yaml", shop=SIGNUP.format(url=site_url))
    result = project.runpytest_subprocess("-m", "smoke", "--strict-markers", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["shop.journey.yaml::sign_up", "*1/3 tests collected (2 deselected)*"])


def test_a_broken_file_fails_alone_and_the_others_still_run(project, site_url):
    project.makefile(".journey.yaml", shop=SIGNUP.format(url=site_url))
    project.makefile(
        ".journey.yaml",
        broken="site: {name: X, base_url: 'http://127.0.0.1:1'}\njourneys:\n  a:\n    kind: other\n    steps:\n      - clik: Go\n",
    )
    result = project.runpytest_subprocess()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*broken.journey.yaml:6:9: unknown step 'clik' in journey 'a', step 1; expected one of: goto, click,*(did you mean 'click'?)",
        ]
    )


def test_selecting_a_dependent_journey_runs_what_it_needs_first(project, site_url):
    project.makefile(".journey.yaml", shop=SIGNUP.format(url=site_url))
    result = project.runpytest_subprocess("-k", "cancel")
    result.assert_outcomes(passed=1, deselected=2)


def test_a_journey_whose_prerequisite_failed_is_skipped_with_the_reason(project, site_url):
    broken = SIGNUP.format(url=site_url).replace(
        "expect: {text: Welcome aboard}", "expect: {text: No such text}\n        timeout: 200ms"
    )
    project.makefile(".journey.yaml", shop=broken)
    result = project.runpytest_subprocess("-rs")
    result.assert_outcomes(passed=1, failed=1, skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED ?1? shop.journey.yaml:17: needs 'sign_up', which did not pass"])
    result.stdout.fnmatch_lines(
        [
            "*shop.journey.yaml:15:9: expected page text to contain 'No such text' within 0.2s*",
            "*page: http://127.0.0.1:*/welcome.html?email=*&password={persona.password}&plan=basic&terms=on",
            "*screenshot: *failure-step-6.png",
        ]
    )


def test_a_journey_that_passes_on_retry_is_flaky_and_keeps_the_failed_attempts_evidence(project, site_url):
    key = uuid.uuid4().hex
    project.makefile(
        ".journey.yaml",
        flaky=f"""\
site: {{name: Effort Shop, base_url: '{site_url}'}}
journeys:
  wobbly:
    kind: other
    retries: 1
    steps:
      - goto: /flaky-once/{key}
      - expect: {{text: Ready}}
""",
    )
    result = project.runpytest_subprocess("-v")
    result.stdout.fnmatch_lines(
        [
            "*flaky.journey.yaml::wobbly FLAKY*",
            "*flaky: flaky.journey.yaml::wobbly passed on attempt 2; first failure: flaky.journey.yaml:7:9:*HTTP 503*",
            "*1 flaky*",
        ]
    )
    assert result.ret == 0
    assert list(project.path.glob("test-results/*/attempt-1/failure-step-1.png"))


def test_command_line_retries_apply_when_the_file_is_silent(project, site_url):
    key = uuid.uuid4().hex
    project.makefile(
        ".journey.yaml",
        flaky=f"site: {{name: S, base_url: '{site_url}'}}\njourneys:\n  w:\n    kind: other\n    steps:\n      - goto: /flaky-once/{key}\n",
    )
    assert project.runpytest_subprocess().ret == 1
    key2 = uuid.uuid4().hex
    project.makefile(
        ".journey.yaml",
        flaky=f"site: {{name: S, base_url: '{site_url}'}}\njourneys:\n  w:\n    kind: other\n    steps:\n      - goto: /flaky-once/{key2}\n",
    )
    result = project.runpytest_subprocess("--journey-retries", "2")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*1 flaky*"])


def test_base_url_from_the_command_line_and_the_environment(project, site_url, monkeypatch):
    project.makefile(
        ".journey.yaml",
        shop="site: {name: S}\njourneys:\n  a:\n    kind: other\n    steps:\n      - goto: /index.html\n      - expect: {text: Effort Shop}\n",
    )
    missing = project.runpytest_subprocess()
    missing.assert_outcomes(failed=1)
    missing.stdout.fnmatch_lines(
        [
            "*shop.journey.yaml:1:1: site 'S' has no base URL; expected 'base_url: https://*' under 'site:' (or pass --base-url URL, or set JOURNEYTEST_BASE_URL)"
        ]
    )
    project.runpytest_subprocess("--base-url", site_url).assert_outcomes(passed=1)
    monkeypatch.setenv("JOURNEYTEST_BASE_URL", site_url)
    project.runpytest_subprocess().assert_outcomes(passed=1)


def test_site_environments_are_chosen_with_site_env(project, site_url):
    project.makefile(
        ".journey.yaml",
        shop=f"site:\n  name: S\n  base_url: http://127.0.0.1:1\n  environments: {{staging: '{site_url}'}}\n"
        "journeys:\n  a:\n    kind: other\n    steps:\n      - goto: /index.html\n",
    )
    project.runpytest_subprocess("--site-env", "staging").assert_outcomes(passed=1)
    result = project.runpytest_subprocess("--site-env", "prod")
    result.stdout.fnmatch_lines(["*site 'S' has no environment 'prod' (environments here: staging)*"])


def test_chains_stay_on_one_worker_under_xdist(project, site_url):
    import re

    project.makefile(".journey.yaml", shop=SIGNUP.format(url=site_url))
    project.makefile(".journey.yaml", other=SIGNUP.format(url=site_url).replace("Effort Shop", "Other"))
    result = project.runpytest_subprocess("-n", "2", "-v")
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(
        ["*scheduling tests via JourneyScheduling*", "*journeytest: what each journey cost the customer*"]
    )
    worker = dict(re.findall(r"\[(gw\d)\] \[.*?\] PASSED (\S+)", result.stdout.str())[i][::-1] for i in range(6))
    for file in ("shop", "other"):
        assert worker[f"{file}.journey.yaml::sign_up"] == worker[f"{file}.journey.yaml::cancel"]
    # cancel found sign_up's end state in its own process: nothing was re-run as set-up
    assert not list(project.path.glob("test-results/**/setup-*"))


def test_browser_path_option_is_checked(project, site_url):
    project.makefile(
        ".journey.yaml",
        shop=f"site: {{name: S, base_url: '{site_url}'}}\njourneys:\n  a:\n    kind: other\n    steps:\n      - goto: /\n",
    )
    result = project.runpytest_subprocess("--browser-path", "/nonexistent/chrome")
    result.stdout.fnmatch_lines(["*--browser-path /nonexistent/chrome is not an executable file.*"])
    assert result.ret == 1


def test_smtp_sink_option_captures_the_sites_mail_for_email_steps(project, free_port):
    from journeytest.demo.server import serve_variant

    with serve_variant("fair", "en", smtp_port=free_port) as site:
        project.makefile(
            ".journey.yaml",
            acme=f"""\
site: {{name: Acme Cloud, base_url: '{site.url}'}}
checks: false
journeys:
  sign_up:
    kind: acquire
    steps:
      - goto: /signup
      - fill: {{label: Name, value: "{{persona.name}}"}}
      - fill: {{label: Email, value: "{{persona.email}}"}}
      - fill: {{label: Password, value: "{{persona.password}}"}}
      - click: Create account
      - expect_email: {{subject: Welcome, not_contains: "{{persona.password}}", within: 10s}}
      - open_email_link: {{url: /confirm/}}
""",
        )
        result = project.runpytest_subprocess("--smtp-sink", str(free_port), "-n", "2")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [f"journeytest: SMTP sink listening on 127.0.0.1:{free_port}, storing mail in *journeytest-results/mail/*"]
    )
    assert len(list(project.path.glob("journeytest-results/mail/*/*.eml"))) == 1


def test_a_taken_sink_port_is_one_line_naming_the_port(project, site_url, free_port):
    import socket

    project.makefile(".journey.yaml", shop=SIGNUP.format(url=site_url))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port))
        taken.listen()
        result = project.runpytest_subprocess("--smtp-sink", str(free_port))
    assert result.ret == 4  # a usage error: nothing ran
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    result.stderr.fnmatch_lines(
        [
            f"ERROR: the SMTP sink cannot listen on 127.0.0.1:{free_port}: *; choose another "
            "with --smtp-sink PORT, or --smtp-sink 0 for any free port"
        ]
    )


def test_email_steps_without_a_mailbox_say_how_to_configure_one(project, site_url):
    project.makefile(
        ".journey.yaml",
        m=f"site: {{name: S, base_url: '{site_url}'}}\njourneys:\n  a:\n    kind: other\n"
        "    steps:\n      - goto: /\n      - expect_email: {subject: Hi}\n",
    )
    result = project.runpytest_subprocess()
    result.stdout.fnmatch_lines(
        [
            "*m.journey.yaml:7:9: expect_email: this step reads email, but no mailbox is configured: run with --smtp-sink PORT*"
        ]
    )


def test_tracing_retain_on_failure_keeps_a_trace_of_the_failed_journey_only(project, site_url):
    project.makefile(
        ".journey.yaml",
        t=f"site: {{name: S, base_url: '{site_url}'}}\njourneys:\n"
        "  good:\n    kind: other\n    steps:\n      - goto: /\n"
        "  bad:\n    kind: other\n    steps:\n      - goto: /\n      - click: Nowhere\n        timeout: 200ms\n",
    )
    result = project.runpytest_subprocess("--tracing", "retain-on-failure")
    result.assert_outcomes(passed=1, failed=1)
    traces = sorted(p.relative_to(project.path).as_posix() for p in project.path.glob("test-results/**/trace.zip"))
    assert traces == ["test-results/t-journey-yaml-bad/attempt-1/trace.zip"]


def test_step_timeout_option_keeps_the_files_checks_settings(project, site_url):
    """--step-timeout rewrites every journey; it must not drop 'checks: false', rules or wording."""
    project.makefile(".journey.yaml", shop=SIGNUP.format(url=site_url))
    result = project.runpytest_subprocess("--step-timeout", "5s", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["shop.journey.yaml::sign_up", "*3 tests collected*"])
    assert "check:" not in result.stdout.str() and "explore:" not in result.stdout.str()
