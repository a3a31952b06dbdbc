"""The live half of the password checks, run after a file's journeys and before its checks.

C2: log in with each password the site made up and mailed, through the file's own
login journey, to tell a lasting password from a temporary one. C3: open every
followed reset link a second time, logged out, to see whether the site refuses it.
Logging in comes first: on a site whose reset link keeps working, the second
visit may replace the mailed password.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from .checks.passwords import generated_passwords, reset_links
from .checks.wording import Wording
from .model import Scenario
from .runner import RunOptions, RunState, try_journey
from .secrets import mask

MAX_LOGIN_TRIES = 3


def probe_passwords(run: RunState, scenario: Scenario, browser: Browser, options: RunOptions, wording: Wording,
                    checks: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    results = [r for r in run.results if r.scenario == scenario.path]
    known = run.known_values(scenario)
    found: dict[str, list[dict[str, Any]]] = {"generated": [], "reuse": []}
    if "no_generated_password" in checks:
        login = checks["no_generated_password"].get("login_journey")
        for candidate in generated_passwords(results, wording, known)[:MAX_LOGIN_TRIES]:
            entry: dict[str, Any] = {**candidate, "tried": False}
            if login and login in scenario.journeys:
                entry["attempt"] = try_journey(run, scenario, scenario.journeys[login], browser, options,
                                               {"password": candidate["token"]})
                entry["tried"] = True
            found["generated"].append(entry)
    if "password_reset" in checks:
        secrets = run.secrets_for(scenario)
        for _, link in reset_links(results, wording):
            found["reuse"].append(open_again(browser, options, link["href"], wording, secrets))
    return found


def open_again(browser: Browser, options: RunOptions, href: str, wording: Wording, secrets: dict[str, str]) -> dict[str, Any]:
    """A reset link opened a second time in a fresh, logged-out browser: refused, or still working?"""
    context = browser.new_context(**{k: v for k, v in options.context_args.items() if k != "record_video_dir"})
    try:
        page = context.new_page()
        try:
            response = page.goto(href, timeout=15000)
        except PlaywrightError as exc:
            return {"href": href, "refused": True, "status": None, "excerpt": f"could not be opened: {exc.message.splitlines()[0]}"}
        status = response.status if response is not None else None
        text = page.inner_text("body")
        status_line, headline = page.locator("[role=status], [role=alert]"), page.locator("h1")
        excerpt = (status_line.first.inner_text() if status_line.count() else
                   headline.first.inner_text() if headline.count() else text).strip()
        excerpt = re.sub(r"\s+", " ", excerpt)[:160]
        refused = bool(status and status >= 400) or wording.find("link_refused", text) is not None
        return {"href": href, "refused": refused, "status": status, "excerpt": mask(excerpt, secrets)}
    finally:
        context.close()
