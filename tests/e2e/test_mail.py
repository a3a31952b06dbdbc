"""Mail capture: a real SMTP sink, a real IMAP server (dovecot), the Mailpit/MailHog HTTP API."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from journeytest.mail.folders import FolderMailbox
from journeytest.mail.mailbox import HttpCatcherMailbox, MailboxError, open_mailbox, wait_for_email
from journeytest.mail.sink import SmtpSink
from tests.support.catcher_api import serve_catcher_api
from tests.support.dovecot import run_dovecot

TO = "customer+run1@example.com"


def send_raw(port: int, raw: bytes, to: str = TO) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.sendmail("shop@example.com", [to], raw)


def finnish_multipart() -> bytes:
    message = MIMEMultipart("alternative")
    message["From"] = "Kauppa <shop@example.com>"
    message["To"] = TO
    message["Subject"] = "=?iso-8859-1?q?Hyv=E4=E4_p=E4iv=E4=E4?="
    message.attach(MIMEText("Hyvää päivää, vahvista osoitteesi: http://127.0.0.1/confirm/abc", "plain", "iso-8859-1"))
    html = MIMEText('<p>Hyvää päivää, <a href="http://127.0.0.1/confirm/abc">vahvista</a></p>', "html", "utf-8")
    message.attach(html)  # utf-8 -> base64 by default
    return message.as_bytes()


BROKEN_MIME = (
    b"From: shop@example.com\r\nTo: " + TO.encode() + b"\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="never-closed"\r\n\r\n--never-closed\r\n'
    b"Content-Type: text/plain\r\n\r\nstart of a message that never ends\r\n"
)
UNKNOWN_CHARSET = (
    b"From: shop@example.com\r\nTo: " + TO.encode() + b"\r\nSubject: odd charset\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=x-no-such-charset\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    b"caf\xc3\xa9 and more\r\n"
)


def huge_attachment() -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "shop@example.com", TO, "your invoice archive"
    message.set_content("Attached: 10 MB of invoices.")
    message.add_attachment(
        b"\x00\x01" * (5 * 1024 * 1024), maintype="application", subtype="octet-stream", filename="invoices.bin"
    )
    message.add_attachment("Your password: hunter2-secret", filename="note.txt")
    return message.as_bytes()


def test_the_sink_keeps_every_message_even_malformed_or_huge_ones(tmp_path):
    with SmtpSink(tmp_path / "mail") as sink:
        for raw in (finnish_multipart(), BROKEN_MIME, huge_attachment(), UNKNOWN_CHARSET):
            send_raw(sink.port, raw)
        send_raw(sink.port, finnish_multipart(), to="someone.else@example.com")
    mailbox = FolderMailbox(tmp_path / "mail")
    mine = mailbox.messages(TO)
    assert [m.subject for m in mine] == ["Hyvää päivää", "broken", "your invoice archive", "odd charset"]
    assert len(mailbox.messages()) == 5 and len(mailbox.messages("someone.else@example.com")) == 1
    welcome, broken, archive, odd = mine
    assert "vahvista osoitteesi" in welcome.text and "vahvista" in welcome.html
    assert welcome.links == ["http://127.0.0.1/confirm/abc"] and welcome.link_texts == [
        ("vahvista", "http://127.0.0.1/confirm/abc")
    ]
    assert "start of a message that never ends" in broken.text
    assert any("MIME defect" in p for p in broken.problems)
    assert [(a.filename, a.size) for a in archive.attachments] == [("invoices.bin", 10 * 1024 * 1024), ("note.txt", 30)]
    assert archive.attachments[1].text.strip() == "Your password: hunter2-secret"
    assert archive.size > 10 * 1024 * 1024
    assert "café and more" in odd.text and any("x-no-such-charset" in p for p in odd.problems)
    assert all(m.path and m.path.endswith(".eml") for m in mine)


def test_the_sink_writes_each_message_as_it_arrives(tmp_path):
    with SmtpSink(tmp_path / "mail") as sink:
        send_raw(sink.port, finnish_multipart())
        # Still running: the message is on disk already, readable by another process.
        assert len(list((tmp_path / "mail").glob("*.eml"))) == 1
        assert wait_for_email(FolderMailbox(tmp_path / "mail"), TO, lambda m: "päivää" in m.subject, 1) is not None


def test_imap_backend_reads_a_real_inbox(tmp_path, monkeypatch):
    import imaplib
    import time

    with run_dovecot() as server:
        client = imaplib.IMAP4(server.host, server.port)
        client.login(server.user, server.password)
        for raw in (finnish_multipart(), UNKNOWN_CHARSET, huge_attachment()):
            client.append("INBOX", None, imaplib.Time2Internaldate(time.time()), raw)
        other = finnish_multipart().replace(TO.encode(), b"customer+run2@example.com")
        client.append("INBOX", None, imaplib.Time2Internaldate(time.time()), other)
        client.logout()

        monkeypatch.delenv("JOURNEYTEST_IMAP_PASSWORD", raising=False)
        with pytest.raises(MailboxError, match="JOURNEYTEST_IMAP_PASSWORD"):
            open_mailbox(f"imap://{server.user}@{server.host}:{server.port}/INBOX")
        monkeypatch.setenv("JOURNEYTEST_IMAP_PASSWORD", server.password)
        mailbox = open_mailbox(f"imap://{server.user.replace('@', '%40')}@{server.host}:{server.port}/INBOX")
        assert server.password not in mailbox.describe() and server.password not in repr(vars(mailbox).get("host"))
        run1 = mailbox.messages(TO)
        assert [m.subject for m in run1] == ["Hyvää päivää", "odd charset", "your invoice archive"]
        assert run1[2].attachments[0].size == 10 * 1024 * 1024
        assert [m.subject for m in mailbox.messages("customer+run2@example.com")] == ["Hyvää päivää"]

        monkeypatch.setenv("JOURNEYTEST_IMAP_PASSWORD", "wrong")
        with pytest.raises(MailboxError, match="cannot log in") as failure:
            open_mailbox(f"imap://{server.user}@{server.host}:{server.port}").messages(TO)
        assert "wrong" not in str(failure.value)


def test_mailpit_and_mailhog_apis(tmp_path):
    with SmtpSink(tmp_path / "mail") as sink:
        send_raw(sink.port, finnish_multipart())
        send_raw(sink.port, UNKNOWN_CHARSET)
        send_raw(sink.port, finnish_multipart(), to="someone.else@example.com")
    with serve_catcher_api(tmp_path / "mail") as address:
        for flavour in ("mailpit", "mailhog"):
            mailbox = open_mailbox(f"{flavour}://{address}")
            assert isinstance(mailbox, HttpCatcherMailbox)
            assert [m.subject for m in mailbox.messages(TO)] == ["Hyvää päivää", "odd charset"]
            assert len(mailbox.messages()) == 3
    with pytest.raises(MailboxError, match="cannot read mailpit"):
        open_mailbox(f"mailpit://{address}").messages(TO)


def test_unknown_mailbox_spec_explains_the_choices():
    with pytest.raises(
        MailboxError,
        match=r"a mailbox is one of: a folder of messages, one file each \(dir:PATH.*maildir:PATH.*mbox:PATH",
    ):
        open_mailbox("pop3://somewhere")
