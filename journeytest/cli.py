"""The `journeytest` command: run, validate, schema, demo, report, history."""

from __future__ import annotations

import argparse
import sys

from .errors import JourneyTestError, ScenarioError
from .wording.counts import counted

DESCRIPTION = """\
journeytest runs customer journeys written in YAML (*.journey.yaml) in a real
browser, as pytest tests, and measures what each one costs the customer.

commands:
  run PATH... [-- PYTEST-ARGS]   run scenario files or folders (same as: pytest PATH...)
  validate PATH...               check scenario files without a browser
  run --dry-run PATH...          resolve every step and placeholder, open no browser
  schema [--results]             print the JSON Schema of scenario files (or of results lines)
  demo [--output DIR]            run the bundled demo company (fair and dark) in a real
                                 browser with real mail capture, and report what was caught
  report RESULTS [-o HTML]       render the HTML report again from a results file
  history [SITE] [--db PATH]     each journey's effort and each check's verdict over the last runs
  sendmail --store DIR [-t] [-i] [-f SENDER] [RECIPIENT...]
                                 a sendmail for the site under test: stores each message it is
                                 given in DIR (or JOURNEYTEST_MAIL_STORE); read it with --mailbox dir:DIR

A run writes journeytest-results/results.jsonl (one line per finished journey or
check), journeytest-results/report.html, and remembers its figures in
journeytest-results/history.sqlite; see `journeytest run --help` (pytest's help,
section "journeytest") for every option.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="journeytest", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run scenarios as pytest tests (extra arguments go to pytest)")
    run.add_argument("paths", nargs="*", default=["scenarios"], help="scenario files or folders (default: scenarios)")
    validate = sub.add_parser("validate", help="check scenario files without a browser")
    validate.add_argument("paths", nargs="+", help="scenario files or folders")
    validate.add_argument("--base-url", default=None, help="the base URL the run would use")
    validate.add_argument("--site-env", default=None, help="the site environment the run would use")
    schema = sub.add_parser("schema", help="print the scenario JSON Schema")
    schema.add_argument("--results", action="store_true", help="print the JSON Schema of a results-file line instead")
    report = sub.add_parser("report", help="render the HTML report from a results file")
    report.add_argument("results", help="a results file (JSON Lines, written with --journeytest-results)")
    report.add_argument(
        "-o", "--output", default=None, help="the HTML file to write (default: report.html beside the results)"
    )
    history = sub.add_parser("history", help="print the trend of each journey's effort and each check's verdict")
    history.add_argument(
        "site", nargs="?", default=None, help="part of a site name, base URL or scenario path (default: all)"
    )
    history.add_argument(
        "--db", default="journeytest-results/history.sqlite", help="the history file (default: %(default)s)"
    )
    history.add_argument("--last", type=int, default=10, help="how many runs to show (default: %(default)s)")
    demo = sub.add_parser(
        "demo", help="run the demo company (fair and dark variants) and report what journeytest catches"
    )
    demo.add_argument("--output", default="journeytest-results/demo", help="where results, evidence and the report go")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if argv and argv[0] == "sendmail":  # sendmail's own option syntax (-t, -i, -oi, -f ADDR), not argparse's
        import os
        from pathlib import Path

        from .mail.sendmail import run as sendmail
        from .settings import Settings

        store = Settings.resolve({}, {}, os.environ).mail_store
        return sendmail(argv[1:], sys.stdin.buffer, Path(store) if store else None)
    if argv and argv[0] == "run":
        # Everything that is not ours goes to pytest untouched, with or without '--'.
        import pytest

        rest = [a for a in argv[1:] if a != "--"]
        return int(pytest.main(rest or ["scenarios"]))
    args = parser.parse_args(argv)
    if args.command == "schema":
        if args.results:
            import json

            from .report.results import RESULTS_SCHEMA

            sys.stdout.write(json.dumps(RESULTS_SCHEMA, indent=2, ensure_ascii=False) + "\n")
            return 0
        from .scenario.schema import schema_json

        sys.stdout.write(schema_json())
        return 0
    if args.command == "report":
        return report(args.results, args.output)
    if args.command == "history":
        from pathlib import Path

        from .errors import HistoryError
        from .report.history import trend

        try:
            print(trend(Path(args.db), args.site, args.last))
        except HistoryError as error:
            print(f"journeytest history: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command == "demo":
        from pathlib import Path

        try:
            from .demo.runner import run_demo
        except JourneyTestError as error:
            print(f"journeytest demo: {error}", file=sys.stderr)
            return 2
        return run_demo(Path(args.output))
    if args.command == "validate":
        return validate(args.paths, args.base_url, args.site_env)
    parser.print_help()
    return 2


def report(results_path: str, output: str | None) -> int:
    from pathlib import Path

    from .errors import ResultsFileError
    from .report.html import render_report
    from .report.results import read_results

    try:
        results = read_results(Path(results_path))
    except ResultsFileError as error:
        print(f"journeytest report: {error}", file=sys.stderr)
        return 2
    target = Path(output) if output else Path(results_path).with_name("report.html")
    target.write_text(render_report(results), encoding="utf-8")
    print(f"report: {target} ({counted(len(results.journeys), 'journey')}, {counted(len(results.checks), 'check')})")
    return 0


def validate(paths: list[str], base_url: str | None = None, site_env: str | None = None) -> int:
    """Check scenario files without a browser, with the checks pytest would know (built-ins, plugins, conftest.py)."""
    import os
    from pathlib import Path

    from . import registry
    from .scenario import find_scenario_files, load_scenario
    from .settings import Settings

    files = find_scenario_files(paths)
    if not files:
        print(f"no scenario files (*.journey.yaml) found in {' '.join(paths)}", file=sys.stderr)
        return 2
    overrides = Settings.resolve({"base_url": base_url, "site_env": site_env}, {}, os.environ).site_overrides()
    failed = 0
    for path in files:
        try:
            known = registry.for_paths([Path(path)])
            scenario = load_scenario(path, overrides, known.checks)
        except ScenarioError as error:
            failed += 1
            print(error, file=sys.stderr)
            continue
        except JourneyTestError as error:
            failed += 1
            print(f"{path}: {error}", file=sys.stderr)
            continue
        except OSError as error:
            failed += 1
            print(f"{path}: cannot read the file ({error.strerror})", file=sys.stderr)
            continue
        steps = sum(len(j.steps) for j in scenario.journeys.values())
        print(f"ok  {path}: {counted(len(scenario.journeys), 'journey')}, {counted(steps, 'step')}")
    print(f"{len(files) - failed} of {counted(len(files), 'scenario file')} {'is' if len(files) == 1 else 'are'} valid")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
