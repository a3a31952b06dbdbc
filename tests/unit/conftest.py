"""The fast layer: no browser and no subprocess, so `./scripts/test.sh -m unit` answers in seconds."""

from __future__ import annotations

import subprocess

import pytest

NOT_HERE = {"real_browser", "demo_company", "pytester"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "unit" not in item.path.parts:
            continue
        used = NOT_HERE & set(getattr(item, "fixturenames", ()))
        if used:
            raise pytest.UsageError(f"{item.nodeid} uses {', '.join(sorted(used))}: it belongs in tests/e2e")


@pytest.fixture(autouse=True)
def _no_subprocess(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a unit test starts no subprocess: move it to tests/e2e")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
