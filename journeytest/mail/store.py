"""journeytest's own mail store: one NAME.eml per message, with NAME.json beside it (envelope, arrival time).

The SMTP sink and `journeytest sendmail` write here, each message the moment it
arrives and atomically, so nothing is lost if the run crashes and any process
(pytest-xdist workers included) can read the store while it grows.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from pathlib import Path

SIDECAR_SUFFIX = ".json"


class MailStore:
    """A folder journeytest owns: messages are added, never changed by anyone else."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._count = 0

    def add(self, raw: bytes, *, envelope_from: str = "", envelope_to: list[str] | None = None) -> Path:
        """Store one message as it arrived; returns the .eml file."""
        with self._lock:
            self._count += 1
            stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{self._count:05d}-{uuid.uuid4().hex[:6]}"
        meta = {
            "id": stem,
            "received_at": time.time(),
            "envelope_from": envelope_from or "",
            "envelope_to": [address.lower() for address in envelope_to or []],
            "size": len(raw),
        }
        self.folder.mkdir(parents=True, exist_ok=True)  # nothing is lost if someone emptied the folder meanwhile
        write_atomically(self.folder / f"{stem}.eml", raw)
        write_atomically(self.folder / f"{stem}{SIDECAR_SUFFIX}", json.dumps(meta).encode())
        return self.folder / f"{stem}.eml"


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the whole file or none of it."""
    temporary = path.with_suffix(path.suffix + ".part")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
