"""Runs remembered in SQLite, so a nightly audit notices when things get worse.

Every run's journeys (outcome and effort) and checks (verdict) are stored at the end
of the run. Before that, the `history:regressions` test of each file compares this
run with the last earlier run of the same file: a journey that now fails or costs the
customer more actions or screens, or a check whose verdict got worse, is a regression,
reported with both figures and the date of the earlier run.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import HistoryError
from ..wording.counts import counted
from .results import RunResults

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, started_at REAL, environment TEXT);
CREATE TABLE IF NOT EXISTS journeys (run_id TEXT, scenario TEXT, site TEXT, base_url TEXT, journey TEXT, kind TEXT,
    outcome TEXT, actions INTEGER, clicks INTEGER, fields INTEGER, pages INTEGER, screens INTEGER, seconds REAL);
CREATE TABLE IF NOT EXISTS checks (run_id TEXT, scenario TEXT, site TEXT, check_name TEXT, verdict TEXT, evidence TEXT);
CREATE INDEX IF NOT EXISTS journeys_by_scenario ON journeys (scenario, journey);
CREATE INDEX IF NOT EXISTS checks_by_scenario ON checks (scenario, check_name);
"""
SEVERITY = {
    "PASS": 0,
    "SKIP": 0,
    "INCONCLUSIVE": 0,
    "WARN": 1,
    "FAIL": 2,
}  # an unjudged check is no regression of the site: its journey says what broke
WORDS = {"cancel": "cancelling", "acquire": "buying", "support": "reaching support", "account": "managing the account"}


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(path, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            db.executescript(SCHEMA)
            with db:
                yield db
    except sqlite3.DatabaseError as error:
        raise HistoryError(f"the history file {path} cannot be used: {error}") from None


def record_run(path: Path, results: RunResults) -> None:
    """Store a finished run's figures (journeys and checks)."""
    run_id = results.run_id or (results.journeys[0]["run_id"] if results.journeys else "")
    with connect(path) as db:
        db.execute(
            "INSERT OR REPLACE INTO runs VALUES (?, ?, ?)",
            (run_id, results.run.get("started_at", time.time()), results.run.get("environment")),
        )
        db.execute("DELETE FROM journeys WHERE run_id = ?", (run_id,))
        db.execute("DELETE FROM checks WHERE run_id = ?", (run_id,))
        for j in results.journeys:
            e = j.get("effort") or {}
            db.execute(
                "INSERT INTO journeys VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    j["scenario"],
                    j.get("site", ""),
                    j.get("base_url", ""),
                    j["journey"],
                    j.get("kind", ""),
                    j["outcome"],
                    e.get("actions"),
                    e.get("clicks"),
                    (e.get("fields_filled") or 0) + (e.get("fields_chosen") or 0),
                    e.get("distinct_pages"),
                    e.get("screens"),
                    e.get("wall_time_s"),
                ),
            )
        sites = {j["scenario"]: j.get("site", "") for j in results.journeys}
        for c in results.checks:
            db.execute(
                "INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, c["scenario"], sites.get(c["scenario"], ""), c["check"], c["verdict"], c.get("evidence", "")),
            )


@dataclass
class EarlierRun:
    run_id: str
    date: str
    journeys: dict[str, dict[str, Any]]
    checks: dict[str, dict[str, Any]]


def last_run_of(path: Path, scenario: str, before_run: str) -> EarlierRun | None:
    """The most recent earlier run that recorded journeys of this scenario file."""
    if not Path(path).exists():
        return None
    with connect(path) as db:
        row = db.execute(
            "SELECT runs.run_id, runs.started_at FROM runs JOIN journeys USING (run_id) WHERE journeys.scenario = ? "
            "AND runs.run_id != ? ORDER BY runs.started_at DESC LIMIT 1",
            (scenario, before_run),
        ).fetchone()
        if row is None:
            return None
        journeys = {
            r["journey"]: dict(r)
            for r in db.execute("SELECT * FROM journeys WHERE run_id = ? AND scenario = ?", (row["run_id"], scenario))
        }
        checks = {
            r["check_name"]: dict(r)
            for r in db.execute("SELECT * FROM checks WHERE run_id = ? AND scenario = ?", (row["run_id"], scenario))
        }
    return EarlierRun(
        row["run_id"], time.strftime("%Y-%m-%d %H:%M", time.localtime(row["started_at"])), journeys, checks
    )


def _effort(actions: int | None, clicks: int | None, screens: int | None) -> str:
    """`4 actions (4 clicks) over 4 screens`; a figure that was not recorded is a question mark."""

    def figure(number: int | None, noun: str) -> str:
        return f"? {noun}s" if number is None else counted(number, noun)

    return f"{figure(actions, 'action')} ({figure(clicks, 'click')}) over {figure(screens, 'screen')}"


def regressions(earlier: EarlierRun, journeys: list[dict[str, Any]], checks: dict[str, str]) -> list[dict[str, Any]]:
    """What got worse: journeys (outcome, actions, screens) and check verdicts, each with both figures."""
    found = []
    for now in journeys:
        before = earlier.journeys.get(now["journey"])
        if before is None:
            continue
        name, effort = now["journey"], now.get("effort") or {}
        doing = f"{WORDS.get(now.get('kind', ''), name)} ({name})"
        if now["outcome"] == "failed" and before["outcome"] in ("passed", "flaky"):
            found.append(
                {
                    "subject": name,
                    "what": "outcome",
                    "now": "failed",
                    "before": before["outcome"],
                    "evidence": f"{name} now fails; it passed on {earlier.date}",
                }
            )
            continue
        if now["outcome"] not in ("passed", "flaky") or before["outcome"] not in ("passed", "flaky"):
            continue
        actions, screens = effort.get("actions"), effort.get("screens")
        if (actions is not None and before["actions"] is not None and actions > before["actions"]) or (
            screens is not None and before["screens"] is not None and screens > before["screens"]
        ):
            found.append(
                {
                    "subject": name,
                    "what": "effort",
                    "now": {"actions": actions, "screens": screens, "clicks": effort.get("clicks")},
                    "before": {"actions": before["actions"], "screens": before["screens"], "clicks": before["clicks"]},
                    "evidence": f"{doing} now takes {_effort(actions, effort.get('clicks'), screens)}; "
                    f"it took {_effort(before['actions'], before['clicks'], before['screens'])} on {earlier.date}",
                }
            )
    for name, verdict in sorted(checks.items()):
        before = earlier.checks.get(name)
        if before is not None and SEVERITY.get(verdict, 0) > SEVERITY.get(before["verdict"], 0):
            found.append(
                {
                    "subject": f"check {name}",
                    "what": "verdict",
                    "now": verdict,
                    "before": before["verdict"],
                    "evidence": f"check {name} is now {verdict}; it was {before['verdict']} on {earlier.date}",
                }
            )
    for r in found:
        r.update(before_run=earlier.run_id, before_date=earlier.date)
    return found


def trend(path: Path, site: str | None = None, limit: int = 10) -> str:
    """`journeytest history`: each journey's effort and each check's verdict over the last runs, oldest first."""
    if not Path(path).exists():
        raise HistoryError(f"there is no history file at {path} yet (runs write it; see --history)")
    lines: list[str] = []
    with connect(path) as db:
        where, args = (
            ("WHERE site LIKE ? OR base_url LIKE ? OR scenario LIKE ?", [f"%{site}%"] * 3) if site else ("", [])
        )
        scenarios = [
            r[0] for r in db.execute(f"SELECT DISTINCT scenario FROM journeys {where} ORDER BY scenario", args)
        ]
        if not scenarios:
            raise HistoryError(f"no run in {path} matches {site!r}" if site else f"{path} holds no runs yet")
        for scenario in scenarios:
            runs = list(
                reversed(
                    db.execute(
                        "SELECT DISTINCT runs.run_id, runs.started_at FROM runs JOIN journeys USING (run_id) WHERE scenario = ? "
                        "ORDER BY runs.started_at DESC LIMIT ?",
                        (scenario, limit),
                    ).fetchall()
                )
            )
            dates = [time.strftime("%m-%d %H:%M", time.localtime(r["started_at"])) for r in runs]
            site_name = db.execute("SELECT site FROM journeys WHERE scenario = ? LIMIT 1", (scenario,)).fetchone()[0]
            lines.append(f"{scenario} ({site_name}), last {counted(len(runs), 'run')}, oldest first")
            lines.append("  " + " " * 32 + "  ".join(f"{d:>11}" for d in dates))
            for (journey,) in db.execute(
                "SELECT DISTINCT journey FROM journeys WHERE scenario = ? ORDER BY journey", (scenario,)
            ):
                cells = []
                for run in runs:
                    row = db.execute(
                        "SELECT outcome, actions, screens FROM journeys WHERE run_id = ? AND scenario = ? AND journey = ?",
                        (run["run_id"], scenario, journey),
                    ).fetchone()
                    cells.append(
                        "-"
                        if row is None
                        else ("FAILED" if row["outcome"] == "failed" else f"{row['actions']}a/{row['screens']}s")
                    )
                lines.append(f"  {journey[:32]:32}" + "  ".join(f"{c:>11}" for c in cells))
            for (check,) in db.execute(
                "SELECT DISTINCT check_name FROM checks WHERE scenario = ? ORDER BY check_name", (scenario,)
            ):
                cells = []
                for run in runs:
                    row = db.execute(
                        "SELECT verdict FROM checks WHERE run_id = ? AND scenario = ? AND check_name = ?",
                        (run["run_id"], scenario, check),
                    ).fetchone()
                    cells.append("-" if row is None else row["verdict"])
                lines.append(f"  {('check ' + check)[:32]:32}" + "  ".join(f"{c:>11}" for c in cells))
            lines.append("")
    lines.append("journeys: actions/screens per run (FAILED: the journey failed); checks: verdict per run")
    return "\n".join(lines)
