"""Pieces of the scenario JSON Schema that many parts share: durations, texts, targets.

Written once here; the step table (steps.py) and the whole-file schema (schema.py)
are built from them.
"""

from __future__ import annotations

from typing import Any

DURATION: dict[str, Any] = {
    "description": "A duration: '500ms', '2s', '1.5m', or a number of seconds.",
    "oneOf": [
        {"type": "string", "pattern": r"^\d+(\.\d+)?\s*(ms|s|m)$"},
        {"type": "number", "minimum": 0},
    ],
}

# A timeout of 0 would mean "wait forever" to the browser: every timeout is a positive duration.
TIMEOUT: dict[str, Any] = {
    "description": "A positive duration: '500ms', '2s', '1.5m', or a number of seconds above 0.",
    "oneOf": [
        {"type": "string", "pattern": r"^(?!0+(\.0+)?\s*(ms|s|m)$)\d+(\.\d+)?\s*(ms|s|m)$"},
        {"type": "number", "exclusiveMinimum": 0},
    ],
}

TEXT_OR_ALTERNATIVES: dict[str, Any] = {
    "description": "Text, or a list of alternatives (e.g. English and Finnish wording); the first that matches is used.",
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ],
}

# How a target can be found, in the order users perceive a page (Playwright's own priority).
LOCATOR_KEYS: dict[str, dict[str, Any]] = {
    "role": {
        "type": "string",
        "description": "ARIA role, e.g. button, link, textbox, checkbox, heading; use with 'name'.",
    },
    "label": {**TEXT_OR_ALTERNATIVES, "description": "The form control's label text."},
    "text": {**TEXT_OR_ALTERNATIVES, "description": "Visible text of the element."},
    "placeholder": {**TEXT_OR_ALTERNATIVES, "description": "The input's placeholder."},
    "testid": {"type": "string", "description": "The data-testid attribute."},
    "alt": {**TEXT_OR_ALTERNATIVES, "description": "An image's alt text."},
    "title": {**TEXT_OR_ALTERNATIVES, "description": "The title attribute."},
    "css": {
        "type": "string",
        "description": "A CSS selector: a last resort, as it breaks when the page's markup changes.",
    },
}
LOCATOR_MODIFIERS: dict[str, dict[str, Any]] = {
    "name": {**TEXT_OR_ALTERNATIVES, "description": "Accessible name, used with 'role'."},
    "exact": {
        "type": "boolean",
        "description": "Match the whole text, case-sensitively (default: substring, case-insensitive).",
    },
    "nth": {
        "type": "integer",
        "minimum": 0,
        "description": "Pick the n-th match (0-based) when several elements match.",
    },
    "within": {"$ref": "#/$defs/target", "description": "Look only inside this element."},
}
TARGET_REF: dict[str, Any] = {"$ref": "#/$defs/target"}


def target_properties() -> dict[str, Any]:
    return {
        **LOCATOR_KEYS,
        **LOCATOR_MODIFIERS,
        "any": {
            "type": "array",
            "minItems": 1,
            "items": TARGET_REF,
            "description": "Alternatives: the first target that is on the page is used.",
        },
    }


def target_with(extra: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """A target mapping with more keys of a step's own (fill's 'value', select's 'option')."""
    return {
        "type": "object",
        "properties": {**target_properties(), **extra},
        "required": required,
        "additionalProperties": False,
    }
