"""Deliver what the SMTP sink receives into a real IMAP inbox, as a mail server would."""

from __future__ import annotations

import imaplib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.dovecot import ImapServer


@contextmanager
def relay_store_to_imap(store: Path, server: ImapServer) -> Iterator[None]:
    stop = threading.Event()
    delivered: set[str] = set()

    def deliver() -> None:
        client = imaplib.IMAP4(server.host, server.port)
        client.login(server.user, server.password)
        try:
            while not stop.is_set():
                for meta in sorted(store.glob("*.json")):
                    if meta.stem in delivered:
                        continue
                    raw = (store / f"{meta.stem}.eml").read_bytes()
                    client.append("INBOX", None, imaplib.Time2Internaldate(time.time()), raw)
                    delivered.add(meta.stem)
                stop.wait(0.1)
        finally:
            client.logout()

    thread = threading.Thread(target=deliver, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
