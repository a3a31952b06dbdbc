"""Local servers for tests: loopback only, stopped when the block ends."""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl


class _TestSiteHandler(SimpleHTTPRequestHandler):
    """Static files, plus /flaky-once/KEY: 503 on the first request for KEY, then 200, and /slow/NAME?ms=N: a page
    whose head arrives at once and whose body N ms later (a navigation commits long before the page is built)."""

    seen: set[str] = set()
    lock = threading.Lock()

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        if self.path.startswith("/slow/"):
            name, _, query = self.path[len("/slow/") :].partition("?")
            delay_ms = int(dict(parse_qsl(query)).get("ms", "300"))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(f"<!doctype html><html><head><title>{name}</title></head><body>".encode() + b" " * 4096)
            self.wfile.flush()
            time.sleep(delay_ms / 1000)
            self.wfile.write(f"<h1>{name}</h1><a href='/index.html'>Home</a></body></html>".encode())
            self.close_connection = True
            return
        if self.path.startswith("/flaky-once/"):
            with self.lock:
                first = self.path not in self.seen
                self.seen.add(self.path)
            body = b"<h1>Busy, try again</h1>" if first else b"<h1>Ready</h1><a href='/index.html'>Home</a>"
            self.send_response(503 if first else 200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature from the stdlib
        pass


@contextmanager
def running(server: ThreadingHTTPServer) -> Iterator[int]:
    """Serve in a background thread; yields the port; always shut down and closed."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve static files from root on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_TestSiteHandler, directory=str(root))
    with running(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as port:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def silent_tcp_server() -> Iterator[int]:
    """A real TCP server on loopback that accepts connections and never says a word (a hung IMAP server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()
