"""Built-in checks: can the customer trust the site with a password? (catalogue C1-C3; customer story 4)

C1 searches every captured email for every password the harness typed. C2 looks
for a password the site made up and mailed, and (where the file names a login
journey) logs in with it to tell a lasting password from a temporary one. C3
judges a reset by its link: it must work once, and a "your password was changed"
notice must follow. The live parts of C2 and C3 (logging in, opening the link a
second time) are done by the explorers `passwords` and `reset_links` (explore/passwords.py) before the checks.
"""

from __future__ import annotations

from typing import Any

from ..record.journey import JourneyResult
from ..record.masking import mask, secret_forms
from ..record.shapes import EmailSummary, GeneratedPassword, OpenedLink, ReopenedLink
from ..scenario import Scenario
from ..wording import Wording
from ..wording.passwords import mailed_passwords
from .base import CheckContext, CheckResult, Verdict, check

# ---------------------------------------------------------------------------------------- C1


def _reads_mail(scenario: Scenario, options: dict[str, Any]) -> bool:
    return any(
        step.args.reads_mail or step.action == "open_email_link"
        for journey in scenario.journeys.values()
        for step in journey.steps
    )


def email_parts(mail: EmailSummary) -> list[tuple[str, str]]:
    """Where a secret can hide, most specific first (a link before the HTML source that holds it)."""
    parts = [("subject", mail.get("subject", "")), ("text part", mail.get("text", ""))]
    parts += [("a link", link) for link in mail.get("links", [])]  # never name the URL: it holds the secret
    parts += [(f"attachment {a['filename']}", a.get("text", "")) for a in mail.get("attachments", [])]
    return parts + [("HTML part", mail.get("html", ""))]


@check(
    "no_password_in_email",
    title="No password the customer typed ever appears in an email",
    applies=_reads_mail,
    catalogue="C1 (OWASP ASVS 4.0.3 V2.5.3, 5.0 11.4.2; NIST SP 800-63B 5.1.1.2; customer story 4)",
)
def no_password_in_email(ctx: CheckContext) -> CheckResult:
    emails = [(result.journey, mail) for result in ctx.results.values() for mail in result.emails]
    if not emails:
        return CheckResult(Verdict.SKIP, "no email was captured in this run")
    findings = []
    for journey, mail in emails:
        for name, secret in ctx.secrets.items():
            if len(secret) < 4:
                continue
            for form_name, form in secret_forms(secret).items():
                for part, content in email_parts(mail):
                    if form in content:
                        subject = mask(mail["subject"], ctx.secrets)
                        findings.append(
                            f"the email {subject!r} (during {journey}) holds {name} {form_name} in its {part}"
                        )
                        break
                else:
                    continue
                break
    figures = {"emails": len(emails), "secrets": len(ctx.secrets), "findings": len(findings)}
    if findings:
        return CheckResult(Verdict.FAIL, findings[0], figures, findings[1:])
    return CheckResult(
        Verdict.PASS, f"none of the {len(emails)} emails holds a password the customer typed, in any encoding", figures
    )


# ---------------------------------------------------------------------------------------- C2


def generated_passwords(results: list[JourneyResult], wording: Wording, known: set[str]) -> list[GeneratedPassword]:
    """Every (email, label, token) where a password label is followed by a password-like token."""
    found: list[GeneratedPassword] = []
    for result in results:
        for mail in result.emails:
            for candidate in mailed_passwords(mail, wording, known):
                if not any(f["token"] == candidate["token"] for f in found):
                    found.append(
                        {
                            "journey": result.journey,
                            "email_id": mail.get("id", ""),
                            "subject": mail.get("subject", ""),
                            "label": candidate["label"],
                            "token": candidate["token"],
                        }
                    )
    return found


def shown(token: str) -> str:
    """A found password as evidence may show it: its first two characters and its length."""
    return f"{token[:2]}{'•' * 6} ({len(token)} characters)"


@check(
    "no_generated_password",
    title="No password made up by the site is sent by email",
    defaults={"login_journey": None},
    journey_options=("login_journey",),
    applies=_reads_mail,
    explores=("passwords",),
    catalogue="C2 (OWASP ASVS 4.0.3 V2.5.1, 5.0 6.4.1; NIST SP 800-63B 5.1.3.1; DokuWiki autopasswd, MediaWiki temporary "
    "passwords; customer story 4)",
)
def no_generated_password(ctx: CheckContext) -> CheckResult:
    emails = sum(len(r.emails) for r in ctx.results.values())
    if not emails:
        return CheckResult(Verdict.SKIP, "no email was captured in this run")
    probe: list[GeneratedPassword] = list(ctx.explored.get("passwords") or [])
    if not probe:
        probe = [
            {**c, "tried": False}
            for c in generated_passwords(
                list(ctx.results.values()), ctx.wording, set(ctx.secrets.values()) | set(ctx.persona.values())
            )
        ]
    figures = {"emails": emails, "generated_passwords": len(probe)}
    if not probe:
        return CheckResult(Verdict.PASS, f"none of the {emails} emails holds a password the site made up", figures)
    results = []
    for found in probe:
        where = (
            f"the email {found['subject']!r} (during {found['journey']}) carries a password the site made up, "
            f"after '{found['label']}': {shown(found['token'])}"
        )
        attempt = found.get("attempt")
        if not found.get("tried") or attempt is None:
            results.append(
                CheckResult(
                    Verdict.FAIL,
                    where + "; not tried (name a login journey under checks: no_generated_password: "
                    "{login_journey: NAME} to tell a lasting password from a temporary one)",
                    figures,
                )
            )
        elif attempt["passed"] and not attempt.get("asks_for_new_password"):
            results.append(
                CheckResult(
                    Verdict.FAIL,
                    where + f"; logging in with it through '{ctx.options['login_journey']}' worked "
                    "and nothing asked for a new password, so it is a lasting password sent in clear",
                    figures,
                )
            )
        elif attempt["passed"]:
            results.append(
                CheckResult(
                    Verdict.WARN,
                    where + "; it logs in, and the site then asks for a new password: "
                    "a temporary password (the MediaWiki way; ASVS 5.0 6.4.1 wants it to expire soon)",
                    figures,
                )
            )
        else:
            results.append(
                CheckResult(
                    Verdict.WARN,
                    where + f"; logging in with it did not work ({attempt['error']}), so it may already have expired",
                    figures,
                )
            )
    combined = CheckResult.worst(results, CheckResult(Verdict.PASS, "", figures))
    combined.figures = figures
    return combined


# ---------------------------------------------------------------------------------------- C3


def reset_links(results: list[JourneyResult], wording: Wording) -> list[tuple[JourneyResult, OpenedLink]]:
    """The links journeys followed from password-reset emails."""
    found = []
    for result in results:
        by_id = {mail["id"]: mail for mail in result.emails}
        for link in result.opened_links:
            text = by_id[link["email_id"]]["text"] if link["email_id"] in by_id else ""
            if wording.find("password_reset", f"{link.get('subject', '')}\n{text}"):
                found.append((result, link))
    return found


def _follows_reset(scenario: Scenario, options: dict[str, Any]) -> bool:
    return any(step.action == "open_email_link" for journey in scenario.journeys.values() for step in journey.steps)


@check(
    "password_reset",
    title="A password reset link works once, and a 'password changed' notice follows",
    applies=_follows_reset,
    explores=("reset_links",),
    catalogue="C3 (OWASP ASVS 4.0.3 V2.5.3/V2.5.5, 5.0 6.3.7/6.4.3; NIST SP 800-63B)",
)
def password_reset(ctx: CheckContext) -> CheckResult:
    links = reset_links(list(ctx.results.values()), ctx.wording)
    if not links:
        return CheckResult(Verdict.SKIP, "does not apply: no journey followed a link from a password-reset email")
    reopened: list[ReopenedLink] = list(ctx.explored.get("reset_links") or [])
    reuse = {entry["href"]: entry for entry in reopened}
    results = []
    for result, link in links:
        where = f"the reset link from {mask(link['subject'], ctx.secrets)!r} (during {result.journey})"
        later = [m for m in result.emails if m.get("received_at", 0) >= link.get("at", 0) - 1]
        notice = next(
            (
                m
                for m in later
                if ctx.wording.find("password_changed_notice", f"{m.get('subject', '')}\n{m.get('text', '')}")
            ),
            None,
        )
        second = reuse.get(link["href"])
        figures = {
            "journey": result.journey,
            "second_use": second and ("refused" if second["refused"] else "accepted"),
            "notice": notice.get("subject") if notice else None,
        }
        if second is None:
            results.append(
                CheckResult(
                    Verdict.WARN,
                    where + " was not opened a second time (the password probe did not run)",
                    figures,
                    journey=result.journey,
                )
            )
            continue
        if not second["refused"]:
            results.append(
                CheckResult(
                    Verdict.FAIL,
                    where + f" worked a second time: the page said {second['excerpt']!r}; "
                    "anyone who finds the email later can take over the account",
                    figures,
                    journey=result.journey,
                )
            )
            continue
        if notice is None:
            results.append(
                CheckResult(
                    Verdict.WARN,
                    where + " works once, but no 'your password was changed' email followed "
                    "the reset, so a customer would not notice someone else resetting it",
                    figures,
                    journey=result.journey,
                )
            )
            continue
        results.append(
            CheckResult(
                Verdict.PASS,
                where + f" works once (a second visit said {second['excerpt']!r}), and the notice "
                f"{mask(notice['subject'], ctx.secrets)!r} followed",
                figures,
                journey=result.journey,
            )
        )
    return CheckResult.worst(results, CheckResult(Verdict.SKIP, "no reset link"))
