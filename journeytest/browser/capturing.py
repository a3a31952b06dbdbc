"""The capture step: keep a value the site gave (a mailed password, an order number, a link) for later steps.

Later steps write it as `{captured.NAME}`, in this journey and in the journeys that need it.
A value named like a secret, or that looks like a password, is masked everywhere from then on.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..scenario import Step
from ..scenario.steps import Capture, StepArgs
from ..wording.passwords import password_like, value_after
from .steps import Handler

if TYPE_CHECKING:  # type-only: the session calls these handlers with itself
    from .session import JourneySession


def _source(session: JourneySession, args: Capture, timeout_ms: float) -> tuple[str, str, list[tuple[str, str]]]:
    """(what the customer reads, where that is, its links as (text, address))."""
    if args.source == "email":
        email = session.mail.last_email
        if email is None:
            raise AssertionError(
                "there is no email to capture from: put an expect_email step before this one "
                "(or in a journey this one needs)"
            )
        links = email.link_texts or [("", link) for link in email.links]
        return f"{email.subject}\n{email.readable_text}", f"the email {email.subject!r}", links
    page = session.page
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => [(e.innerText || '').trim(), e.href])")
    return page.inner_text("body", timeout=timeout_ms), f"the page {page.url}", [(t, h) for t, h in links]


def capture(session: JourneySession, args: Capture, step: Step, timeout_ms: float) -> None:
    text, where, links = _source(session, args, timeout_ms)
    value: str | None = None
    if args.after is not None:
        label = session.render(args.after)
        value, wanted = value_after(label, text), f"no value after {label!r}"
    elif args.link is not None:
        part = session.render(args.link).casefold()
        value = next((href for words, href in links if part in words.casefold() or part in href.casefold()), None)
        offered = ", ".join(repr(words or href) for words, href in links[:10]) or "none"
        wanted = f"no link whose text or address holds {args.link!r} (its links: {offered})"
    else:
        found = re.search(args.pattern or "", text)
        value = (found.group(1) if found.groups() else found.group(0)) if found else None
        wanted = f"nothing matches /{args.pattern}/"
    if not value:
        raise AssertionError(f"capture {args.name}: {where} has {wanted}")
    session.captured[args.name] = value
    secret = args.secret if args.secret is not None else (args.named_as_secret() or password_like(value, set()))
    if secret:
        session.on_secret(f"{{captured.{args.name}}}", value)


CAPTURE_STEPS: dict[type[StepArgs], Handler] = {Capture: capture}
