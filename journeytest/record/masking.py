"""The secrets of a run, and every form they take in text, so they can be found and masked.

journeytest made the persona's passwords itself, so it knows them all: C1 searches emails
for them, and everything written out (failure messages, URLs, step records, results,
traces, stored mail) is masked first. One SecretBook per process owns the list.
"""

from __future__ import annotations

import json
import zipfile
from base64 import b64encode
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

IMAP_PASSWORD_VARIABLE = "JOURNEYTEST_IMAP_PASSWORD"
LEARNED_PREFIX = "{password the site mailed"


def secret_forms(secret: str) -> dict[str, str]:
    """The ways a secret shows up besides as typed."""
    forms = {
        "as typed": secret,
        "URL-encoded": quote(secret, safe=""),
        "URL-encoded (form)": quote_plus(secret),
        "HTML-escaped": escape(secret),
        "as HTML character references": "".join(f"&#{ord(c)};" for c in secret),
        "base64-encoded": b64encode(secret.encode()).decode().rstrip("="),
    }
    return {name: form for name, form in forms.items() if name == "as typed" or form != secret}


def mask(text: str, secrets: Mapping[str, str]) -> str:
    """Text with every form of every secret replaced by the secret's placeholder name."""
    for name, secret in secrets.items():
        if len(secret) < 4:
            continue
        for form in secret_forms(secret).values():
            text = text.replace(form, name)
    return text


def mask_zip(path: Path, secrets: Mapping[str, str]) -> None:
    """A Playwright trace (or any zip) rewritten with every secret masked in every member, also JSON-escaped.

    Traces record what was typed and every request body; the output folder must hold no secret.
    """
    if not secrets or not path.exists():
        return
    replacements: list[tuple[bytes, bytes]] = []
    for name, secret in secrets.items():
        if len(secret) < 4:
            continue
        forms = set(secret_forms(secret).values()) | {
            json.dumps(secret)[1:-1],
            json.dumps(secret, ensure_ascii=False)[1:-1],
        }
        replacements += [(form.encode(), name.encode()) for form in sorted(forms, key=len, reverse=True)]
    masked = path.with_suffix(".masking")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(masked, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            for form_bytes, name_bytes in replacements:
                data = data.replace(form_bytes, name_bytes)
            target.writestr(member, data)
    masked.replace(path)


def mask_tree(value: Any, secrets: Mapping[str, str]) -> Any:
    """Every string in a JSON-like structure, with every form of every secret replaced by its placeholder."""
    if not secrets:
        return value
    if isinstance(value, str):
        return mask(value, secrets)
    if isinstance(value, list):
        return [mask_tree(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: mask_tree(item, secrets) for key, item in value.items()}
    return value


class SecretBook:
    """What must be masked, file by file: what the harness types, and passwords the site made up and mailed."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._typed: dict[str, dict[str, str]] = {}  # scenario path -> placeholder -> value
        self._learned: dict[str, list[str]] = {}  # scenario path -> passwords the site mailed, in order
        self._captured: dict[str, dict[str, str]] = {}  # scenario path -> {captured.NAME} -> a secret value
        self._everywhere: dict[str, str] = {}
        if environ.get(IMAP_PASSWORD_VARIABLE):
            self._everywhere["{" + IMAP_PASSWORD_VARIABLE + "}"] = environ[IMAP_PASSWORD_VARIABLE]

    def add(self, path: str, secrets: Mapping[str, str]) -> None:
        """Secrets a file's journeys type: the persona's passwords, the {env.NAME} values its steps read."""
        self._typed.setdefault(path, {}).update({name: value for name, value in secrets.items() if value})

    def learn(self, path: str, token: str) -> None:
        """A password the site mailed is the customer's password now: masked like one from here on."""
        learned = self._learned.setdefault(path, [])
        if token not in learned:
            learned.append(token)

    def capture(self, path: str, placeholder: str, value: str) -> None:
        """A secret a `capture` step took from the site (a mailed password, a one-time code): masked from now on."""
        if value:
            self._captured.setdefault(path, {})[placeholder] = value

    def typed(self, path: str) -> dict[str, str]:
        """Placeholder -> value of what the harness typed for this file (C1's subject), not what the site made up."""
        return {**self._typed.get(path, {}), **self._everywhere}

    def for_file(self, path: str) -> dict[str, str]:
        """Placeholder -> value of every secret of this file."""
        found = {**self.typed(path), **self._captured.get(path, {})}
        for number, token in enumerate(self._learned.get(path, []), 1):
            found[f"{LEARNED_PREFIX} #{number}}}"] = token
        return found

    def everything(self) -> dict[str, str]:
        """Every secret of every file this process ran, for the stored mail; a name two files share is told apart."""
        merged: dict[str, str] = {}
        for path in self._typed:
            for name, value in self.for_file(path).items():
                merged.setdefault(f"{name} ({path})" if name in merged and merged[name] != value else name, value)
        return merged
