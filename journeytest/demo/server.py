"""Serve demo company variants on 127.0.0.1 at free ports, in threads that stop with the block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import create_app

VARIANTS = (("fair", "en"), ("dark", "en"), ("dark", "fi"))


@dataclass(frozen=True)
class RunningSite:
    variant: str
    lang: str
    url: str

    @property
    def label(self) -> str:
        return f"{self.variant}-{self.lang}"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serve_variant(
    variant: str, lang: str, smtp_port: int, smtp_host: str = "127.0.0.1", **app_options: int
) -> Iterator[RunningSite]:
    app = create_app(variant, lang=lang, smtp_host=smtp_host, smtp_port=smtp_port, **app_options)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name=f"acme-{variant}-{lang}", daemon=True)
    thread.start()
    try:
        yield RunningSite(variant, lang, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_demo_company(smtp_port: int, variants: tuple[tuple[str, str], ...] = VARIANTS) -> Iterator[list[RunningSite]]:
    """Every variant at once; all stopped when the block ends, also on Ctrl-C."""
    with ExitStack() as stack:
        yield [stack.enter_context(serve_variant(variant, lang, smtp_port)) for variant, lang in variants]
