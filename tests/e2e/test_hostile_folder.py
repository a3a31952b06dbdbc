"""A folder of hostile scenario files beside valid ones, through `journeytest validate` and through pytest:
each bad file is one located problem, nothing is interrupted, and the valid files still run and pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
BAD = sorted(p.name for p in HOSTILE.glob("*.journey.yaml") if not p.name.startswith("valid-"))


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "JOURNEYTEST_HOSTILE_UNSET"}


def test_validate_checks_every_file_and_names_each_bad_one(tmp_path, site_url):
    folder = tmp_path / "hostile"
    shutil.copytree(HOSTILE, folder)
    done = subprocess.run(
        [sys.executable, "-m", "journeytest.cli", "validate", "--base-url", site_url, "."],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env=_environment(),
    )
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr.replace("ScenarioError", "")
    for name in BAD:
        assert f"{name}:" in done.stderr, name
    assert f"2 of {len(BAD) + 2} scenario files are valid" in done.stdout
    assert done.returncode == 1


def test_pytest_runs_the_valid_files_and_fails_each_bad_one_alone(pytester, site_url, monkeypatch):
    for path in HOSTILE.glob("*.journey.yaml"):
        shutil.copy(path, pytester.path / path.name)
    monkeypatch.delenv("JOURNEYTEST_HOSTILE_UNSET", raising=False)
    result = pytester.runpytest_subprocess("--base-url", site_url, "-p", "no:cacheprovider", "--history", "none", "-v")
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output and "Interrupted" not in output
    result.assert_outcomes(passed=2, failed=len(BAD))
    result.stdout.fnmatch_lines(["*valid-home.journey.yaml::home PASSED*"])
    result.stdout.fnmatch_lines(["*valid-signup.journey.yaml::open_sign_up PASSED*"])
    for name in BAD:
        assert f"{name}::scenario-file FAILED" in output, name
