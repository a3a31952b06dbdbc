"""The secrets a run typed, and every form they take in text, so they can be found and masked.

journeytest made the persona's passwords itself, so it knows them all: C1 searches emails
for them, and the runner masks them in failure messages, URLs and step records before
anything is printed.
"""

from __future__ import annotations

import json
import zipfile
from base64 import b64encode
from collections.abc import Mapping
from html import escape
from pathlib import Path
from urllib.parse import quote, quote_plus


def secret_forms(secret: str) -> dict[str, str]:
    """The ways a secret shows up besides as typed."""
    forms = {"as typed": secret, "URL-encoded": quote(secret, safe=""), "URL-encoded (form)": quote_plus(secret),
             "HTML-escaped": escape(secret), "as HTML character references": "".join(f"&#{ord(c)};" for c in secret),
             "base64-encoded": b64encode(secret.encode()).decode().rstrip("=")}
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
    replacements = []
    for name, secret in secrets.items():
        if len(secret) < 4:
            continue
        forms = set(secret_forms(secret).values()) | {json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
        replacements += [(form.encode(), name.encode()) for form in sorted(forms, key=len, reverse=True)]
    masked = path.with_suffix(".masking")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(masked, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            for form, name in replacements:
                data = data.replace(form, name)
            target.writestr(member, data)
    masked.replace(path)
