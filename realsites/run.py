"""Run journeytest against the real-site corpus and print what each app should get against what it got.

    .venv/bin/python realsites/run.py [NAME...] [--output DIR]      (scripts/realsites.sh does the set-up)

For each app (a folder here with start.sh, stop.sh, NAME.journey.yaml and expected.yaml): start it
on 127.0.0.1 with its mail going to journeytest's SMTP sink, run the scenario through pytest in a
real browser, stop the app (only what start.sh started), and compare the results with expected.yaml,
journey by journey and check by check, with the evidence sentence journeytest gave.

expected.yaml holds the truth about the app, each verdict with the reason taken from its own
behaviour or source. A check journeytest still gets wrong carries `today:` (what it says now) and
`why_wrong:`; such a row is reported as KNOWN WRONG, not as a failure, until it is fixed. The exit
status is 1 when a journey does not end as expected, or a check differs from both.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
APPS = ("trac", "redmine", "mailman")
PORTS = {"redmine": range(18100, 18200), "trac": range(18200, 18300), "mailman": range(18300, 18400)}
# More ports an app's start.sh takes; the one named here as a mail server is where reply_email sends.
EXTRA_PORTS = {"mailman": {"MAILMAN_REST_PORT": None, "MAILMAN_LMTP_PORT": "lmtp"}}


def free_port(candidates: range, taken: set[int]) -> int:
    for port in candidates:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise SystemExit(f"no free port in {candidates.start}-{candidates.stop - 1}")


@dataclass
class Row:
    kind: str  # journey | check
    name: str
    expected: str
    actual: str
    today: str | None
    evidence: str
    because: str
    says: str | None = None  # what the evidence must say for the verdict to be right for the right reason
    today_says: str | None = None
    must_not_say: str | None = None  # a claim that would be false on this app

    @property
    def status(self) -> str:
        true_words = (not self.says or self.says in self.evidence) and not (
            self.must_not_say and self.must_not_say in self.evidence
        )
        if self.actual == self.expected and true_words:
            return "as expected"
        if (
            self.today is not None
            and self.actual == self.today
            and (not self.today_says or self.today_says in self.evidence)
        ):
            return "KNOWN WRONG"
        return "DIFFERS"


def run_app(name: str, output: Path) -> tuple[list[Row], float]:
    folder = HERE / name
    expected = yaml.safe_load((folder / "expected.yaml").read_text())
    taken: set[int] = set()
    port, smtp_port = free_port(PORTS[name], taken), free_port(PORTS[name], taken)
    state = Path(os.environ.get("REALSITE_STATE_ROOT", "/tmp/realsites")) / name
    extra = {variable: free_port(PORTS[name], taken) for variable in EXTRA_PORTS.get(name, {})}
    mail_in = [f"{scheme}://127.0.0.1:{extra[variable]}" for variable, scheme in EXTRA_PORTS.get(name, {}).items()
               if scheme]
    env = {
        **os.environ,
        **{variable: str(port) for variable, port in extra.items()},

        "PORT": str(port),
        "SMTP_PORT": str(smtp_port),
        "REALSITE_STATE": str(state),
        "REALSITE_PARENT_PID": str(os.getpid()),
    }
    results = output / name / "results.jsonl"
    began = time.monotonic()
    started = subprocess.run([str(folder / "start.sh")], env=env, capture_output=True, text=True, timeout=1800)
    if started.returncode != 0:
        raise SystemExit(f"{name}: start.sh failed ({started.returncode}):\n{started.stderr[-3000:]}")
    base_url = started.stdout.strip().splitlines()[-1]
    try:
        command = [
            sys.executable,
            "-m",
            "pytest",
            str(folder / f"{name}.journey.yaml"),
            "-p",
            "no:cacheprovider",
            "-q",
            "-rN",
            "--rootdir",
            str(ROOT),
            "-c",
            str(ROOT / "pyproject.toml"),
            "--base-url",
            base_url,
            "--smtp-sink",
            f"127.0.0.1:{smtp_port}",
            "--mail-store",
            str(output / name / "mail"),
            "--output",
            str(output / name / "evidence"),
            "--journeytest-results",
            str(results),
            "--history",
            "none",
            "--junitxml",
            str(output / name / "junit.xml"),
            *(["--mail-in", mail_in[0]] if mail_in else []),
        ]

        with open(output / name / "pytest.log", "w") as log:
            subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env, timeout=1800)
    finally:
        subprocess.run([str(folder / "stop.sh")], env=env, capture_output=True, timeout=120)
    seconds = time.monotonic() - began
    lines = [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    journeys = {r["journey"]: r for r in lines if r["type"] == "journey"}
    checks = {r["check"]: r for r in lines if r["type"] == "check"}
    rows = []
    for journey, wanted in expected.get("journeys", {}).items():
        got = journeys.get(journey)
        error = next((a["error"] for a in (got or {}).get("attempts", []) if a.get("error")), "") if got else ""
        rows.append(
            Row(
                "journey",
                journey,
                wanted["outcome"],
                got["outcome"] if got else "did not run",
                wanted.get("today"),
                error or "",
                wanted.get("because", ""),
            )
        )
    for check, wanted in expected.get("checks", {}).items():
        got = checks.get(check)
        rows.append(
            Row(
                "check",
                check,
                wanted["verdict"],
                got["verdict"] if got else "not run",
                wanted.get("today"),
                got["evidence"] if got else "",
                wanted.get("because", ""),
                wanted.get("says"),
                wanted.get("today_says"),
                wanted.get("must_not_say"),
            )

        )

    for check in sorted(set(checks) - set(expected.get("checks", {}))):
        rows.append(
            Row("check", check, "(not expected)", checks[check]["verdict"], None, checks[check]["evidence"], "")
        )
    return rows, seconds


def print_table(name: str, rows: list[Row], seconds: float) -> None:
    print(f"\n== {name} ({seconds:.0f} s)")
    print(f"  {'':8} {'name':30} {'expected':10} {'actual':10} status")
    for row in rows:
        print(f"  {row.kind:8} {row.name:30} {row.expected:10} {row.actual:10} {row.status}")
        if row.evidence:
            print(textwrap.fill(row.evidence, 118, initial_indent="      said:  ", subsequent_indent=" " * 13))
        if row.status != "as expected" and row.because:
            print(textwrap.fill(row.because, 118, initial_indent="      truth: ", subsequent_indent=" " * 13))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", default=list(APPS), help=f"apps to run (default: all of {', '.join(APPS)})")
    parser.add_argument("--output", default=str(ROOT / "journeytest-results" / "realsites"))
    args = parser.parse_args(argv)
    output = Path(args.output).absolute()
    failed = False
    for name in args.names:
        if name not in APPS:
            raise SystemExit(f"unknown app {name!r}; the corpus: {', '.join(APPS)}")
        (output / name).mkdir(parents=True, exist_ok=True)
        rows, seconds = run_app(name, output)
        print_table(name, rows, seconds)
        (output / name / "table.json").write_text(
            json.dumps([row.__dict__ | {"status": row.status} for row in rows], indent=2)
        )
        failed |= any(row.status == "DIFFERS" for row in rows)
    print(f"\nresults and evidence: {output}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
