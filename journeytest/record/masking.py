"""The secrets of a run, and every form they take in text, so they can be found and masked.

journeytest made the persona's passwords itself, so it knows them all: C1 searches emails
for them, and everything written out (failure messages, URLs, step records, results,
traces, stored mail) is masked first. One SecretBook per process owns the list.

Tokens journeytest did not make (a reset link's `?token=…`, a confirmation link's
`/confirm/c3k9…/`) are masked in what leaves the process too (`mask_link_tokens`):
query values whose name reads like a one-time credential, and random-looking path
segments of the links emails carried. The URL stays readable: `?token=•••`.
"""

from __future__ import annotations

import json
import re
import zipfile
from base64 import b64encode
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from ..masked import Secret

IMAP_PASSWORD_VARIABLE = "JOURNEYTEST_IMAP_PASSWORD"
LEARNED_PREFIX = "{password the site mailed"


def secret_forms(secret: str) -> dict[str, str]:
    """The ways a secret shows up besides as typed: URL-encoded (keeping '/' or not, either case of the
    escapes), HTML-escaped, as decimal or hex character references, and base64 at each of the three
    alignments it can have inside a longer base64 value."""
    encoded = quote(secret, safe="")
    forms = {
        "as typed": secret,
        "URL-encoded": encoded,
        "URL-encoded (keeping '/')": quote(secret),
        "URL-encoded (lower-case escapes)": re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), encoded),
        "URL-encoded (form)": quote_plus(secret),
        "HTML-escaped": escape(secret),
        "as HTML character references": "".join(f"&#{ord(c)};" for c in secret),
        "as hex character references": "".join(f"&#x{ord(c):x};" for c in secret),
        "as upper-case hex character references": "".join(f"&#X{ord(c):X};" for c in secret),
        "base64-encoded": b64encode(secret.encode()).decode().rstrip("="),
        **{f"base64-encoded (inside a longer value, offset {k})": _base64_inside(secret, k) for k in (0, 1, 2)},
    }
    return {name: form for name, form in forms.items() if name == "as typed" or (form and form != secret)}


def _base64_inside(secret: str, offset: int) -> str:
    """The base64 characters that stand for the secret alone when it starts `offset` bytes into a 3-byte group
    of a longer encoded value: those touched by neighbouring bytes are left off."""
    data = secret.encode()
    encoded = b64encode(bytes(offset) + data).decode()
    start, end = -(-8 * offset // 6), 8 * (offset + len(data)) // 6
    inner = encoded[start:end]
    return inner if len(inner) >= 6 else ""


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
            self._everywhere["{" + IMAP_PASSWORD_VARIABLE + "}"] = Secret(environ[IMAP_PASSWORD_VARIABLE])

    def add(self, path: str, secrets: Mapping[str, str]) -> None:
        """Secrets a file's journeys type: the persona's passwords, the {env.NAME} values its steps read."""
        self._typed.setdefault(path, {}).update({name: Secret(value) for name, value in secrets.items() if value})

    def learn(self, path: str, token: str) -> None:
        """A password the site mailed is the customer's password now: masked like one from here on."""
        learned = self._learned.setdefault(path, [])
        if token not in learned:
            learned.append(Secret(token))

    def capture(self, path: str, placeholder: str, value: str) -> None:
        """A secret a `capture` step took from the site (a mailed password, a one-time code): masked from now on."""
        if value:
            self._captured.setdefault(path, {})[placeholder] = Secret(value)

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


# ----------------------------------------------------------------------------- one-time tokens in URLs

TOKEN_MASK = "•••"
# Query keys of links that work once (confirmation, activation, reset, sign-in links): never opened twice.
ONE_TIME_KEYS = re.compile(
    r"^(?:token|key|code|hash|sig|signature|otp|nonce|ticket|pwauth|auth|t|k|"
    r"confirm\w*|activat\w*|verif\w*|reset\w*|magic\w*|login_token)$",
    re.IGNORECASE,
)
# Parts of a query key (split at _ - . [ ]) that make its value a credential: access_token, api_key, X-Amz-Signature.
_SECRET_KEY_PARTS = frozenset(
    "token key apikey secret password passwd pwd pass pwauth auth sig signature hash hmac nonce otp code ticket "
    "session sid jwt credential credentials".split()
)
_QUERY_PAIR = re.compile(r"(?P<lead>[?&;])(?P<name>[A-Za-z0-9_.\-\[\]]+)=(?P<value>[^&#\s<>\"\\]*)")
_URL = re.compile(r"https?://[^\s<>\"\\]+", re.IGNORECASE)
_SEGMENT = re.compile(r"[A-Za-z0-9_\-.~=%]+")
_WORD = re.compile(r"[a-z]+|[A-Z]+|[a-z]*(?:[A-Z][a-z]+)+")


def _words(part: str) -> bool:
    """`reset`, `RESET`, `Reset`, `resetPassword`: words, each with a vowel (random letters often lack one)."""
    if not _WORD.fullmatch(part):
        return False
    return all(re.search("[aeiouy]", word, re.IGNORECASE) for word in re.findall(r"[A-Z]?[a-z]+|[A-Z]+", part))


_FLAGS = frozenset({"true", "false", "none", "null", "yes", "no", "on", "off"})


def secret_query_key(name: str) -> bool:
    """A query parameter whose value is a credential or a one-time token, by its name."""
    lowered = name.casefold()
    if ONE_TIME_KEYS.match(lowered) or any(word in lowered for word in ("token", "secret", "passw", "signature")):
        return True
    return any(part in _SECRET_KEY_PARTS for part in re.split(r"[_.\-\[\]]+", lowered) if part)


def _mask_pair(match: re.Match[str]) -> str:
    value = match.group("value")
    tail = ""
    # Punctuation after a URL in prose or an attribute ("…?token=abc)." or href='…?token=abc') is not the value.
    while (
        value
        and value[-1] in ".,:;!?)'"
        and not (
            (value[-1] == "'" and value.count("'") % 2 == 0)
            or (value[-1] == ")" and value.count("(") >= value.count(")"))
        )
    ):
        value, tail = value[:-1], value[-1] + tail
    if len(value) < 4 or value.casefold() in _FLAGS or value == TOKEN_MASK or not secret_query_key(match["name"]):
        return match.group(0)
    if re.fullmatch(r"\{[^{}]+\}", value):
        return match.group(0)  # already masked as its placeholder name: password={persona.password}
    return f"{match['lead']}{match['name']}={TOKEN_MASK}{tail}"


def _kind(char: str) -> str:
    return "digit" if char.isdigit() else "upper" if char.isupper() else "lower"


def random_segments(url: str) -> set[str]:
    """The path segments of a URL that look like a token: long, of token characters, and random-looking: letters
    that are no words (`xJ_9kQvR…`), or letters and digits that keep switching (`c3k9gh-8f2b1e…`, a UUID), or
    16 digits and more. Words, dates and names stay: `set-password`, `2026-12-02`, `journeytest-project-v2`."""
    path = re.split(r"[?#]", re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url, flags=re.IGNORECASE), maxsplit=1)[0]
    found = set()
    for segment in path.split("/"):
        if len(segment) < 12 or not _SEGMENT.fullmatch(segment) or TOKEN_MASK in segment:
            continue
        parts = [part for part in re.split(r"[-_.~=%]+", segment) if part]
        characters = "".join(parts)
        if characters.isalpha():
            random = not all(_words(part) for part in parts)  # AbCdEfGhIjKlMnOpQrStUv, not Set-New-Password
        elif characters.isdigit() or re.fullmatch(r"[0-9a-f]+|[0-9A-F]+", characters):
            random = len(characters) >= 16  # a long number, a hex digest
        else:
            random = sum(_kind(a) != _kind(b) for a, b in zip(characters, characters[1:], strict=False)) >= 4
        if random:
            found.add(segment)
    return found


def mail_link_tokens(journeys: Iterable[Mapping[str, Any]]) -> set[str]:
    """The random-looking path segments of every link the journeys' emails carried, was followed from an email
    (`opened_links`), or an `open_email_link` step landed on: a `/reset/Mg/c3k9-8f2b…/` link's token."""
    hrefs: list[str] = []
    for journey in journeys:
        for mail in journey.get("emails") or []:
            hrefs += [str(link) for link in mail.get("links") or []]
            hrefs += _URL.findall(str(mail.get("text") or ""))
        hrefs += [str(link.get("href", "")) for link in journey.get("opened_links") or []]
        hrefs += [
            str(step.get("url_after") or "")
            for step in journey.get("steps") or []
            if step.get("action") == "open_email_link"
        ]
    return {segment for href in hrefs for segment in random_segments(href)}


def mask_link_tokens(value: Any, segments: Iterable[str] = ()) -> Any:
    """Every string in a JSON-like structure with one-time tokens masked: the values of query parameters named like
    credentials (`?token=•••`, `&pwauth=•••`, `&amp;key=•••`) and the given path segments (see mail_link_tokens)."""
    ordered = sorted(set(segments), key=len, reverse=True)
    if isinstance(value, str):
        for segment in ordered:
            value = value.replace(segment, TOKEN_MASK)
        return _QUERY_PAIR.sub(_mask_pair, value)
    if isinstance(value, list):
        return [mask_link_tokens(item, ordered) for item in value]
    if isinstance(value, dict):
        return {key: mask_link_tokens(item, ordered) for key, item in value.items()}
    return value


def mask_output(value: Any, secrets: Mapping[str, str], journeys: Iterable[Mapping[str, Any]] = ()) -> Any:
    """A record as it leaves the process that made it (for the results file, the report, JUnit XML): every secret
    by its placeholder name, and every one-time token in a URL (the journeys' mail links among them) as •••."""
    return mask_link_tokens(mask_tree(value, secrets), mail_link_tokens(journeys))
