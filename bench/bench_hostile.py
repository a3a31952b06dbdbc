"""Benchmark: the hostile scenario corpus loads in bounded time and memory.

Run on demand (not part of the test suite):

    .venv/bin/python -m bench.bench_hostile

Loads every file of tests/fixtures/hostile/ (YAML bombs, control characters, deep nesting, tags, wrong
types, reference errors) and prints the slowest files, the largest allocation peak of one file, and the
peak RSS of `journeytest validate` on the whole folder. Targets: every file under 2 s and 200 MB.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from journeytest.errors import ScenarioError
from journeytest.registry import built_in
from journeytest.scenario import SiteOverrides
from journeytest.scenario.loader import load_scenario

HOSTILE = Path(__file__).parents[1] / "tests" / "fixtures" / "hostile"
SECONDS_TARGET, MEGABYTES_TARGET = 2.0, 200


def main() -> int:
    overrides = SiteOverrides(base_url="http://127.0.0.1:9", check_environment=True)
    checks = built_in().checks
    load_scenario(HOSTILE / "valid-home.journey.yaml", overrides, checks)  # imports and schema, once
    figures = []
    for path in sorted(HOSTILE.glob("*.journey.yaml")):
        tracemalloc.start()
        started = time.perf_counter()
        try:
            load_scenario(path, overrides, checks)
        except ScenarioError:
            pass
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        figures.append((seconds, peak, path.name))
    slowest = max(figures)
    largest = max(figures, key=lambda f: f[1])
    print(
        f"{len(figures)} files; slowest {slowest[0]:.3f} s ({slowest[2]}), target < {SECONDS_TARGET} s: "
        f"ratio {slowest[0] / SECONDS_TARGET:.2f}"
    )
    print(
        f"largest allocation peak {largest[1]:.1f} MB ({largest[2]}), target < {MEGABYTES_TARGET} MB: "
        f"ratio {largest[1] / MEGABYTES_TARGET:.2f}"
    )
    for seconds, peak, name in sorted(figures, reverse=True)[:5]:
        print(f"  {seconds:.3f} s  {peak:6.1f} MB  {name}")
    environment = {k: v for k, v in os.environ.items() if k != "JOURNEYTEST_HOSTILE_UNSET"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "journeytest.cli", "validate", "--base-url", "http://127.0.0.1:9", str(HOSTILE)],
        capture_output=True,
        env=environment,
        timeout=600,
    )
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"journeytest validate on the folder: {time.perf_counter() - started:.1f} s, peak RSS {rss:.0f} MB")
    return 0 if slowest[0] < SECONDS_TARGET and largest[1] < MEGABYTES_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
