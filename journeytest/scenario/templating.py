"""Fill `{persona.email}`-style placeholders in scenario values.

Deliberately not a template language: names only, no expressions, no code.
`{{` and `}}` stand for literal braces.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from ..errors import TemplateError
from ..masked import Secret

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\}")

# Placeholder namespaces a scenario may use, and the names each one offers
# (None: any name, checked only when the run fills it in).
PERSONA_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "email",
    "password",
    "new_password",
    "phone",
    "address",
    "street_address",
    "city",
    "postcode",
    "country",
    "company",
    "username",
)
NAMESPACES: dict[str, tuple[str, ...] | None] = {
    "persona": PERSONA_FIELDS,
    "env": None,
    "run": ("id",),
    "site": ("name", "base_url"),
    "params": None,
    "captured": None,  # values `capture` steps took from an email or a page; checked by the loader per journey
}


def references(text: str) -> list[str]:
    """Placeholder names used in a value, e.g. ['persona.email']."""
    return [m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1)]


def check_reference(name: str, params: tuple[str, ...] | None) -> str | None:
    """Why a placeholder name cannot be filled, or None when it is fine."""
    head, _, rest = name.partition(".")
    if head not in NAMESPACES:
        guess = difflib.get_close_matches(name.replace("_", ".", 1), _known_names(params), n=1)
        hint = f"; did you mean {{{guess[0]}}}?" if guess else ""
        return f"unknown placeholder {{{name}}}: expected one of {', '.join('{' + n + '.…}' for n in NAMESPACES)}{hint}"
    if not rest or "." in rest:
        return f"placeholder {{{name}}} must be of the form {{{head}.NAME}}"
    allowed = NAMESPACES[head]
    if head == "params":
        allowed = params
        if params is None:
            return f"{{{name}}} is only available inside a block that declares 'params'"
    if allowed is not None and rest not in allowed:
        guess = difflib.get_close_matches(rest, allowed, n=1)
        hint = f"; did you mean {{{head}.{guess[0]}}}?" if guess else ""
        return f"{{{name}}} is unknown: {head} has {', '.join(allowed) or 'no fields'}{hint}"
    return None


def _known_names(params: tuple[str, ...] | None) -> list[str]:
    names = []
    for head, fields in NAMESPACES.items():
        if head == "params":
            fields = params
        for f in fields or ():
            names.append(f"{head}.{f}")
    return names


def render(text: str, values: Mapping[str, Mapping[str, object]]) -> str:
    """Replace placeholders using values[namespace][name]; unknown ones raise TemplateError."""

    secret = False

    def substitute(match: re.Match[str]) -> str:
        nonlocal secret
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        head, _, rest = match.group(1).partition(".")
        space = values.get(head)
        if space is None or rest not in space:
            if head == "env":
                raise TemplateError(f"environment variable {rest} is not set (needed by {{{match.group(1)}}})")
            raise TemplateError(f"no value for {{{match.group(1)}}}")
        value = space[rest]
        secret = secret or head == "env" or isinstance(value, Secret)
        return str(value)

    rendered = PLACEHOLDER.sub(substitute, text)
    return Secret(rendered) if secret or isinstance(text, Secret) else rendered  # typed secrets stay masked in repr
