"""The live half of the password checks, run after a file's journeys and before its checks.

explore:passwords (C2): log in with each password the site made up and mailed, through
the file's own login journey, to tell a lasting password from a temporary one.
explore:reset_links (C3): open every followed reset link a second time, logged out, to
see whether the site refuses it. Logging in comes first (it is declared first): on a
site whose reset link keeps working, the second visit may replace the mailed password.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext
from playwright.sync_api import Error as PlaywrightError

from ..browser.runner import try_journey
from ..checks.passwords import generated_passwords, reset_links
from ..errors import ExploreSkipped
from ..record.masking import mask
from ..record.shapes import GeneratedPassword, PasswordUse, ReopenedLink
from ..scenario import Scenario
from ..scenario.steps import strings_of
from ..wording import Wording
from .base import ExploreContext, explorer

MAX_LOGIN_TRIES = 3


def _recorded(ctx: ExploreContext) -> None:
    if not ctx.results():
        raise ExploreSkipped("no journey of this file ran in this process")


def journeys_reading_mail(scenario: Scenario) -> tuple[str, ...]:
    """Each journey whose mail may carry a password: the probe runs right after each, in the state its mail made."""
    return tuple(j.name for j in scenario.ordered_journeys() if any(step.args.reads_mail for step in j.steps))


def typed_by_the_file(scenario: Scenario, placeholders: list[str]) -> PasswordUse | None:
    """The first step of the file that types one of these captured values: the file's own login with it."""
    for journey in scenario.ordered_journeys():
        for index, step in enumerate(journey.steps):
            if step.action != "fill":
                continue
            for placeholder in placeholders:
                if any(placeholder in text for text in strings_of(step.args)):
                    return {
                        "journey": journey.name,
                        "step": index,
                        "location": str(step.location),
                        "placeholder": placeholder,
                    }
    return None


@explorer(
    "passwords",
    title="log in with the passwords the site mailed during {after}",
    defaults={"login_journey": None},
    after=journeys_reading_mail,
)
def log_in_with_mailed_passwords(ctx: ExploreContext) -> list[GeneratedPassword]:
    """Judge each mailed password in the state its mail made: right after the journey that received it (a later
    journey may change it), or by the file's own step that logs in with it as `{captured.NAME}`."""
    _recorded(ctx)
    carried = [r for r in ctx.results() if r.journey == ctx.after]
    if not carried:
        raise ExploreSkipped(f"{ctx.after} did not run in this process", findings=[])
    login = ctx.options.get("login_journey")
    secrets = ctx.secrets()
    found: list[GeneratedPassword] = []
    for candidate in generated_passwords(carried, ctx.wording, ctx.run.known_values(ctx.scenario))[:MAX_LOGIN_TRIES]:
        entry: GeneratedPassword = {**candidate, "tried": False}
        captured = [p for p, value in secrets.items() if value == candidate["token"] and p.startswith("{captured.")]
        used = typed_by_the_file(ctx.scenario, captured)
        if used is not None:
            entry["used_by"] = used  # the file logs in with it itself: its record says what the password does
        elif login and login in ctx.scenario.journeys:
            entry["attempt"] = try_journey(
                ctx.run,
                ctx.scenario,
                ctx.scenario.journeys[login],
                ctx.browser,
                ctx.run_options,
                {"password": candidate["token"]},
            )
            entry["tried"] = True
        found.append(entry)
    return found


@explorer("reset_links", title="open password-reset links a second time")
def reopen_reset_links(ctx: ExploreContext) -> list[ReopenedLink]:
    _recorded(ctx)
    secrets = ctx.secrets()
    return [
        open_again(lambda: ctx.new_context(), link["href"], ctx.wording, secrets)
        for _, link in reset_links(ctx.results(), ctx.wording)
    ]


def open_again(
    new_context: Callable[[], BrowserContext], href: str, wording: Wording, secrets: dict[str, str]
) -> ReopenedLink:
    """A reset link opened a second time in a fresh, logged-out browser: refused, or still working?"""
    context = new_context()
    try:
        page = context.new_page()
        try:
            response = page.goto(href, timeout=15000)
        except PlaywrightError as exc:
            return {
                "href": href,
                "refused": True,
                "status": None,
                "excerpt": f"could not be opened: {exc.message.splitlines()[0]}",
            }
        status = response.status if response is not None else None
        text = page.inner_text("body")
        status_line, headline = page.locator("[role=status], [role=alert]"), page.locator("h1")
        excerpt = (
            status_line.first.inner_text()
            if status_line.count()
            else headline.first.inner_text()
            if headline.count()
            else text
        ).strip()
        excerpt = re.sub(r"\s+", " ", excerpt)[:160]
        refused = bool(status and status >= 400) or wording.find("link_refused", text) is not None
        # A site may refuse a used link without a word: it sends the visitor elsewhere, with no form for a new
        # password (Redmine redirects to its home page). Staying on the link's page is not refusing it.
        if (
            not refused
            and urlsplit(page.url).path != urlsplit(href).path
            and not page.locator("input[type=password]").count()
        ):
            refused = True
            excerpt = f"nothing: it was sent on to {page.url}, with no form to set a password"

        return {"href": href, "refused": refused, "status": status, "excerpt": mask(excerpt, secrets)}
    finally:
        context.close()
