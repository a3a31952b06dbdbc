"""`journeytest sendmail`: a sendmail-compatible command that stores each message in journeytest's mail store.

Point a PHP, Ruby or Django app at it (PHP: `sendmail_path = "journeytest sendmail --store DIR -t -i"`),
then read the store with `--mailbox dir:DIR`. It takes what sendmail is usually called with:
recipients on the command line, `-t` (read them from To, Cc and Bcc, and drop Bcc), `-f ADDRESS`
(the envelope sender), `-i`/`-oi` (a lone dot is not the end: the message ends at end of input), and
ignores the other options sendmail has for delivery (`-odi`, `-oem`, `-B8BITMIME`…).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from pathlib import Path
from typing import BinaryIO

from .store import MailStore

EX_USAGE, EX_TEMPFAIL = 64, 75  # sysexits.h, as sendmail's callers expect
USAGE = "usage: journeytest sendmail --store DIR [-t] [-i] [-f SENDER] [RECIPIENT...] < message"


def parse_arguments(argv: Sequence[str]) -> tuple[str | None, str, bool, list[str]]:
    """(store, envelope sender, read recipients from headers, recipients) from sendmail's arguments."""
    store, sender, from_headers, recipients = None, "", False, []
    items = list(argv)
    while items:
        item = items.pop(0)
        if item == "--":
            recipients += items
            break
        if item == "--store":
            store = items.pop(0) if items else None
        elif item.startswith("--store="):
            store = item.split("=", 1)[1]
        elif item == "-t":
            from_headers = True
        elif item in ("-f", "-r", "-F"):  # -F: the sender's full name, which a stored message does not need
            value = items.pop(0) if items else ""
            sender = value if item != "-F" else sender
        elif item.startswith(("-f", "-r")) and len(item) > 2:
            sender = item[2:]
        elif item.startswith("-"):
            continue  # -i, -oi, -odi, -oem, -B8BITMIME, -N…: delivery options a store has no use for
        else:
            recipients.append(item)
    return store, sender, from_headers, recipients


def _drop_bcc(raw: bytes) -> bytes:
    """sendmail -t delivers to Bcc recipients but removes the header from what they read."""
    head, separator, body = raw.partition(b"\n\n") if b"\r\n\r\n" not in raw else raw.partition(b"\r\n\r\n")
    kept, skipping = [], False
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t") and skipping:
            continue
        skipping = line.lower().startswith(b"bcc:")
        if not skipping:
            kept.append(line)
    return b"".join(kept) + separator + body


def run(argv: Sequence[str], stdin: BinaryIO, default_store: Path | None) -> int:
    store, sender, from_headers, recipients = parse_arguments(argv)
    folder = Path(store) if store else default_store
    if folder is None:
        print(
            f"journeytest sendmail: where should the message go? Give --store DIR or set JOURNEYTEST_MAIL_STORE\n"
            f"{USAGE}",
            file=sys.stderr,
        )
        return EX_USAGE
    raw = stdin.read()
    if from_headers:
        headers = BytesHeaderParser().parsebytes(raw)
        recipients += [
            address
            for _, address in getaddresses(
                headers.get_all("To", []) + headers.get_all("Cc", []) + headers.get_all("Bcc", [])
            )
            if address
        ]
        raw = _drop_bcc(raw)
    if not recipients:
        print(
            f"journeytest sendmail: no recipient (name them, or use -t to read To, Cc and Bcc)\n{USAGE}",
            file=sys.stderr,
        )
        return EX_USAGE
    try:
        MailStore(folder).add(raw, envelope_from=sender, envelope_to=list(dict.fromkeys(recipients)))
    except OSError as error:
        print(f"journeytest sendmail: cannot store the message in {folder}: {error.strerror}", file=sys.stderr)
        return EX_TEMPFAIL
    return 0
