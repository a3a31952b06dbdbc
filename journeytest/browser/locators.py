"""Target (from the scenario) -> Playwright Locator.

Role, label, text, placeholder, test id, alt and title map onto Playwright's
get_by_* locators, so targets are found the way a user perceives the page;
alternatives (English / Finnish wording) become `locator.or_(...)`, which
keeps Playwright's auto-waiting across all of them.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page

from ..scenario import Target


def _one(scope: Page | Locator, strategy: str, value: str, target: Target) -> Locator:
    exact = target.exact
    if strategy == "role":
        if not target.name:
            return scope.get_by_role(value)  # type: ignore[arg-type]  # checked against ARIA_ROLES by the loader
        return _either(
            [
                scope.get_by_role(value, name=name, exact=exact)  # type: ignore[arg-type]
                for name in target.name
            ]
        )
    if strategy == "label":
        # Only fields a customer can see: a collapsed section often repeats a label ("Given name" for the invoice
        # address), as role targets already leave out what is hidden.
        return scope.get_by_label(value, exact=exact).filter(visible=True)

    if strategy == "text":
        return scope.get_by_text(value, exact=exact)
    if strategy == "placeholder":
        return scope.get_by_placeholder(value, exact=exact)
    if strategy == "testid":
        return scope.get_by_test_id(value)
    if strategy == "alt":
        return scope.get_by_alt_text(value, exact=exact)
    if strategy == "title":
        return scope.get_by_title(value, exact=exact)
    if strategy == "css":
        return scope.locator(value)
    raise ValueError(f"unknown target strategy {strategy}")


def _either(locators: list[Locator]) -> Locator:
    combined = locators[0]
    for other in locators[1:]:
        combined = combined.or_(other)
    return combined


def locate(scope: Page | Locator, target: Target, render: Any = lambda s: s) -> Locator:
    """The Playwright locator for a target; `render` fills placeholders in its texts."""
    if target.within is not None:
        scope = locate(scope, target.within, render)
    if target.strategy == "any":
        locator = _either([locate(scope, alt, render) for alt in target.alternatives])
    else:
        values = target.values if target.strategy == "role" else tuple(render(v) for v in target.values)
        rendered = Target(target.strategy, values, tuple(render(n) for n in target.name), target.exact)
        locator = _either([_one(scope, rendered.strategy, v, rendered) for v in rendered.values])
    if target.nth is not None:
        locator = locator.nth(target.nth)
    return locator
