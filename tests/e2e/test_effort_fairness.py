"""Effort is counted the same way on both sides of a comparison: a real Chromium, the local test site.

A cancel journey records its screens for the checks and an acquire journey does not; neither that, nor the
timing of a page that is still arriving when the journey ends, may change what the customer is charged.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from tests.e2e.test_effort import run_file


def journey_file(site_url: str, kind: str, steps: str, extra: str = "") -> str:
    return (
        f"site: {{name: Fair, base_url: '{site_url}'}}\njourneys:\n  j:\n    kind: {kind}\n    steps:\n{steps}{extra}"
    )


def figures(effort: dict) -> tuple:
    return tuple(effort[k] for k in ("actions", "page_loads", "route_changes", "dialogs", "screens", "distinct_pages"))


def run_in(folder: Path, browser: Browser, text: str, journey: str = "j"):
    folder.mkdir(parents=True, exist_ok=True)
    return run_file(folder, browser, text, journey)


def steps_time(result) -> float:
    return sum(step["duration_s"] for step in result.steps)


CATALOGUE = """\
      - goto: /catalogue.html
      - click: Next page
      - click: Next page
      - expect: {text: "Catalogue, page 3"}
"""


def test_screen_snapshots_are_the_harness_time_not_the_customers(tmp_path: Path, real_browser: Browser, site_url):
    """The catalogue has 18,000 controls: recording each screen for the checks takes a measurable while."""
    cancel = run_in(tmp_path / "cancel", real_browser, journey_file(site_url, "cancel", CATALOGUE))
    acquire = run_in(tmp_path / "acquire", real_browser, journey_file(site_url, "acquire", CATALOGUE))
    assert len(cancel.screens) == 3 and not acquire.screens
    assert cancel.effort["harness_pauses_s"] >= 0.15  # three snapshots of the catalogue
    for result in (cancel, acquire):  # the clock runs from the first step to the end of the last, nothing else
        assert steps_time(result) - 0.03 <= result.effort["wall_time_s"] <= steps_time(result) + 0.03, result.steps
    assert figures(cancel.effort) == figures(acquire.effort) == (2, 3, 0, 0, 3, 3)  # ?page=2, ?page=3: pages


def test_a_journey_that_continues_another_starts_its_clock_at_its_own_first_step(
    tmp_path: Path, real_browser: Browser, site_url
):
    """It reopens the catalogue where the journey it needs ended, and snapshots it: none of that is its time."""
    text = journey_file(
        site_url,
        "acquire",
        "      - goto: /catalogue.html\n",
        "  cancel:\n    kind: cancel\n    needs: j\n    steps:\n      - click: Next page\n"
        "      - expect: {text: 'Catalogue, page 2'}\n",
    )
    result = run_file(tmp_path, real_browser, text, journey="cancel")
    assert result.screens[0]["step"] == -1  # the page it resumed on was recorded, before the clock started
    assert steps_time(result) - 0.03 <= result.effort["wall_time_s"] <= steps_time(result) + 0.03, result.steps


def test_identical_runs_give_identical_figures_when_the_last_step_navigates(
    tmp_path: Path, real_browser: Browser, site_url
):
    """'Finish' opens a page whose body arrives 400 ms after its head: the navigation is committed when the click
    returns, the page is built later. Whether the journey records screens or not, it is counted, every time."""
    seen = set()
    for run in range(6):
        kind = ("acquire", "cancel")[run % 2]
        steps = "      - goto: /leave.html\n      - click: Finish\n"
        result = run_in(tmp_path / str(run), real_browser, journey_file(site_url, kind, steps))
        assert result.final_url.endswith("/slow/Goodbye?ms=400")
        seen.add(figures(result.effort))
    assert seen == {(1, 2, 0, 0, 2, 2)}


def test_a_busy_spinner_is_not_a_dialog_a_modal_question_is(tmp_path: Path, real_browser: Browser, site_url):
    """'Save changes' and 'Refresh' each show a loading overlay marked up as a modal dialog for 300 ms (one
    aria-busy, one a bare spinner); 'Delete item' asks 'Delete this item?' in a real modal. Only that is a screen."""
    steps = """\
      - goto: /busy.html
      - click: Delete item
      - click: Yes, delete
      - expect: {text: Deleted}
      - click: Save changes
      - expect: {text: Saved}
      - click: Refresh
      - expect: {text: Refreshed}
"""
    for kind in ("acquire", "cancel"):
        result = run_in(tmp_path / kind, real_browser, journey_file(site_url, kind, steps))
        assert result.effort["dialogs"] == 1, (kind, result.effort)
        assert figures(result.effort) == (4, 1, 0, 1, 2, 1), kind
