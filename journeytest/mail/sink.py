"""The SMTP sink: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message in a MailStore.

Each message is written to disk the moment it arrives (store.py), so nothing is lost
if the run crashes, and any process (pytest-xdist workers included) can read the store.
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from ..errors import MailSinkError
from .store import MailStore

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
# aiosmtpd logs every line of every message at DEBUG: passwords in clear under --log-level=DEBUG.
logging.getLogger("mail.log").setLevel(logging.INFO)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class _StoreHandler:
    def __init__(self, store: Path) -> None:
        self.store = MailStore(store)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "replace")
        self.store.add(content, envelope_from=envelope.mail_from or "", envelope_to=list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class _LenientSMTP(SMTP):
    """Accepts what sloppy mailers send (bare LF line ends, overlong lines): a sink stores, it does not judge."""

    line_length_limit = MAX_MESSAGE_BYTES


class _SinkController(Controller):
    def factory(self) -> SMTP:
        return _LenientSMTP(self.handler, **self.SMTP_kwargs)


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
        try:
            self._controller.start()
        except OSError as error:  # raised from aiosmtpd's thread: say it in one line
            self._controller = None
            reason = error.strerror.split(": ")[-1] if error.strerror else str(error)
            raise MailSinkError(
                f"the SMTP sink cannot listen on {self.host}:{self.port}: {reason} (another program uses that "
                "port?); choose another with --smtp-sink PORT, or --smtp-sink 0 for any free port"
            ) from None
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
