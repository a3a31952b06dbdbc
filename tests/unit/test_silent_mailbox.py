"""A mailbox server that accepts the connection and never answers must not hang the run."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from journeytest.errors import MailboxError
from journeytest.mail.mailbox import ImapMailbox, open_mailbox
from tests.support.servers import silent_tcp_server

pytestmark = pytest.mark.unit


@pytest.fixture
def silent_server() -> Iterator[int]:
    with silent_tcp_server() as port:
        yield port


def test_a_silent_imap_server_is_a_mailbox_error_within_its_timeout_and_then_left_alone(silent_server):
    mailbox = ImapMailbox("127.0.0.1", silent_server, "qa", "pw", timeout_s=0.5)
    started = time.monotonic()
    with pytest.raises(MailboxError, match=r"did not answer within 0.5 s .*not asked again for 60 s"):
        mailbox.messages("a@example.com")
    assert time.monotonic() - started < 5
    started = time.monotonic()
    with pytest.raises(MailboxError, match="did not answer"):
        mailbox.messages("a@example.com")  # the next journey is not held up again
    assert time.monotonic() - started < 0.1


def test_the_imap_timeout_comes_from_the_mailbox_url(monkeypatch):
    monkeypatch.setenv("JOURNEYTEST_IMAP_PASSWORD", "pw")
    mailbox = open_mailbox("imap://qa@127.0.0.1:1143/INBOX?timeout=3s")
    assert isinstance(mailbox, ImapMailbox) and mailbox.timeout_s == 3.0
    with pytest.raises(MailboxError, match=r"\?timeout= takes a positive duration"):
        open_mailbox("imap://qa@127.0.0.1:1143/INBOX?timeout=0s")
