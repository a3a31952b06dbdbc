"""The email steps: wait for a message, make sure none arrives, open a link from one.

Only mail that arrives while the journey runs is the journey's; waiting for mail is
not the customer's time (it is recorded apart, as `waiting_for_email_s`).
"""

from __future__ import annotations

import smtplib
import time
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from typing import TYPE_CHECKING

from ..errors import JourneyTestError
from ..mail.mailbox import Mailbox, survey, wait_for_email
from ..mail.message import CapturedEmail, html_to_text
from ..record.run import MailHandover
from ..record.shapes import OpenedLink
from ..scenario import Step
from ..scenario.steps import ExpectEmail, ExpectNoEmail, OpenEmailLink, ReplyEmail, StepArgs

if TYPE_CHECKING:  # type-only: the session calls these handlers with itself
    from .session import JourneySession

from .steps import Handler

NO_MAILBOX = (
    "this step reads email, but no mailbox is configured: run with --smtp-sink PORT "
    "(and point the site's SMTP there), or --mailbox imap://… / mailpit://HOST:PORT"
)


def email_haystack(message: CapturedEmail, *, with_raw: bool = False) -> str:
    """The text a reader can see in an email; with_raw adds HTML source, links and attachments."""
    parts = [message.subject, message.text, html_to_text(message.html)]
    if with_raw:
        parts += [message.html, *message.links, *(a.text for a in message.attachments)]
    return "\n".join(parts)


class MailWatch:
    """One journey's view of the mailbox: what was there before it, what it claimed, the last email it found.

    A journey that needs another reads on where that one left off (a MailHandover): mail that arrived
    during the journeys it builds on can still be expected (and its last email opened), while the
    journey's own record, and `expect_no_email`, count only what arrives during the journey itself."""

    def __init__(self, mailbox: Mailbox | None, recipient: str, handover: MailHandover | None = None) -> None:
        self.mailbox = mailbox
        self.recipient = recipient
        self.since = time.time()  # only mail that arrives during this journey is this journey's
        self.before: set[str] = set(self._already_there())
        self.chain_since = handover.since if handover else self.since  # mail expect_email may still take
        self.chain_before = set(handover.before) if handover else set(self.before)
        self.claimed: set[str] = set(handover.claimed) if handover else set()
        self.taken_before = set(self.claimed)  # what the journeys it builds on already took: not theirs to give again
        self._last_email: CapturedEmail | None = None
        self._last_email_id = handover.last_email if handover else None
        self.opened_links: list[OpenedLink] = []  # links followed from emails: the reset-link check opens them again

    @property
    def last_email(self) -> CapturedEmail | None:
        """The last email expect_email found, here or in the journey this one continues."""
        if self._last_email is None and self._last_email_id and self.mailbox is not None:
            try:
                messages = self.mailbox.messages(self.recipient)
            except JourneyTestError:
                return None
            self._last_email = next((m for m in messages if m.id == self._last_email_id), None)
        return self._last_email

    @last_email.setter
    def last_email(self, message: CapturedEmail) -> None:
        self._last_email, self._last_email_id = message, message.id

    def handover(self) -> MailHandover:
        return MailHandover(
            self.chain_since, frozenset(self.chain_before), frozenset(self.claimed), self._last_email_id
        )

    def is_for_expect(self, message: CapturedEmail) -> bool:
        """Arrived since the chain of journeys started (so the mail of a journey this one needs counts), and not
        already taken by an expect_email of those journeys (their last email stays open to open_email_link)."""
        if message.id in self.taken_before:
            return False
        return message.id not in self.chain_before and message.received_at >= self.chain_since - 1.0

    def _already_there(self) -> list[str]:
        """Messages to the persona from before this journey (e.g. the receipt of the journey it continues)."""
        if self.mailbox is None:
            return []
        try:
            return [m.id for m in self.mailbox.messages(self.recipient)]
        except JourneyTestError:
            return []

    def require(self) -> Mailbox:
        if self.mailbox is None:
            raise AssertionError(NO_MAILBOX)
        return self.mailbox

    def is_new(self, message: CapturedEmail) -> bool:
        return message.id not in self.before and message.received_at >= self.since - 1.0

    def captured(self) -> list[CapturedEmail]:
        """Every message to the persona that arrived while this journey ran."""
        if self.mailbox is None:
            return []
        try:
            return [m for m in self.mailbox.messages(self.recipient) if self.is_new(m)]
        except JourneyTestError:
            return []


def _recipient(session: JourneySession, to: str | None) -> str:
    return session.render(to) if to else session.mail.recipient


def _matches(
    session: JourneySession, message: CapturedEmail, args: ExpectEmail | ExpectNoEmail, *, unclaimed_only: bool = False
) -> bool:
    if unclaimed_only:  # expect_no_email: "no further email", of what arrives during this journey
        if not session.mail.is_new(message) or message.id in session.mail.claimed:
            return False
    elif not session.mail.is_for_expect(message):
        return False

    subjects = [session.render(t).casefold() for t in args.subject]
    if subjects and not any(t in message.subject.casefold() for t in subjects):
        return False
    wanted = [session.render(t).casefold() for t in args.contains]
    return not wanted or any(t in email_haystack(message).casefold() for t in wanted)


def _wait_mail(
    session: JourneySession,
    mailbox: Mailbox,
    recipient: str,
    args: ExpectEmail | ExpectNoEmail,
    unclaimed_only: bool = False,
) -> CapturedEmail | None:
    started = time.monotonic()
    try:
        return wait_for_email(
            mailbox, recipient, lambda m: _matches(session, m, args, unclaimed_only=unclaimed_only), args.within_s
        )
    finally:
        session.recorder.exclude_wait(time.monotonic() - started)


def expect_email(session: JourneySession, args: ExpectEmail, step: Step, timeout_ms: float) -> None:
    mailbox = session.mail.require()
    recipient = _recipient(session, args.to)
    message = _wait_mail(session, mailbox, recipient, args)
    if message is None:
        others = [m.subject for m in mailbox.messages(recipient) if session.mail.is_for_expect(m)]
        wanted = (
            " and ".join(
                filter(
                    None,
                    [
                        f"subject containing {' or '.join(repr(t) for t in args.subject)}" if args.subject else "",
                        f"text containing {' or '.join(repr(t) for t in args.contains)}" if args.contains else "",
                    ],
                )
            )
            or "any email"
        )
        seen = (
            f"; emails that did arrive: {', '.join(repr(s) for s in others)}"
            if others
            else f"; no email arrived at all ({survey(mailbox, recipient, session.mail.chain_since)})"
        )

        raise AssertionError(f"expected an email to {recipient} with {wanted} within {args.within_s:g}s{seen}")
    session.mail.claimed.add(message.id)
    session.mail.last_email = message
    everything = email_haystack(message, with_raw=True)
    for forbidden in args.not_contains:
        value = session.render(forbidden)
        if value and value in everything:
            # Name the placeholder, never the value: it may be a secret.
            raise AssertionError(
                f"the email {message.subject!r} to {recipient} contains {forbidden}, which it must not"
            )


def expect_no_email(session: JourneySession, args: ExpectNoEmail, step: Step, timeout_ms: float) -> None:
    mailbox = session.mail.require()
    recipient = _recipient(session, args.to)
    message = _wait_mail(session, mailbox, recipient, args, unclaimed_only=True)
    if message is not None:
        raise AssertionError(
            f"expected no further email to {recipient}, but {message.subject!r} arrived "
            f"(from {message.sender or message.envelope_from})"
        )


def open_email_link(session: JourneySession, args: OpenEmailLink, step: Step, timeout_ms: float) -> None:
    email = session.mail.last_email
    if email is None:
        raise AssertionError("there is no email to open a link from: put an expect_email step before this one")
    texts = [session.render(t).casefold() for t in args.texts]
    fragment = session.render(args.url) if args.url else None
    for text, href in email.link_texts or [("", link) for link in email.links]:
        if (not texts or any(t in text.casefold() for t in texts)) and (not fragment or fragment in href):
            session.mail.opened_links.append(
                {"href": href, "text": text, "email_id": email.id, "subject": email.subject, "at": time.time()}
            )
            session.page.goto(href, timeout=timeout_ms)
            session.recorder.record_action("click", counted=step.counted)
            return
    available = ", ".join(repr(t or h) for t, h in email.link_texts) or ", ".join(email.links) or "none"
    raise AssertionError(f"the email {email.subject!r} has no link matching {step.label()}; its links: {available}")


def reply_email(session: JourneySession, args: ReplyEmail, step: Step, timeout_ms: float) -> None:
    """Send a reply to the last email, from the persona, to the site's mail server (its LMTP or SMTP port)."""
    original = session.mail.last_email
    if original is None:
        raise AssertionError("there is no email to reply to: put an expect_email step before this one")
    if not session.mail_in:
        raise AssertionError(
            "this step replies by email, but the site has no mail_in: add "
            "'mail_in: smtp://HOST:PORT' (or lmtp://…) under 'site:', or run with --mail-in"
        )
    reply_to = original.header("Reply-To") or original.sender or original.envelope_from
    to = getaddresses([reply_to])[0][1] if reply_to else ""
    if not to:
        raise AssertionError(f"the email {original.subject!r} says nobody to reply to (no Reply-To, no From)")
    message = EmailMessage()
    message["From"] = session.mail.recipient
    message["To"] = to
    message["Subject"] = original.subject if original.subject.lower().startswith("re:") else f"Re: {original.subject}"
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=session.mail.recipient.rpartition("@")[2] or "journeytest.invalid")
    if original.header("Message-ID"):
        message["In-Reply-To"] = message["References"] = str(original.header("Message-ID"))
    quoted = "\n".join(f"> {line}" for line in original.readable_text.splitlines())
    written = session.render(args.body)
    message.set_content(f"{written}\n\n{quoted}\n" if written else f"{quoted}\n")
    scheme, _, address = session.mail_in.partition("://")
    host, _, port = address.strip("/").rpartition(":")
    client = smtplib.LMTP if scheme == "lmtp" else smtplib.SMTP
    try:
        with client(host, int(port), timeout=30) as server:
            server.send_message(message, from_addr=session.mail.recipient, to_addrs=[to])
    except (OSError, smtplib.SMTPException) as error:
        raise AssertionError(f"the reply to {to} could not be sent to {session.mail_in}: {error}") from None
    session.recorder.record_action("click", counted=step.counted)  # pressing Send
    if written:
        session.typed.append({"field": f"reply to {original.subject!r}", "value": written})


MAIL_STEPS: dict[type[StepArgs], Handler] = {
    ExpectEmail: expect_email,
    ExpectNoEmail: expect_no_email,
    OpenEmailLink: open_email_link,
    ReplyEmail: reply_email,
}
