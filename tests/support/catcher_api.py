"""A local server speaking Mailpit's and MailHog's documented HTTP APIs, over a sink's store.

Mailpit and MailHog themselves are not in the package registries these machines reach,
so the HTTP backend is tested against this implementation of their documented endpoints:
Mailpit  GET /api/v1/messages, GET /api/v1/search?query=to:"ADDR", GET /api/v1/message/{ID}/raw
MailHog  GET /api/v2/messages, GET /api/v2/search?kind=to&query=ADDR
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support.servers import running


def _records(store: Path) -> list[dict]:
    records = []
    for meta_path in sorted(store.glob("*.json")):
        meta = json.loads(meta_path.read_text())
        raw = (store / f"{meta_path.stem}.eml").read_bytes()
        created = datetime.fromtimestamp(meta["received_at"], UTC).isoformat().replace("+00:00", "Z")
        records.append(
            {"id": meta["id"], "to": meta["envelope_to"], "from": meta["envelope_from"], "raw": raw, "created": created}
        )
    return records


@contextmanager
def serve_catcher_api(store: Path) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _json(self, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            records = _records(store)
            if url.path in ("/api/v1/messages", "/api/v1/search"):
                if url.path.endswith("search"):
                    term = query.get("query", [""])[0]
                    address = term.removeprefix("to:").strip('"').lower()
                    records = [r for r in records if address in r["to"]]
                self._json(
                    {
                        "total": len(records),
                        "count": len(records),
                        "messages": [
                            {
                                "ID": r["id"],
                                "From": {"Name": "", "Address": r["from"]},
                                "To": [{"Name": "", "Address": a} for a in r["to"]],
                                "Created": r["created"],
                                "Size": len(r["raw"]),
                                "Subject": "",
                            }
                            for r in records
                        ],
                    }
                )
                return
            if url.path.startswith("/api/v1/message/") and url.path.endswith("/raw"):
                wanted = urllib.parse.unquote(url.path.split("/")[4])
                for r in records:
                    if r["id"] == wanted:
                        self.send_response(200)
                        self.send_header("Content-Type", "message/rfc822")
                        self.send_header("Content-Length", str(len(r["raw"])))
                        self.end_headers()
                        self.wfile.write(r["raw"])
                        return
            if url.path in ("/api/v2/messages", "/api/v2/search"):
                if url.path.endswith("search") and query.get("kind") == ["to"]:
                    records = [r for r in records if query.get("query", [""])[0].lower() in r["to"]]
                self._json(
                    {
                        "total": len(records),
                        "count": len(records),
                        "start": 0,
                        "items": [
                            {
                                "ID": r["id"],
                                "Created": r["created"],
                                "Raw": {"From": r["from"], "To": r["to"], "Data": r["raw"].decode("utf-8", "replace")},
                            }
                            for r in records
                        ],
                    }
                )
                return
            self.send_error(404)

    with running(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as port:
        yield f"127.0.0.1:{port}"
