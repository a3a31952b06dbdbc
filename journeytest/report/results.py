"""The results file: one JSON object per line, written as each result finishes.

A run is a `run` header, then a `journey` line per finished journey (steps, effort,
emails, attempts), a `check` line per check, a `regression` line per thing that got
worse since earlier runs, and a `run_end` line. Every line is flushed as it is
written, so a run that is killed half-way keeps every finished result; a reader
skips a torn last line. The format is versioned (`schema_version`) and described by
`results.schema.json` (`journeytest schema --results`).
"""

from __future__ import annotations

import fcntl
import json
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from jsonschema import Draft202012Validator

from ..errors import ResultsFileError

SCHEMA_VERSION = "1.0"
SCHEMA_FILE = Path(__file__).with_name("results.schema.json")

_STRING, _NUMBER, _OBJECT = {"type": "string"}, {"type": "number"}, {"type": "object"}
_NULLABLE_STRING = {"type": ["string", "null"]}
RESULTS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://journeytest.dev/results.schema.json",
    "title": f"journeytest results line (schema_version {SCHEMA_VERSION})",
    "description": "One JSON object per line. The first line of a run is 'run', the last 'run_end' (absent if the run was killed).",
    "type": "object",
    "required": ["type", "run_id"],
    "oneOf": [
        {
            "properties": {
                "type": {"const": "run"},
                "schema_version": _STRING,
                "journeytest_version": _STRING,
                "started_at": _NUMBER,
                "environment": _NULLABLE_STRING,
                "sites": {"type": "array", "items": _OBJECT},
                "options": _OBJECT,
            },
            "required": ["schema_version", "started_at"],
        },
        {
            "properties": {
                "type": {"const": "journey"},
                "nodeid": _STRING,
                "scenario": _STRING,
                "site": _STRING,
                "base_url": _STRING,
                "journey": _STRING,
                "kind": _STRING,
                "outcome": {"enum": ["passed", "failed", "flaky", "skipped"]},
                "effort": {
                    "type": "object",
                    "description": "actions, clicks, fields_filled, fields_chosen, keystrokes, "
                    "page_loads, route_changes, dialogs, distinct_pages, screens, wall_time_s, …",
                    "additionalProperties": {"type": "number"},
                },
                "steps": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["index", "action", "location", "outcome"],
                        "properties": {
                            "url_before": _STRING,
                            "url_after": _STRING,
                            "duration_s": _NUMBER,
                            "screenshot": _NULLABLE_STRING,
                            "error": _NULLABLE_STRING,
                        },
                    },
                },
                "attempts": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["number", "outcome"],
                        "properties": {
                            "error": _NULLABLE_STRING,
                            "error_location": _NULLABLE_STRING,
                            "screenshot": _NULLABLE_STRING,
                            "trace": _NULLABLE_STRING,
                        },
                    },
                },
                "emails": {
                    "type": "array",
                    "description": "every email to the persona while the journey ran",
                    "items": {
                        "type": "object",
                        "required": ["subject", "text"],
                        "properties": {
                            "from": _STRING,
                            "to": {"type": "array"},
                            "headers": _OBJECT,
                            "html": _STRING,
                            "links": {"type": "array"},
                            "attachments": {"type": "array"},
                            "received_at": _NUMBER,
                        },
                    },
                },
                "screens": {"type": "array"},
                "pages": {"type": "array"},
                "started_at": _NUMBER,
                "ended_at": _NUMBER,
            },
            "required": ["scenario", "journey", "kind", "outcome", "effort", "steps", "attempts", "emails"],
        },
        {
            "properties": {
                "type": {"const": "check"},
                "scenario": _STRING,
                "check": _STRING,
                "title": _STRING,
                "verdict": {"enum": ["PASS", "WARN", "FAIL", "SKIP", "INCONCLUSIVE"]},
                "evidence": _STRING,
                "figures": _OBJECT,
                "details": {"type": "array", "items": _STRING},
                "basis": _STRING,
            },
            "required": ["scenario", "check", "verdict", "evidence"],
        },
        {
            "properties": {
                "type": {"const": "regression"},
                "scenario": _STRING,
                "subject": _STRING,
                "what": _STRING,
                "now": {},
                "before": {},
                "before_run": _STRING,
                "before_date": _STRING,
                "evidence": _STRING,
            },
            "required": ["scenario", "subject", "evidence"],
        },
        {
            "properties": {
                "type": {"const": "run_end"},
                "ended_at": _NUMBER,
                "exit_status": {"type": "integer"},
                "counts": _OBJECT,
            },
            "required": ["ended_at"],
        },
    ],
}


class ResultsWriter:
    """Writes the results file on the controller (also under xdist): a header now, then a line per result."""

    def __init__(self, path: Path, run_id: str, header: dict[str, Any]) -> None:
        self.path = path
        self.asked_for = path
        self.run_id = run_id
        self.counts: dict[str, int] = {}
        self.header = {"type": "run", "schema_version": SCHEMA_VERSION, "started_at": time.time(), **header}
        self.started = False  # the file is started by the first result: a run without journeys leaves none
        self._lock: IO[str] | None = None

    @property
    def moved(self) -> bool:
        """Another run held the asked-for file, so this run writes its own (results.RUN_ID.jsonl) beside it."""
        return self.path != self.asked_for

    def _claim(self) -> None:
        """Hold the results file for this run: two runs sharing an output folder would truncate and interleave
        one file, so the second writes its own file beside the first and says so."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for candidate in (
            self.asked_for,
            self.asked_for.with_name(f"{self.asked_for.stem}.{self.run_id}{self.asked_for.suffix}"),
        ):
            lock = open(candidate.with_name(candidate.name + ".lock"), "w", encoding="utf-8")
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.close()
                continue
            self.path, self._lock = candidate, lock
            return
        raise ResultsFileError(f"cannot hold {self.asked_for} or a file of this run's own beside it")

    def write(self, record: dict[str, Any]) -> None:
        if not self.started:
            self.started = True
            self._claim()
            self.path.write_text("", encoding="utf-8")  # a new run starts a new file
            self.write(self.header)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"run_id": self.run_id, **record}, ensure_ascii=False, default=str) + "\n")
            handle.flush()
        kind = record["type"]
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def finish(self, exit_status: int) -> None:
        if not self.started:
            return
        self.write(
            {"type": "run_end", "ended_at": time.time(), "exit_status": int(exit_status), "counts": dict(self.counts)}
        )
        if self._lock is not None:
            self._lock.close()  # the lock file stays; its lock is what counts, and it ends with the process too
            self._lock = None


@dataclass
class RunResults:
    """A results file read back: for the report and the history."""

    path: Path
    run: dict[str, Any] = field(default_factory=dict)
    journeys: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    regressions: list[dict[str, Any]] = field(default_factory=list)
    end: dict[str, Any] | None = None
    unreadable_lines: int = 0
    rejected: list[str] = field(default_factory=list)  # lines that broke the schema: "line 3: …", left out

    @property
    def run_id(self) -> str:
        return str(self.run.get("run_id", ""))


@lru_cache(maxsize=1)
def _validators() -> dict[str, Draft202012Validator]:
    """A validator per kind of line, so that a broken line is told what is wrong in it, not 'matches no kind'."""
    return {
        branch["properties"]["type"]["const"]: Draft202012Validator(
            {**branch, "type": "object", "required": [*RESULTS_SCHEMA["required"], *branch.get("required", [])]}
        )
        for branch in RESULTS_SCHEMA["oneOf"]
    }


def read_results(path: Path) -> RunResults:
    """The last run in a results file; a torn or foreign line is counted, not fatal."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ResultsFileError(f"cannot read the results file {path}: {error.strerror}") from None
    results = RunResults(Path(path))
    validators = _validators()
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            results.unreadable_lines += 1
            continue
        kind = record.get("type") if isinstance(record, dict) else None
        if isinstance(kind, str) and kind in validators:
            broken = next(iter(sorted(validators[kind].iter_errors(record), key=lambda e: len(e.path))), None)
            if broken is not None:  # a foreign or crafted line is left out, never trusted
                where = ".".join(str(p) for p in broken.path) or "the line"
                results.rejected.append(f"line {number}: {where}: {broken.message[:200]}")
                continue
        if kind == "run":
            results = RunResults(
                Path(path), run=record, unreadable_lines=results.unreadable_lines, rejected=results.rejected
            )
        elif kind == "journey":
            results.journeys.append(record)
        elif kind == "check":
            results.checks.append(record)
        elif kind == "regression":
            results.regressions.append(record)
        elif kind == "run_end":
            results.end = record
        else:
            results.unreadable_lines += 1
    if not results.run and not results.journeys:
        raise ResultsFileError(
            f"{path} holds no journeytest results (expected JSON Lines written with --journeytest-results)"
        )
    return results
