"""The SMTP sink: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message.

Each message is written to disk the moment it arrives (raw .eml plus a small
.json with the envelope), so nothing is lost if the run crashes, and any
process (pytest-xdist workers included) can read the store.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

MAX_MESSAGE_BYTES = 64 * 1024 * 1024


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class _StoreHandler:
    def __init__(self, store: Path) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.count = 0

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "replace")
        with self.lock:
            self.count += 1
            stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{self.count:05d}-{uuid.uuid4().hex[:6]}"
        meta = {
            "id": stem,
            "received_at": time.time(),
            "envelope_from": envelope.mail_from or "",
            "envelope_to": [r.lower() for r in envelope.rcpt_tos],
            "size": len(content),
        }
        self.store.mkdir(parents=True, exist_ok=True)  # nothing is lost if someone emptied the folder meanwhile
        _write_atomically(self.store / f"{stem}.eml", content)
        _write_atomically(self.store / f"{stem}.json", json.dumps(meta).encode())
        return "250 Message accepted for delivery"


class _LenientSMTP(SMTP):
    """Accepts what sloppy mailers send (bare LF line ends, overlong lines): a sink stores, it does not judge."""

    line_length_limit = MAX_MESSAGE_BYTES


class _SinkController(Controller):
    def factory(self) -> SMTP:
        return _LenientSMTP(self.handler, **self.SMTP_kwargs)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".part")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


class SmtpSink:
    """Start with `with SmtpSink(store) as sink:`; sink.port is where sites send mail."""

    def __init__(self, store: Path, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.store = Path(store)
        self.host = host
        self.port = port or free_port(host)
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        self.store.mkdir(parents=True, exist_ok=True)
        self._controller = _SinkController(
            _StoreHandler(self.store),
            hostname=self.host,
            port=self.port,
            data_size_limit=MAX_MESSAGE_BYTES,
            ready_timeout=10,
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
