"""Every stash key journeytest keeps on the pytest config, in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..mail.mailbox import Mailbox
from ..mail.sink import SmtpSink
from ..record.run import RunState
from ..settings import Settings

SETTINGS = pytest.StashKey[Settings]()
RUN_STATE = pytest.StashKey[RunState]()
MAILBOX_SPEC = pytest.StashKey["str | None"]()  # where this run reads mail (the controller decides; workers inherit)
MAILBOX = pytest.StashKey[Mailbox]()  # the mailbox opened from MAILBOX_SPEC, once per process
SINK = pytest.StashKey[SmtpSink]()  # journeytest's own SMTP sink, when --smtp-sink started one
REPORT_PATH = pytest.StashKey[Path]()  # the HTML report written at the end
