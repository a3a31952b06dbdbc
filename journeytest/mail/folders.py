"""Mail that sites leave on disk: a folder of .eml files, a Maildir, an mbox file.

PHP and Ruby apps send through `sendmail`, and test set-ups point it at a folder
(one file per message), a Maildir or an mbox. journeytest reads them where they
are and never writes there: what it masks, it masks in copies of its own.

Arrival times: journeytest's own store says it in NAME.json; a folder's and a
Maildir's file says it by its modification time; an mbox says it on each message's
"From " line, else in its first Received header, else in its Date header.
"""

from __future__ import annotations

import json
import mailbox as stdlib_mailbox
import re
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

from .message import CapturedEmail, parse_email
from .store import SIDECAR_SUFFIX

# A file starts like a message when its first line is a header ("Name: value") or an mbox "From " line.
_HEADER_START = re.compile(rb"^(?:From |[!-9;-~]+:[ \t])")
_NOT_MAIL = (".part", ".masking", ".tmp", ".json", ".swp", ".lock")
# Headers an MTA adds with the envelope recipient: the address a message was delivered to, Bcc included.
DELIVERY_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To")


def recipients_for(recipient: str | None, messages: list[CapturedEmail]) -> list[CapturedEmail]:
    """The messages to `recipient` (by the envelope, where known; else To, Cc and delivery headers), or all."""
    if recipient is None:
        return messages
    wanted = recipient.lower()
    return [m for m in messages if wanted in m.recipients()]


def _delivered_to(raw: bytes) -> list[str]:
    head = raw.split(b"\n\n", 1)[0].decode("utf-8", "replace")
    found = []
    for name in DELIVERY_HEADERS:
        found += [m.strip().strip("<>").lower() for m in re.findall(rf"^{name}:\s*(.+)$", head, re.M | re.I)]
    return found


def _time_from_headers(raw: bytes) -> float | None:
    """The first Received header's date (the last hop, nearest the mailbox), else the Date header."""
    head = raw.split(b"\n\n", 1)[0].decode("utf-8", "replace")
    received = re.search(r"^Received:(.*(?:\n[ \t].*)*)", head, re.M | re.I)
    candidates = [received.group(1).rsplit(";", 1)[-1] if received and ";" in received.group(1) else None]
    date = re.search(r"^Date:\s*(.+)$", head, re.M | re.I)
    candidates.append(date.group(1) if date else None)
    for value in candidates:
        if value:
            try:
                return parsedate_to_datetime(value.strip()).timestamp()
            except (TypeError, ValueError):
                continue
    return None


class FolderMailbox:
    """`dir:PATH`: every message file in a folder, whatever its name; journeytest's own store (NAME.eml +
    NAME.json, written by the SMTP sink or `journeytest sendmail`) included."""

    kind = "folder"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._cache: dict[tuple[str, int, int], CapturedEmail | None] = {}

    def messages(self, recipient: str | None = None) -> list[CapturedEmail]:
        found: list[CapturedEmail] = []
        if not self.folder.is_dir():
            return found
        for path in sorted(self.folder.iterdir()):
            if path.name.startswith(".") or path.suffix in _NOT_MAIL or not path.is_file():
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            key = (path.name, stat.st_mtime_ns, stat.st_size)
            if key not in self._cache:
                self._cache[key] = self._read(path, stat.st_mtime)
            message = self._cache[key]
            if message is not None:
                found.append(message)
        found.sort(key=lambda m: m.received_at)
        return recipients_for(recipient, found)

    def _read(self, path: Path, modified: float) -> CapturedEmail | None:
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        sidecar = path.with_suffix(SIDECAR_SUFFIX)
        if sidecar.is_file():  # journeytest's own store: the envelope and the arrival time were written down
            try:
                meta = json.loads(sidecar.read_text())
            except (OSError, ValueError):
                return None  # being written right now; read it next time
            return parse_email(
                raw,
                message_id=path.stem,
                received_at=meta["received_at"],
                envelope_to=meta.get("envelope_to"),
                envelope_from=meta.get("envelope_from", ""),
                path=str(path),
            )
        if not _HEADER_START.match(raw[:200]):
            return None  # not a message (a README, a log)
        return parse_email(
            raw, message_id=path.name, received_at=modified, envelope_to=_delivered_to(raw) or None, path=str(path)
        )

    def describe(self) -> str:
        return f"a folder of messages, {self.folder}"


class MaildirMailbox:
    """`maildir:PATH`: a Maildir (new/ and cur/), as Dovecot, Postfix or procmail deliver it."""

    kind = "Maildir"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._cache: dict[str, CapturedEmail] = {}

    def messages(self, recipient: str | None = None) -> list[CapturedEmail]:
        if not (self.folder / "new").is_dir() and not (self.folder / "cur").is_dir():
            return []
        box = stdlib_mailbox.Maildir(str(self.folder), factory=None, create=False)
        found = []
        for key in box.iterkeys():
            if key not in self._cache:
                try:
                    raw = box.get_bytes(key)
                    message = box.get_message(key)
                except (KeyError, OSError):
                    continue  # moved from new/ to cur/ meanwhile: read it next time
                self._cache[key] = parse_email(
                    raw,
                    message_id=f"maildir-{key}",
                    received_at=message.get_date(),
                    envelope_to=_delivered_to(raw) or None,
                )
            found.append(self._cache[key])
        found.sort(key=lambda m: m.received_at)
        return recipients_for(recipient, found)

    def describe(self) -> str:
        return f"a Maildir, {self.folder}"


class MboxMailbox:
    """`mbox:PATH`: one mbox file, as local delivery and many test set-ups write it."""

    kind = "mbox"

    def __init__(self, file: Path) -> None:
        self.file = Path(file)
        self._read_as: tuple[int, int] | None = None
        self._all: list[CapturedEmail] = []

    def messages(self, recipient: str | None = None) -> list[CapturedEmail]:
        try:
            stat = self.file.stat()
        except OSError:
            return []
        if self._read_as != (stat.st_mtime_ns, stat.st_size):
            box = stdlib_mailbox.mbox(str(self.file), factory=None, create=False)
            found = []
            for number, key in enumerate(box.iterkeys()):
                raw = box.get_bytes(key)
                message = box.get_message(key)
                found.append(
                    parse_email(
                        raw,
                        message_id=f"mbox-{number}",
                        received_at=_from_line_time(message.get_from()) or _time_from_headers(raw) or stat.st_mtime,
                        envelope_to=_delivered_to(raw) or None,
                    )
                )
            box.close()
            self._all, self._read_as = sorted(found, key=lambda m: m.received_at), (stat.st_mtime_ns, stat.st_size)
        return recipients_for(recipient, self._all)

    def describe(self) -> str:
        return f"an mbox file, {self.file}"


def _from_line_time(from_line: str) -> float | None:
    """'MAILER-DAEMON Thu Nov 26 10:00:00 2026' -> seconds (local time, as mbox writers use)."""
    match = re.search(r"(\w{3} \w{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4})", from_line or "")
    if not match:
        return None
    try:
        return time.mktime(time.strptime(" ".join(match.group(1).split()), "%a %b %d %H:%M:%S %Y"))
    except ValueError:
        return None
