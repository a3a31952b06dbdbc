"""The pytest plugin's switchboard: every hook journeytest implements, each delegating to the module that does the job."""

from __future__ import annotations

import secrets
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from ..record.run import RunState
from . import collection, fixtures, hookspecs, mailsetup, options, scheduling, terminal, wire
from .recorder import RunRecorder
from .stash import MAILBOX_SPEC, RUN_STATE, SETTINGS


def pytest_addoption(parser: pytest.Parser) -> None:
    options.add_options(parser)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(hookspecs)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "journey(kind): a customer journey collected from a *.journey.yaml file")
    worker_input = getattr(config, "workerinput", None)
    config.stash[SETTINGS] = options.read_settings(config)
    run_id = worker_input.get("journeytest_run_id") if worker_input else None
    config.stash[RUN_STATE] = RunState(run_id or time.strftime("%Y%m%d%H%M%S") + secrets.token_hex(2))
    if worker_input is None:  # the controller decides where mail is read; workers inherit it
        config.stash[MAILBOX_SPEC] = mailsetup.start_mail_capture(config)
        config.pluginmanager.register(RunRecorder(config), "journeytest-recorder")
    else:
        config.stash[MAILBOX_SPEC] = worker_input.get("journeytest_mailbox")
    config.pluginmanager.register(fixtures, "journeytest-fixtures")
    scheduling.configure(config)


def pytest_report_header(config: pytest.Config) -> list[str]:
    return mailsetup.header_lines(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Give every xdist worker the controller's run id (one run, one set of unique personas) and mailbox."""
    node.workerinput["journeytest_run_id"] = node.config.stash[RUN_STATE].run_id
    node.workerinput["journeytest_mailbox"] = node.config.stash[MAILBOX_SPEC]
    node.workerinput["journeytest_owns_mail_store"] = mailsetup.owns_mail_store(node.config)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    return scheduling.make_scheduler(config, log)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    return collection.collect_file(file_path, parent)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    wire.attach(item, report)
    return report


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    mailsetup.mask_stored_mail(session.config)


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> tuple[str, str, Any] | None:
    return terminal.teststatus(report)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminal.summary(terminalreporter)
