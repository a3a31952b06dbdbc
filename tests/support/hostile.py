"""A hostile site for report tests: its pages and its email carry script and event-handler payloads.

It also logs every request (path, time, user agent), so tests can see what an audit
looks like from the site owner's side.
"""

from __future__ import annotations

import smtplib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from flask import Flask, request
from werkzeug.serving import make_server

# Each payload says PWNED on the console if it ever runs, wherever it lands.
SCRIPT = "<script>console.log('PWNED script'); window.__pwned = 1</script>"
HANDLER = "<img src=x onerror=\"console.log('PWNED handler'); window.__pwned = 2\">"
LINK = "<a href=\"javascript:console.log('PWNED link')\">click me</a>"


def create_hostile_app(smtp_port: int, requests: list[dict]) -> Flask:
    app = Flask(__name__)

    @app.before_request
    def log() -> None:
        requests.append(
            {"path": request.path, "at": time.monotonic(), "user_agent": request.headers.get("User-Agent", "")}
        )

    @app.get("/")
    def home() -> str:
        # The payloads as text a customer reads (escaped here, so the page is harmless, but the text is the payload)...
        shown = (SCRIPT + HANDLER).replace("<", "&lt;").replace(">", "&gt;")
        # ...and as live markup in the title and body, which the site itself runs.
        return (
            f"<!doctype html><html><head><title>Offers {SCRIPT}</title></head><body><h1>Offers</h1><p>{shown}</p>"
            f"{LINK}<p><a href='/mail?to=' id='next'>Next</a></p></body></html>"
        )

    @app.get("/mail")
    def mail() -> str:
        message = EmailMessage()
        message["From"], message["To"] = "Offers <offers@hostile.test>", request.args["to"]
        message["Subject"] = f"Hello {HANDLER}"
        message.set_content(f"Plain part {SCRIPT} {HANDLER}")
        message.add_alternative(
            f"<html><body><h1>Deal</h1>{SCRIPT}{HANDLER}{LINK}"
            "<script>top.__pwned = 3; parent.document.title = 'PWNED'</script></body></html>",
            subtype="html",
        )
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
            smtp.send_message(message)
        return "<!doctype html><html><head><title>Sent</title></head><body><p>We sent you our offers.</p></body></html>"

    @app.get("/page/<name>")
    def plain(name: str) -> str:
        return f"<!doctype html><html><head><title>{name}</title></head><body><p>Page {name}</p></body></html>"

    return app


@contextmanager
def serve_hostile(smtp_port: int) -> Iterator[tuple[str, list[dict]]]:
    """The hostile site on 127.0.0.1; yields (base URL, the request log)."""
    requests: list[dict] = []
    server = make_server("127.0.0.1", 0, create_hostile_app(smtp_port, requests), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", requests
    finally:
        server.shutdown()
        server.server_close()
