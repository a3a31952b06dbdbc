"""On the controller (also under xdist): the results file line by line, the event hooks, then report and history."""

from __future__ import annotations

from typing import Any

import pytest

from .. import __version__
from ..record.journey import JourneyResult
from ..report.history import record_run
from ..report.html import render_report
from ..report.results import ResultsWriter, read_results
from ..settings import Settings
from . import wire
from .stash import REPORT_PATH, RUN_STATE, SETTINGS


class RunRecorder:
    """Registered as a plugin on the controller only: each report that reaches it is written and announced once."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        settings: Settings = config.stash[SETTINGS]
        self.settings = settings
        header = {"journeytest_version": __version__, "environment": settings.site_env, "options": settings.as_header()}
        run_id = config.stash[RUN_STATE].run_id
        self.writer = ResultsWriter(settings.results_path, run_id, header) if settings.results_path else None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        hook = self.config.hook
        for kind, record in wire.records(report):
            if self.writer is not None:
                self.writer.write({"type": kind, "nodeid": report.nodeid, **record})
            if kind == "journey":
                hook.pytest_journeytest_journey_finished(
                    config=self.config, nodeid=report.nodeid, result=JourneyResult.from_dict(record)
                )
            elif kind == "check":
                hook.pytest_journeytest_check_verdict(config=self.config, nodeid=report.nodeid, record=record)
            else:
                hook.pytest_journeytest_regression_found(config=self.config, nodeid=report.nodeid, record=record)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.writer is None or not self.writer.started:
            return  # nothing journeytest ran (e.g. a run of ordinary tests), or no results file asked for
        self.writer.finish(exitstatus)
        results = read_results(self.writer.path)
        if self.settings.history_path is not None and not self.settings.dry_run and results.journeys:
            record_run(self.settings.history_path, results)
        report = self.settings.report_path
        if report is not None and self.writer.moved:  # this run's own files, beside the other run's
            report = self.writer.path.with_name(f"report.{self.writer.run_id}.html")
        if report is not None:
            report.parent.mkdir(parents=True, exist_ok=True)
            report.write_text(render_report(results), encoding="utf-8")
            self.config.stash[REPORT_PATH] = report

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        report = self.config.stash.get(REPORT_PATH, None)
        if report is not None and self.writer is not None:
            if self.writer.moved:
                terminalreporter.write_line(
                    f"journeytest: another run was writing {self.writer.asked_for}; this run wrote its own files"
                )
            terminalreporter.write_line(f"journeytest: results {self.writer.path}; report {report}")
