"""A target: how to find one element the way a user perceives the page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """Role + name, label, text, placeholder, test id, alt, title or CSS; or alternatives of those."""

    strategy: str  # role | label | text | placeholder | testid | alt | title | css | any
    values: tuple[str, ...] = ()  # alternatives, e.g. English and Finnish wording
    name: tuple[str, ...] = ()  # accessible name alternatives (with role)
    exact: bool = False
    nth: int | None = None
    within: Target | None = None
    alternatives: tuple[Target, ...] = ()  # for strategy == "any"

    def describe(self) -> str:
        """A short human description, e.g. `button "Sign up"`."""
        if self.strategy == "any":
            return " or ".join(t.describe() for t in self.alternatives)
        quoted = " / ".join(f'"{v}"' for v in (self.name or self.values))
        if self.strategy == "role":
            text = f"{self.values[0]} {quoted}" if self.name else f"any {self.values[0]}"
        elif self.strategy == "text":
            text = f"text {quoted}"
        elif self.strategy == "css":
            text = f"css {self.values[0]}"
        else:
            text = f"{self.strategy} {quoted}"
        if self.nth is not None:
            text += f" (match #{self.nth})"
        if self.within is not None:
            text += f" inside {self.within.describe()}"
        return text

    def words(self) -> tuple[str, ...] | None:
        """The words it is found by (a role's name, a text, a label), or None when it is found by markup (CSS, test id)."""
        if self.strategy == "any":
            parts = [t.words() for t in self.alternatives]
            return None if any(p is None for p in parts) else tuple(w for p in parts for w in p or ())
        if self.strategy == "role":
            return self.name or None
        if self.strategy in ("text", "label", "title", "alt", "placeholder"):
            return self.values
        return None
