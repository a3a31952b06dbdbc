"""Where a run reads mail from, the SMTP sink it may start, and masking the mail it stored.

The controller decides (it starts the sink, so xdist workers share one); workers
inherit the spec. At the end, each process masks the secrets it typed in the stored
messages of its own customers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..errors import MailboxError, MailSinkError
from ..mail.mailbox import Mailbox, UnavailableMailbox, open_mailbox
from ..mail.message import mask_message, parse_email
from ..mail.sink import SmtpSink
from ..record.masking import LEARNED_PREFIX
from ..wording import Wording
from ..wording.passwords import mailed_passwords
from .stash import MAILBOX, MAILBOX_SPEC, RUN_STATE, SETTINGS, SINK


def start_mail_capture(config: pytest.Config) -> str | None:
    """Start the SMTP sink when asked (it lives as long as this controller's run); the mailbox spec to read."""
    settings = config.stash[SETTINGS]
    if settings.smtp_sink is not None and not settings.dry_run:
        host, _, port = settings.smtp_sink.rpartition(":")
        run_id = config.stash[RUN_STATE].run_id
        store = settings.mail_store or (Path("journeytest-results") / "mail" / run_id).absolute()
        try:
            sink = SmtpSink(store, host=host or "127.0.0.1", port=int(port) or None).start()
        except MailSinkError as error:
            raise pytest.UsageError(str(error)) from None
        config.add_cleanup(sink.stop)
        config.stash[SINK] = sink
        return f"dir:{store}"
    return settings.mailbox or None


def owns_mail_store(config: pytest.Config) -> bool:
    """This run's controller started the SMTP sink, so its store is journeytest's (workers are told so)."""
    return bool(
        config.stash.get(SINK, None) is not None
        or (getattr(config, "workerinput", None) or {}).get("journeytest_owns_mail_store")
    )


def header_lines(config: pytest.Config) -> list[str]:
    sink = config.stash.get(SINK, None)
    if sink is not None:
        return [f"journeytest: SMTP sink listening on {sink.host}:{sink.port}, storing mail in {sink.store}"]
    if config.stash.get(MAILBOX_SPEC, None):
        mailbox = mailbox_of(config)
        if isinstance(mailbox, UnavailableMailbox):
            return [f"journeytest: cannot read mail: {mailbox.reason}"]
        return [f"journeytest: reading mail from {mailbox.describe()}"]
    return []


def mailbox_of(config: pytest.Config) -> Mailbox:
    """The run's mailbox, opened once per process."""
    if MAILBOX not in config.stash:
        try:
            config.stash[MAILBOX] = open_mailbox(str(config.stash[MAILBOX_SPEC]))
        except MailboxError as error:
            config.stash[MAILBOX] = UnavailableMailbox(str(error))  # the journeys that read no mail still run
    return config.stash[MAILBOX]


def mask_stored_mail(config: pytest.Config) -> None:
    """Mask every secret this process typed in the mail journeytest's own SMTP sink stored: that store is in the
    output folder, which must hold none. A mailbox journeytest only reads (--mailbox) is never changed: each
    journey keeps masked copies of its mail in its evidence instead."""
    spec = config.stash.get(MAILBOX_SPEC, None)
    run = config.stash[RUN_STATE]
    secrets = run.secrets.everything()
    if not spec or not spec.startswith("dir:") or not secrets or not owns_mail_store(config):
        return
    ours = {persona.email.lower() for persona in run.personas.values()}
    for path in Path(spec[4:]).glob("*.eml"):
        raw = path.read_bytes()
        message = parse_email(raw, message_id=path.stem, received_at=0.0).summary()
        if not ours & {address.lower() for address in message["to"]}:
            continue  # another process's customer: its mail is that process's to mask, when it is done with it
        # Also a password the site made up in a mail no journey saw (a reset link opened again sends another).
        learned = {
            f"{LEARNED_PREFIX}, {path.stem}}}": found["token"]
            for found in mailed_passwords(message, Wording.built_in(), set(secrets.values()))
        }
        masked = mask_message(raw, {**secrets, **learned})
        if masked is not None:
            partial = path.with_suffix(".masking")
            partial.write_bytes(masked)
            partial.replace(path)
