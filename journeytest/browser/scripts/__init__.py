"""The scripts journeytest runs inside pages, as package data (one .js file each)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def page_script(name: str) -> str:
    """The script `name`.js, without its leading comment lines (Playwright evaluates it as one expression)."""
    text = files(__package__).joinpath(f"{name}.js").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("//")).strip()
