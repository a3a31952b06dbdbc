"""Durations as scenario files write them: '500ms', '2s', '1.5m', or a number of seconds."""

from __future__ import annotations

import re


def parse_duration(value: str | int | float) -> float:
    """'500ms' | '2s' | '1.5m' | 3 -> seconds."""
    if isinstance(value, (int, float)):
        return float(value)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ms|s|m)", value.strip())
    if not match:
        raise ValueError(f"not a duration: {value!r}")
    number, unit = float(match.group(1)), match.group(2)
    return {"ms": number / 1000, "s": number, "m": number * 60}[unit]
