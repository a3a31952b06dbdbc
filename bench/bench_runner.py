"""Benchmark: journeytest vs a hand-written Playwright script on the same journey.

Run on demand (not part of the test suite):

    .venv/bin/python -m bench.bench_runner [--rounds 15]

Prints the median time per journey for both and their ratio (target: journeytest
within 10% of raw Playwright), then the wall time of `pytest -n 0` and `-n 2` on 20
journeys and their speed-up (target: at least 1.6x).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from journeytest import load_scenario
from journeytest.browser.launch import choose_browser, launch
from journeytest.browser.runner import RunOptions, RunState, run_journey
from journeytest.scenario import SiteOverrides
from tests.support.servers import serve_directory

SITE = Path(__file__).parents[1] / "tests" / "site"

TEN_STEPS = """\
site: {name: Effort Shop, base_url: "http://127.0.0.1:1"}
journeys:
  ten_steps:
    kind: acquire
    steps:
      - goto: /
      - click: {role: link, name: Sign up}
      - fill: {label: Email, value: "{persona.email}"}
      - fill: {label: Password, value: "{persona.password}"}
      - select: {label: Plan, option: Pro plan}
      - check: {label: I accept the terms}
      - click: {role: button, name: Create account}
      - expect: {text: Welcome aboard}
      - click: {role: link, name: Your account}
      - expect: {text: Logged in}
"""


def raw_playwright(browser: Browser, base_url: str) -> None:
    """The same journey as a QA engineer would write it by hand."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("bench@example.com")
    page.get_by_label("Password").fill("Secret-1234567890")
    page.get_by_label("Plan").select_option(label="Pro plan")
    page.get_by_label("I accept the terms").check()
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("Welcome aboard").wait_for()
    page.get_by_role("link", name="Your account").click()
    page.get_by_text("Logged in").wait_for()
    context.close()


def per_journey(rounds: int) -> None:
    with serve_directory(SITE) as base_url, sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = launch(playwright.chromium, {}, choose_browser(playwright.chromium))
        path = Path(tmp) / "bench.journey.yaml"
        path.write_text(TEN_STEPS)
        scenario = load_scenario(path, SiteOverrides(base_url=base_url))
        journey = scenario.journeys["ten_steps"]
        run = RunState("bench")
        options = RunOptions(output_dir=Path(tmp) / "out")
        shots = RunOptions(output_dir=Path(tmp) / "out", step_screenshots="screens")  # what `pytest` does by default
        ours, with_shots, raw = [], [], []
        for i in range(rounds + 2):  # two warm-up rounds, then alternate to share any drift
            started = time.perf_counter()
            raw_playwright(browser, base_url)
            raw_time = time.perf_counter() - started
            started = time.perf_counter()
            run_journey(run, scenario, journey, browser, options, Path(tmp) / "out" / str(i), None)
            our_time = time.perf_counter() - started
            started = time.perf_counter()
            run_journey(run, scenario, journey, browser, shots, Path(tmp) / "shots" / str(i), None)
            shot_time = time.perf_counter() - started
            if i >= 2:
                raw.append(raw_time)
                ours.append(our_time)
                with_shots.append(shot_time)
        browser.close()
    raw_median, our_median, shot_median = statistics.median(raw), statistics.median(ours), statistics.median(with_shots)
    print(
        f"10-step journey, median of {rounds}: raw Playwright {raw_median * 1000:.0f} ms, "
        f"journeytest {our_median * 1000:.0f} ms, ratio {our_median / raw_median:.2f} (target <= 1.10)"
    )
    print(
        f"  with a screenshot per new screen (--step-screenshots screens, the default): {shot_median * 1000:.0f} ms, "
        f"ratio {shot_median / raw_median:.2f} (--step-screenshots off gives the figure above)"
    )


def parallel(journeys: int) -> None:
    body = TEN_STEPS.split("journeys:\n")[1]
    steps = body.split("    steps:\n")[1]
    text = "site: {name: Effort Shop}\njourneys:\n" + "".join(
        f"  j{i}:\n    kind: other\n    steps:\n{steps}" for i in range(journeys)
    )
    with serve_directory(SITE) as base_url, tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "many.journey.yaml").write_text(text)
        times = {}
        for workers in ("0", "2"):
            started = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "-n",
                    workers,
                    "--base-url",
                    base_url,
                    tmp,
                ],
                capture_output=True,
                text=True,
            )
            times[workers] = time.perf_counter() - started
            if done.returncode != 0:
                print(done.stdout[-2000:])
                raise SystemExit(f"pytest -n {workers} failed")
    print(
        f"{journeys} journeys: pytest -n 0 {times['0']:.1f} s, -n 2 {times['2']:.1f} s, "
        f"speed-up {times['0'] / times['2']:.2f}x (target >= 1.6x)"
    )


def _raw_worker(base_url: str, count: int) -> None:
    with sync_playwright() as playwright:
        browser = launch(playwright.chromium, {}, choose_browser(playwright.chromium))
        for _ in range(count):
            raw_playwright(browser, base_url)
        browser.close()


def raw_parallel_ceiling(journeys: int) -> None:
    """The same split done with hand-written Playwright: what this machine allows at all."""
    with serve_directory(SITE) as base_url:
        times = {}
        for processes in (1, 2):
            started = time.perf_counter()
            workers = [
                subprocess.Popen(
                    [sys.executable, "-m", "bench.bench_runner", "--raw-worker", base_url, str(journeys // processes)],
                    cwd=Path(__file__).parents[1],
                )
                for _ in range(processes)
            ]
            for worker in workers:
                worker.wait()
            times[processes] = time.perf_counter() - started
    print(
        f"{journeys} raw Playwright journeys: 1 process {times[1]:.1f} s, 2 processes {times[2]:.1f} s, "
        f"speed-up {times[1] / times[2]:.2f}x (the ceiling for -n 2 on this machine)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--journeys", type=int, default=20)
    parser.add_argument("--raw-worker", nargs=2, metavar=("URL", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw_worker:
        _raw_worker(args.raw_worker[0], int(args.raw_worker[1]))
        return
    per_journey(args.rounds)
    parallel(args.journeys)
    raw_parallel_ceiling(args.journeys)


if __name__ == "__main__":
    main()
