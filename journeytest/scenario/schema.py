"""The JSON Schema of scenario files.

Built here, in one place, so the targets shared by many steps are written
once; `journeytest schema` prints it and `scenario.schema.json` ships it for
editors (a test keeps the file in step with this module).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .fragments import DURATION, LOCATOR_KEYS, TIMEOUT, target_properties
from .steps import ACTIONS

__all__ = ["DURATION", "LOCATOR_KEYS", "SCHEMA_FILE", "STEP_ACTIONS", "STEP_OPTIONS", "build_schema", "schema_json"]

# Built from the step table (steps.py): an action is declared once, with its schema fragment.
STEP_ACTIONS: dict[str, dict[str, Any]] = {action.name: action.schema for action in ACTIONS}

STEP_OPTIONS: dict[str, dict[str, Any]] = {
    "name": {"type": "string", "description": "A human description of the step, shown in reports."},
    "timeout": {
        **TIMEOUT,
        "description": "How long this step may wait for the page (default: the journey's step timeout).",
    },
    "count": {
        "type": "boolean",
        "description": "false: do not count this step's effort (e.g. dismissing a cookie banner).",
    },
    "soft": {
        "type": "boolean",
        "description": "true: a failure is recorded and fails the journey at its end, but the journey goes on "
        "(and journeys that need it still run).",
    },
}

JOURNEY_KINDS = ["acquire", "cancel", "support", "account", "other"]


def build_schema() -> dict[str, Any]:
    """The whole scenario schema as a dict (JSON Schema draft 2020-12)."""
    step = {
        "type": "object",
        "description": "One step: exactly one action key ("
        + ", ".join(STEP_ACTIONS)
        + ") plus optional name/timeout/count.",
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
                    "base_url": {
                        "type": "string",
                        "pattern": r"^https?://",
                        "description": "Overridden by --base-url or JOURNEYTEST_BASE_URL.",
                    },
                    "mail_in": {
                        "type": "string",
                        "pattern": r"^(smtp|lmtp)://[^/:]+:\d+/?$",
                        "description": "Where the site takes mail from customers (smtp://HOST:PORT or "
                        "lmtp://HOST:PORT), for reply_email steps. Overridden by --mail-in.",
                    },
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
                    "locale": {
                        "type": "string",
                        "pattern": r"^[a-z]{2}(_[A-Z]{2})?$",
                        "description": "Faker locale, e.g. en_US, fi_FI.",
                    },
                    "email": {
                        "type": "string",
                        "description": "Email pattern; may use {unique}, {run_id}, {first_name}, {last_name}.",
                    },
                    "password": {
                        "type": "string",
                        "description": "A fixed password (e.g. '{env.SHOP_PASSWORD}'); generated per run when absent.",
                    },
                    "first_name": {"type": "string"},
                    "last_name": {"type": "string"},
                    "phone": {"type": "string"},
                    "seed": {
                        "type": "integer",
                        "description": "Fix the random data (same persona each run, apart from {unique}).",
                    },
                },
            },
            "defaults": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "step_timeout": TIMEOUT,
                    "retries": {"type": "integer", "minimum": 0, "maximum": 10},
                },
            },
            "checks": {
                "description": "Built-in and registered checks: NAME: {option: value} sets thresholds, NAME: false turns one off, "
                "'checks: false' turns all off.",
                "oneOf": [
                    {"type": "boolean", "const": False},
                    {
                        "type": "object",
                        "propertyNames": identifier,
                        "additionalProperties": {"oneOf": [{"type": "boolean"}, {"type": "object"}]},
                    },
                ],
            },
            "allow_payments": {
                "type": "boolean",
                "description": "Let journeys press buttons that pay or order (buy, pay now, place order…). Without it, "
                "such a click is refused, so an audit of production never spends money by accident.",
            },
            "rules": {
                "type": "array",
                "items": {"enum": ["de", "eu", "fr", "ca", "us-ftc"]},
                "uniqueItems": True,
                "description": "Statutory rule packs to judge the cancel path by (checks: statutory_rules).",
            },
            "wording": {
                "type": "object",
                "description": "Extra phrases for the checks' wording lists, e.g. retention: [\"don't go yet\"].",
                "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}},
            },
            "imports": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "description": "Other scenario files whose blocks can be included (paths relative to this file).",
            },
            "blocks": {
                "type": "object",
                "propertyNames": identifier,
                "additionalProperties": {"$ref": "#/$defs/block"},
            },
            "journeys": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": identifier,
                "additionalProperties": {"$ref": "#/$defs/journey"},
            },
        },
        "$defs": {
            "target": {
                "description": "What to act on: role+name, label, text, placeholder, testid, alt, title or css; a plain string means visible text.",
                "oneOf": [
                    {"type": "string", "minLength": 1},
                    {
                        "type": "object",
                        "properties": target_properties(),
                        "minProperties": 1,
                        "additionalProperties": False,
                    },
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
                    "needs": {
                        **identifier,
                        "description": "A journey that must run first; this one continues in its logged-in session.",
                    },
                    "tags": {"type": "array", "items": identifier, "description": "Become pytest markers (-m TAG)."},
                    "retries": {"type": "integer", "minimum": 0, "maximum": 10},
                    "step_timeout": TIMEOUT,
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
