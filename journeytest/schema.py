"""The JSON Schema of scenario files.

Built here, in one place, so the targets shared by many steps are written
once; `journeytest schema` prints it and `scenario.schema.json` ships it for
editors (a test keeps the file in step with this module).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DURATION = {
    "description": "A duration: '500ms', '2s', '1.5m', or a number of seconds.",
    "oneOf": [
        {"type": "string", "pattern": r"^\d+(\.\d+)?\s*(ms|s|m)$"},
        {"type": "number", "minimum": 0},
    ],
}

TEXT_OR_ALTERNATIVES = {
    "description": "Text, or a list of alternatives (e.g. English and Finnish wording); the first that matches is used.",
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ],
}

# How a target can be found, in the order users perceive a page (Playwright's own priority).
LOCATOR_KEYS: dict[str, dict[str, Any]] = {
    "role": {"type": "string", "description": "ARIA role, e.g. button, link, textbox, checkbox, heading; use with 'name'."},
    "label": {**TEXT_OR_ALTERNATIVES, "description": "The form control's label text."},
    "text": {**TEXT_OR_ALTERNATIVES, "description": "Visible text of the element."},
    "placeholder": {**TEXT_OR_ALTERNATIVES, "description": "The input's placeholder."},
    "testid": {"type": "string", "description": "The data-testid attribute."},
    "alt": {**TEXT_OR_ALTERNATIVES, "description": "An image's alt text."},
    "title": {**TEXT_OR_ALTERNATIVES, "description": "The title attribute."},
    "css": {"type": "string", "description": "A CSS selector: a last resort, as it breaks when the page's markup changes."},
}
LOCATOR_MODIFIERS: dict[str, dict[str, Any]] = {
    "name": {**TEXT_OR_ALTERNATIVES, "description": "Accessible name, used with 'role'."},
    "exact": {"type": "boolean", "description": "Match the whole text, case-sensitively (default: substring, case-insensitive)."},
    "nth": {"type": "integer", "minimum": 0, "description": "Pick the n-th match (0-based) when several elements match."},
    "within": {"$ref": "#/$defs/target", "description": "Look only inside this element."},
}


def _target_properties() -> dict[str, Any]:
    return {**LOCATOR_KEYS, **LOCATOR_MODIFIERS, "any": {
        "type": "array", "minItems": 1, "items": {"$ref": "#/$defs/target"},
        "description": "Alternatives: the first target that is on the page is used.",
    }}


def _target_with(extra: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": {**_target_properties(), **extra}, "required": required, "additionalProperties": False}


STEP_ACTIONS: dict[str, dict[str, Any]] = {
    "goto": {"type": "string", "minLength": 1, "description": "Open a URL, or a path relative to the site's base URL."},
    "click": {"$ref": "#/$defs/target", "description": "Click an element."},
    "fill": _target_with({"value": {"type": ["string", "number"], "description": "The text to type."}}, ["value"]),
    "select": _target_with({"option": {**TEXT_OR_ALTERNATIVES, "description": "Option label or value."}}, ["option"]),
    "check": {"$ref": "#/$defs/target", "description": "Tick a checkbox or choose a radio button."},
    "uncheck": {"$ref": "#/$defs/target", "description": "Untick a checkbox."},
    "press": {
        "description": "Press a key (Enter, Tab, Escape, Control+A...), optionally on a target.",
        "oneOf": [
            {"type": "string", "minLength": 1},
            _target_with({"key": {"type": "string", "minLength": 1}}, ["key"]),
        ],
    },
    "expect": {
        "type": "object",
        "description": "Check the page. Exactly one of: text, url, title, visible, not_visible.",
        "properties": {
            "text": TEXT_OR_ALTERNATIVES,
            "url": {"type": "string", "description": "Path ('/account'), full URL, or glob ('**/orders/*')."},
            "title": TEXT_OR_ALTERNATIVES,
            "visible": {"$ref": "#/$defs/target"},
            "not_visible": {"$ref": "#/$defs/target"},
        },
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": False,
    },
    "wait": {
        "description": "Pause for a duration, or until a target is visible, the URL matches, or the page is loaded.",
        "oneOf": [
            DURATION,
            {"type": "object", "properties": {
                "for": {"$ref": "#/$defs/target"},
                "url": {"type": "string"},
                "load": {"enum": ["load", "domcontentloaded", "networkidle"]},
            }, "minProperties": 1, "maxProperties": 1, "additionalProperties": False},
        ],
    },
    "screenshot": {
        "description": "Save a screenshot in the output folder under this name.",
        "oneOf": [
            {"type": "string", "pattern": r"^[A-Za-z0-9_.-]+$"},
            {"type": "object", "properties": {
                "name": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]+$"},
                "full_page": {"type": "boolean"},
            }, "required": ["name"], "additionalProperties": False},
        ],
    },
    "dialog": {
        "description": "How to answer the next JavaScript alert/confirm/prompt (default: accept).",
        "oneOf": [
            {"enum": ["accept", "dismiss"]},
            {"type": "object", "properties": {"accept": {"type": "boolean"}, "prompt_text": {"type": "string"}},
             "required": ["accept"], "additionalProperties": False},
        ],
    },
    "expect_email": {
        "type": "object",
        "description": "Wait for an email to the persona (or 'to') that matches, and check what it must not contain.",
        "properties": {
            "to": {"type": "string", "description": "Recipient (default: {persona.email})."},
            "subject": {**TEXT_OR_ALTERNATIVES, "description": "Text the subject contains."},
            "contains": {**TEXT_OR_ALTERNATIVES, "description": "Text the email contains (subject, text or HTML)."},
            "not_contains": {**TEXT_OR_ALTERNATIVES, "description": "Text the email must not contain, e.g. '{persona.password}'."},
            "within": {**DURATION, "description": "How long to wait for it (default 30s); not counted as journey time."},
        },
        "additionalProperties": False,
    },
    "expect_no_email": {
        "type": "object",
        "description": "Fail if an email (matching subject/contains, if given) arrives that no earlier expect_email claimed.",
        "properties": {
            "to": {"type": "string"},
            "subject": TEXT_OR_ALTERNATIVES,
            "contains": TEXT_OR_ALTERNATIVES,
            "within": {**DURATION, "description": "How long to watch (default 5s)."},
        },
        "additionalProperties": False,
    },
    "open_email_link": {
        "description": "Open a link from the last email expect_email found, by its text or part of its URL.",
        "oneOf": [
            {"type": "string", "minLength": 1},
            {"type": "object", "properties": {"text": TEXT_OR_ALTERNATIVES, "url": {"type": "string", "minLength": 1}},
             "minProperties": 1, "additionalProperties": False},
        ],
    },
    "include": {
        "description": "Run a reusable block of steps defined under 'blocks' (or imported), with parameters.",
        "oneOf": [
            {"type": "string", "minLength": 1},
            {"type": "object", "properties": {
                "block": {"type": "string", "minLength": 1},
                "with": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
            }, "required": ["block"], "additionalProperties": False},
        ],
    },
}

STEP_OPTIONS: dict[str, dict[str, Any]] = {
    "name": {"type": "string", "description": "A human description of the step, shown in reports."},
    "timeout": {**DURATION, "description": "How long this step may wait for the page (default: the journey's step timeout)."},
    "count": {"type": "boolean", "description": "false: do not count this step's effort (e.g. dismissing a cookie banner)."},
    "soft": {"type": "boolean", "description": "true: a failure is recorded and fails the journey at its end, but the journey goes on "
                                               "(and journeys that need it still run)."},
}

JOURNEY_KINDS = ["acquire", "cancel", "support", "account", "other"]


def build_schema() -> dict[str, Any]:
    """The whole scenario schema as a dict (JSON Schema draft 2020-12)."""
    step = {
        "type": "object",
        "description": "One step: exactly one action key (" + ", ".join(STEP_ACTIONS) + ") plus optional name/timeout/count.",
        "properties": {**STEP_ACTIONS, **STEP_OPTIONS},
        "additionalProperties": False,
    }
    steps = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}}
    identifier = {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_-]*$"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/journeytest/journeytest/scenario.schema.json",
        "title": "journeytest scenario (*.journey.yaml)",
        "type": "object",
        "required": ["site", "journeys"],
        "additionalProperties": False,
        "properties": {
            "site": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "base_url": {"type": "string", "pattern": r"^https?://", "description": "Overridden by --base-url or JOURNEYTEST_BASE_URL."},
                    "environments": {
                        "type": "object",
                        "description": "Named base URLs chosen with --site-env NAME (e.g. staging, production).",
                        "additionalProperties": {"type": "string", "pattern": r"^https?://"},
                    },
                },
            },
            "persona": {
                "type": "object",
                "description": "The made-up customer; every field is generated with Faker unless given.",
                "additionalProperties": False,
                "properties": {
                    "locale": {"type": "string", "pattern": r"^[a-z]{2}(_[A-Z]{2})?$", "description": "Faker locale, e.g. en_US, fi_FI."},
                    "email": {"type": "string", "description": "Email pattern; may use {unique}, {run_id}, {first_name}, {last_name}."},
                    "password": {"type": "string", "description": "A fixed password (e.g. '{env.SHOP_PASSWORD}'); generated per run when absent."},
                    "first_name": {"type": "string"},
                    "last_name": {"type": "string"},
                    "phone": {"type": "string"},
                    "seed": {"type": "integer", "description": "Fix the random data (same persona each run, apart from {unique})."},
                },
            },
            "defaults": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "step_timeout": DURATION,
                    "retries": {"type": "integer", "minimum": 0, "maximum": 10},
                },
            },
            "checks": {
                "description": "Built-in and registered checks: NAME: {option: value} sets thresholds, NAME: false turns one off, "
                               "'checks: false' turns all off.",
                "oneOf": [
                    {"type": "boolean", "const": False},
                    {"type": "object", "propertyNames": identifier,
                     "additionalProperties": {"oneOf": [{"type": "boolean"}, {"type": "object"}]}},
                ],
            },
            "allow_payments": {
                "type": "boolean",
                "description": "Let journeys press buttons that pay or order (buy, pay now, place order…). Without it, "
                               "such a click is refused, so an audit of production never spends money by accident.",
            },
            "rules": {
                "type": "array", "items": {"enum": ["de", "eu", "fr", "ca", "us-ftc"]}, "uniqueItems": True,
                "description": "Statutory rule packs to judge the cancel path by (checks: statutory_rules).",
            },
            "wording": {
                "type": "object",
                "description": "Extra phrases for the checks' wording lists, e.g. retention: [\"don't go yet\"].",
                "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}},
            },
            "imports": {"type": "array", "items": {"type": "string", "minLength": 1},
                        "description": "Other scenario files whose blocks can be included (paths relative to this file)."},
            "blocks": {"type": "object", "propertyNames": identifier, "additionalProperties": {"$ref": "#/$defs/block"}},
            "journeys": {"type": "object", "minProperties": 1, "propertyNames": identifier,
                         "additionalProperties": {"$ref": "#/$defs/journey"}},
        },
        "$defs": {
            "target": {
                "description": "What to act on: role+name, label, text, placeholder, testid, alt, title or css; a plain string means visible text.",
                "oneOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "object", "properties": _target_properties(), "minProperties": 1, "additionalProperties": False},
                ],
            },
            "step": step,
            "journey": {
                "type": "object",
                "required": ["kind", "steps"],
                "additionalProperties": False,
                "properties": {
                    "kind": {"enum": JOURNEY_KINDS},
                    "description": {"type": "string"},
                    "needs": {**identifier, "description": "A journey that must run first; this one continues in its logged-in session."},
                    "tags": {"type": "array", "items": identifier, "description": "Become pytest markers (-m TAG)."},
                    "retries": {"type": "integer", "minimum": 0, "maximum": 10},
                    "step_timeout": DURATION,
                    "steps": steps,
                },
            },
            "block": {
                "type": "object",
                "required": ["steps"],
                "additionalProperties": False,
                "properties": {
                    "params": {"type": "array", "items": identifier},
                    "description": {"type": "string"},
                    "steps": steps,
                },
            },
        },
    }


SCHEMA_FILE = Path(__file__).with_name("scenario.schema.json")


def schema_json() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"
