"""Counts in sentences: "1 page", "2 pages", never "1 pages"."""

from __future__ import annotations


def counted(number: float, noun: str, plural: str | None = None) -> str:
    """`number noun`, the noun in the plural unless the number is one (`plural`, else the noun plus 's')."""
    shown = str(number) if isinstance(number, int) else f"{number:g}"
    return f"{shown} {noun if number == 1 else plural or noun + 's'}"
