"""Passwords a site made up and mailed: a password label followed by a password-like token.

The generated-password check (C2) judges them, and the harness masks them like the
customer's own passwords, so both read mail through this one finder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypedDict

from . import Wording, contains

# After a label: "is", ":", "=" and the like, then the token itself.
LEAD = r"(?:\s*(?:is|on|ist|lautet|est|es|är|lyder|er|kuuluu)\b)?(?:\s*[:=\-–]\s*|\s+)[\"'“«]?"
TRAILING = ".,;:)]}\"'”»!?"


def value_after(label: str, text: str) -> str | None:
    """The token that follows `label` in `text` ("Password : Xq7-Lm2p9Zt" -> "Xq7-Lm2p9Zt"), or None."""
    words = r"\s+".join(re.escape(word) for word in label.strip().split())
    match = re.search(r"(?<![\w])" + words + LEAD + r"(\S+)", text, re.IGNORECASE)
    return match.group(1).strip(TRAILING) if match else None


class MailedPassword(TypedDict):
    label: str  # the words that introduced it, e.g. "Password:"
    token: str


def password_like(token: str, known: set[str]) -> bool:
    """A site-made password, not a word, link, address, numeric one-time code or something we typed ourselves."""
    if len(token) < 6 or token in known or "://" in token or token.startswith("/") or token.lower().startswith("www."):
        return False
    if "@" in token or token.isdigit() or set(token) <= set("*•·x"):  # addresses, one-time codes, masked ********
        return False
    if token.isalpha() and (token.islower() or token.istitle() or token.isupper()):
        return False  # an ordinary word ("changed", "Reset")
    classes = sum(
        [
            any(c.islower() for c in token),
            any(c.isupper() for c in token),
            any(c.isdigit() for c in token),
            any(not c.isalnum() for c in token),
        ]
    )
    return classes >= 2


def mailed_passwords(mail: Mapping[str, Any], wording: Wording, known: set[str]) -> list[MailedPassword]:
    """Every (label, token) in one email's subject and text where a password label is followed by a password."""
    labels = sorted(wording.phrases("password_label"), key=len, reverse=True)
    code_words = wording.phrases("one_time_code")
    text = f"{mail.get('subject', '')}\n{mail.get('text', '')}"
    found: list[MailedPassword] = []
    for label in labels:
        # not inside a link ("/password/reset/…"): the label stands on its own
        words = r"\s+".join(re.escape(word) for word in label.split())
        pattern = re.compile(r"(?<![/\w.-])" + words + r"(?!\w)" + LEAD + r"(\S+)", re.IGNORECASE)
        for match in pattern.finditer(text):
            raw, token = match.group(1), match.group(1).strip(TRAILING)
            if raw in known or any(secret and secret in raw for secret in known if len(secret) >= 6):
                continue  # what the customer typed is C1's finding
            before = text[max(0, match.start() - 30) : match.start()]
            if any(contains(word, before) for word in code_words):
                continue  # "Password reset code: 4821": a one-time code, fine by the catalogue
            if password_like(token, known) and not any(f["token"] == token for f in found):
                label_text = match.group(0)[: len(match.group(0)) - len(match.group(1))].strip()
                found.append({"label": label_text, "token": token})
    return found
