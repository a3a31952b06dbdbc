"""Read captured mail: one interface, several backends.

- FolderMailbox (`dir:`), MaildirMailbox (`maildir:`), MboxMailbox (`mbox:`): mail on
  disk, as journeytest's SMTP sink and `journeytest sendmail` store it, or as a site's
  own set-up drops it (folders.py). journeytest only reads these.
- ImapMailbox: a real inbox (audits of production); credentials only from the
  environment, never printed.
- HttpCatcherMailbox: the HTTP API of Mailpit or MailHog, for teams whose staging
  already routes mail there.

`open_mailbox("…")` picks one from a spec string (see MAILBOX_HELP).
"""

from __future__ import annotations

import imaplib
import json
import os
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

from ..errors import MailboxError
from ..masked import Secret
from ..scenario.durations import parse_duration
from .folders import FolderMailbox, MaildirMailbox, MboxMailbox
from .message import CapturedEmail, parse_email

MAILBOX_HELP = (
    "a mailbox is one of: a folder of messages, one file each (dir:PATH: journeytest's own store, or .eml files "
    "a site's sendmail wrote), a Maildir (maildir:PATH), an mbox file (mbox:PATH), "
    "imap://USER@HOST:PORT/FOLDER[?timeout=20s] or imaps://… (password in JOURNEYTEST_IMAP_PASSWORD, user may come "
    "from JOURNEYTEST_IMAP_USER), "
    "mailpit://HOST:PORT or mailhog://HOST:PORT (their HTTP API)"
)


class Mailbox(Protocol):
    def messages(self, recipient: str | None = None) -> list[CapturedEmail]:
        """Every message (to `recipient`, when given), oldest first."""
        ...

    def describe(self) -> str:
        """Where the mail is read from, without any secret."""
        ...


class UnavailableMailbox:
    """The mailbox a run was given but cannot open (no IMAP password, an unknown spec): journeys that read no
    mail still run, and every mail step fails with why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def messages(self, recipient: str | None = None) -> list[CapturedEmail]:
        raise MailboxError(f"cannot read mail: {self.reason}")

    def describe(self) -> str:
        return f"no mailbox ({self.reason})"


def survey(mailbox: Mailbox, recipient: str, since: float) -> str:
    """What a mailbox holds, in one sentence, for a step that expected mail and found none."""
    try:
        everything = mailbox.messages(recipient if isinstance(mailbox, ImapMailbox) else None)
    except MailboxError as error:
        return str(error)
    where = mailbox.describe()
    if not everything:
        return f"{where} holds no message at all"
    mine = [m for m in everything if recipient.lower() in m.recipients()]
    newest = max(everything, key=lambda m: m.received_at)
    at = time.strftime("%H:%M:%S", time.localtime(newest.received_at))
    newest_note = (
        f"the newest arrived at {at} (to {', '.join(newest.recipients()) or 'nobody named'}: {newest.subject!r})"
    )
    if not mine:
        return f"{where} holds {len(everything)} message{'s' if len(everything) != 1 else ''}, none to {recipient}; {newest_note}"
    last_mine = max(mine, key=lambda m: m.received_at)
    return (
        f"{where} holds {len(mine)} message{'s' if len(mine) != 1 else ''} to {recipient}, none new since the "
        f"journey started at {time.strftime('%H:%M:%S', time.localtime(since))}; the newest arrived at "
        f"{time.strftime('%H:%M:%S', time.localtime(last_mine.received_at))} ({last_mine.subject!r})"
    )


# How long one IMAP exchange may take (?timeout=20s in the mailbox URL), and how long a server that let
# that pass is left alone: an unattended run must never hang on a server that accepts and never answers.
IMAP_TIMEOUT_S = 20.0
IMAP_QUIET_S = 60.0


class ImapMailbox:
    """A real IMAP inbox, searched by recipient (plus-addressing keeps runs apart)."""

    def __init__(
        self,
        host: str,
        port: int,
        user: str,
        password: str,
        folder: str = "INBOX",
        ssl: bool = False,
        timeout_s: float = IMAP_TIMEOUT_S,
    ) -> None:
        self.host, self.port, self.user, self.folder, self.ssl = host, port, user, folder, ssl
        self.timeout_s = timeout_s
        self._password = password
        self._cache: dict[str, CapturedEmail] = {}
        self._silent: tuple[float, str] | None = None  # when it last let a timeout pass, and what was said

    def _connect(self) -> imaplib.IMAP4:
        if self._silent and time.monotonic() - self._silent[0] < IMAP_QUIET_S:
            raise MailboxError(self._silent[1])
        try:
            if self.ssl:
                client: imaplib.IMAP4 = imaplib.IMAP4_SSL(self.host, self.port, timeout=self.timeout_s)
            else:
                client = imaplib.IMAP4(self.host, self.port, timeout=self.timeout_s)
            client.login(self.user, self._password)
        except TimeoutError:
            said = (
                f"IMAP {self.describe()} did not answer within {self.timeout_s:g} s "
                f"(at {time.strftime('%H:%M:%S')}); it is not asked again for {IMAP_QUIET_S:g} s"
            )
            self._silent = (time.monotonic(), said)
            raise MailboxError(said) from None
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxError(f"cannot log in to IMAP {self.describe()}: {exc}") from None
        return client

    def messages(self, recipient: str | None = None) -> list[CapturedEmail]:
        client = self._connect()
        try:
            found = self._messages(client, recipient)
        except TimeoutError:
            said = f"IMAP {self.describe()} stopped answering for {self.timeout_s:g} s while it was read"
            self._silent = (time.monotonic(), said)
            client.shutdown()  # no LOGOUT: it would wait as long again
            raise MailboxError(said) from None
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
        return found

    def _messages(self, client: imaplib.IMAP4, recipient: str | None) -> list[CapturedEmail]:
        status, _ = client.select(self.folder, readonly=True)
        if status != "OK":
            raise MailboxError(f"IMAP folder {self.folder} cannot be opened on {self.describe()}")
        criteria = ["TO", f'"{recipient}"'] if recipient else ["ALL"]
        status, data = client.uid("SEARCH", *criteria)
        uids = data[0].split() if status == "OK" and data and data[0] else []
        found = []
        for uid in uids:
            key = uid.decode()
            if key not in self._cache:
                status, parts = client.uid("FETCH", uid, "(INTERNALDATE RFC822)")
                raw, received = _imap_fetch(parts)
                if raw is None:
                    continue
                self._cache[key] = parse_email(
                    raw,
                    message_id=f"imap-{key}",
                    received_at=received,
                    envelope_to=[recipient] if recipient else None,
                )
            found.append(self._cache[key])
        return found

    def describe(self) -> str:
        return f"{'imaps' if self.ssl else 'imap'}://{self.user}@{self.host}:{self.port}/{self.folder}"


def _imap_fetch(parts: list[Any]) -> tuple[bytes | None, float]:
    for part in parts or []:
        if isinstance(part, tuple) and len(part) == 2:
            header, body = part
            received = time.time()
            internal = imaplib.Internaldate2tuple(header)
            if internal:
                received = time.mktime(internal)
            return body, received
    return None, 0.0


class HttpCatcherMailbox:
    """Mailpit's (/api/v1) or MailHog's (/api/v2) HTTP API."""

    def __init__(self, base_url: str, flavour: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.flavour = flavour
        self._cache: dict[str, CapturedEmail] = {}

    def _get(self, path: str) -> bytes:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=10) as response:
                body: bytes = response.read()
                return body
        except OSError as exc:
            raise MailboxError(f"cannot read {self.flavour} at {self.base_url}: {exc}") from None

    def messages(self, recipient: str | None = None) -> list[CapturedEmail]:
        if self.flavour == "mailpit":
            query = urllib.parse.quote(f'to:"{recipient}"') if recipient else ""
            listing = json.loads(
                self._get(f"/api/v1/search?query={query}&limit=500" if recipient else "/api/v1/messages?limit=500")
            )
            found = []
            for item in listing.get("messages", []):
                key = item["ID"]
                if key not in self._cache:
                    raw = self._get(f"/api/v1/message/{urllib.parse.quote(key)}/raw")
                    self._cache[key] = parse_email(
                        raw,
                        message_id=f"mailpit-{key}",
                        received_at=_iso_time(item.get("Created")),
                        envelope_to=[t["Address"] for t in item.get("To") or []],
                    )
                found.append(self._cache[key])
            return sorted(found, key=lambda m: m.received_at)
        path = f"/api/v2/search?kind=to&query={urllib.parse.quote(recipient)}" if recipient else "/api/v2/messages"
        listing = json.loads(self._get(path))
        found = []
        for item in listing.get("items", []):
            key = item["ID"]
            if key not in self._cache:
                raw_data = item.get("Raw", {})
                self._cache[key] = parse_email(
                    raw_data.get("Data", "").encode("utf-8", "replace"),
                    message_id=f"mailhog-{key}",
                    received_at=_iso_time(item.get("Created")),
                    envelope_to=raw_data.get("To"),
                    envelope_from=raw_data.get("From", ""),
                )
            found.append(self._cache[key])
        return sorted(found, key=lambda m: m.received_at)

    def describe(self) -> str:
        return f"{self.flavour} API at {self.base_url}"


def _iso_time(value: str | None) -> float:
    if not value:
        return time.time()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        try:
            return parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError):
            return time.time()


def open_mailbox(spec: str) -> Mailbox:
    """A mailbox from a spec string; see MAILBOX_HELP."""
    for prefix, backend in (("dir:", FolderMailbox), ("maildir:", MaildirMailbox), ("mbox:", MboxMailbox)):
        if spec.startswith(prefix):
            return backend(Path(spec[len(prefix) :]))
    parts = urllib.parse.urlsplit(spec)
    if parts.scheme in ("imap", "imaps"):
        user = urllib.parse.unquote(parts.username or "") or os.environ.get("JOURNEYTEST_IMAP_USER", "")
        password = (
            Secret(os.environ["JOURNEYTEST_IMAP_PASSWORD"]) if "JOURNEYTEST_IMAP_PASSWORD" in os.environ else None
        )
        if not user or password is None:
            raise MailboxError(
                "IMAP needs a user (in the URL or JOURNEYTEST_IMAP_USER) and JOURNEYTEST_IMAP_PASSWORD; "
                "passwords are never taken from the command line"
            )
        folder = parts.path.strip("/") or "INBOX"
        query = urllib.parse.parse_qs(parts.query)
        try:
            timeout_s = parse_duration(query["timeout"][0]) if "timeout" in query else IMAP_TIMEOUT_S
        except ValueError:
            timeout_s = 0.0
        if timeout_s <= 0:
            raise MailboxError(f"{spec}: ?timeout= takes a positive duration, e.g. ?timeout=20s")
        return ImapMailbox(
            parts.hostname or "127.0.0.1",
            parts.port or (993 if parts.scheme == "imaps" else 143),
            user,
            password,
            folder,
            ssl=parts.scheme == "imaps",
            timeout_s=timeout_s,
        )
    if parts.scheme in ("mailpit", "mailhog"):
        return HttpCatcherMailbox(f"http://{parts.netloc}", parts.scheme)
    if Path(spec).is_dir():
        return MaildirMailbox(Path(spec)) if (Path(spec) / "cur").is_dir() else FolderMailbox(Path(spec))
    raise MailboxError(f"unknown mailbox '{spec}': {MAILBOX_HELP}")


def wait_for_email(
    mailbox: Mailbox, recipient: str, matches: Callable[[CapturedEmail], bool], timeout_s: float, poll_s: float = 0.2
) -> CapturedEmail | None:
    """The first matching message, waiting up to timeout_s for it to arrive."""
    deadline = time.monotonic() + timeout_s
    while True:
        for message in mailbox.messages(recipient):
            if matches(message):
                return message
        if time.monotonic() >= deadline:
            return None
        time.sleep(poll_s)
