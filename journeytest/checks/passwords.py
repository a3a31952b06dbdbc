"""Built-in checks: can the customer trust the site with a password? (catalogue C1-C3; customer story 4)

C1 searches every captured email for every password the harness typed. C2 looks
for a password the site made up and mailed, and (where the file names a login
journey) logs in with it to tell a lasting password from a temporary one. C3
judges a reset by its link: it must work once, and a "your password was changed"
notice must follow. The live parts of C2 and C3 (logging in, opening the link a
second time) are done by the explorers `passwords` and `reset_links` (explore/passwords.py) before the checks.
"""

from __future__ import annotations

import re
from typing import Any

from ..record.journey import JourneyResult
from ..record.masking import mask, secret_forms
from ..record.shapes import Control, EmailSummary, GeneratedPassword, OpenedLink, PasswordUse, ReopenedLink
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
        if missed_mail(ctx):
            return CheckResult(Verdict.INCONCLUSIVE, "no email came: " + "; ".join(missed_mail(ctx)))
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
    evidence = f"none of the {len(emails)} emails holds a password the customer typed, in any encoding"
    missed = missed_mail(ctx)
    if missed:
        return CheckResult(Verdict.INCONCLUSIVE, f"{evidence}, but {'; '.join(missed)}", figures)
    return CheckResult(Verdict.PASS, evidence, figures)


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


LIFETIME = re.compile(
    r"[^.\n]*\b(?:expires?|expiring|valid|lasts?|good for|vanhenee|voimassa|gültig|läuft|giltig|expire)\b[^.\n]*?"
    r"\b\d+\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|minuut\w*|tunni\w*|päivä\w*|stunden?|tage?n?|timm\w*|dag\w*)\b[^.\n]*",
    re.IGNORECASE,
)


def stated_lifetime(text: str) -> str | None:
    """The mail's own sentence on how long a password lasts ("It expires in 7 days."), if it has one."""
    found = LIFETIME.search(text)
    return re.sub(r"\s+", " ", found.group(0)).strip() if found else None


def asks_for_new_password(wording: Wording, text: str, controls: list[Control] | None = None) -> str | None:
    """What on a page asks for a new password: its words, or a form with two password fields (new + confirm)."""
    said = wording.sentence("new_password_required", text)
    if said:
        return f'"{said[1]}"'
    if controls is not None and sum(c["type"] == "password" for c in controls) >= 2:
        return "a form with two password fields"
    return None


def _judge_by_the_file(ctx: CheckContext, found: GeneratedPassword, use: PasswordUse) -> tuple[Verdict, str]:
    """The file's own journey logged in with the captured password: what did the site do next?"""
    journey, step, location = use["journey"], use["step"], use["location"]
    result = ctx.results.get(journey)
    recorded = {s["index"]: s for s in result.steps} if result else {}
    typed = recorded.get(step)
    if result is None or typed is None:
        return Verdict.INCONCLUSIVE, f"the file logs in with it in {journey} ({location}), which did not get there"
    if typed["outcome"] != "passed":
        return Verdict.INCONCLUSIVE, f"typing it in {journey} ({location}) failed: {typed['error']}"
    for screen in result.screens:
        if screen.get("step", -1) > step:
            asked = asks_for_new_password(ctx.wording, screen.get("text", ""), screen.get("controls"))
            if asked:
                return Verdict.WARN, (
                    f"{journey} logs in with it ({location}) and the site then asks for a new password "
                    f"({asked} on {screen.get('url')}): a temporary password"
                )
    later = [s for s in result.steps if s["index"] > step]
    stopped = next((s for s in later if s["outcome"] == "failed"), None)
    if stopped is not None or not later:
        why = f"it stopped at {stopped['location']}: {stopped['error']}" if stopped else "nothing followed"
        return Verdict.INCONCLUSIVE, f"{journey} typed it ({location}), but {why}, so whether it logs in is unknown"
    if result.screens:
        return Verdict.FAIL, (
            f"{journey} logs in with it ({location}), goes on, and no page after asks for a new password: "
            "a lasting password sent in clear"
        )
    return Verdict.INCONCLUSIVE, f"{journey} logs in with it ({location}); its screens were not recorded"


def _judge_by_the_probe(ctx: CheckContext, found: GeneratedPassword) -> tuple[Verdict, str]:
    attempt = found.get("attempt")
    login = ctx.options["login_journey"]
    if not found.get("tried") or attempt is None:
        return Verdict.FAIL, (
            "not tried (name a login journey under checks: no_generated_password: {login_journey: NAME}, or log in "
            "with it in the file as {captured.NAME}, to tell a lasting password from a temporary one)"
        )
    page_asks = attempt.get("asks_for_new_password") or asks_for_new_password(ctx.wording, attempt.get("page_text", ""))
    said = attempt.get("said") or ""
    when = f"right after {found['journey']}"
    if page_asks:
        how = "it logs in" if attempt["passed"] else f"'{login}' did not finish ({attempt['error']}), but"
        return Verdict.WARN, (
            f"logging in with it through '{login}' {when}: {how} the site then asks for a new password "
            f"({attempt.get('final_url')}: {said!r}): a temporary password"
        )
    if attempt["passed"]:
        return Verdict.FAIL, (
            f"logging in with it through '{login}' {when} worked and nothing asked for a new password, "
            "so it is a lasting password sent in clear"
        )
    return Verdict.INCONCLUSIVE, (
        f"logging in with it through '{login}' {when} did not get through ({attempt['error']}); the page said "
        f"{said!r}, so whether it lasts is not known"
    )


def missed_mail(ctx: CheckContext) -> list[str]:
    """The emails journeys waited for that never came: no check of mail may speak for them."""
    return [
        f"the email {r.journey} waited for at {s['location']} never came"
        for r in ctx.results.values()
        for s in r.steps
        if s["action"] == "expect_email" and s["outcome"] == "failed"
    ]


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
    missed = missed_mail(ctx)
    if not emails:
        if missed:
            return CheckResult(Verdict.INCONCLUSIVE, "no email came: " + "; ".join(missed))
        return CheckResult(Verdict.SKIP, "no email was captured in this run")
    probe: list[GeneratedPassword] = list(ctx.explored.get("passwords") or [])
    if not probe:
        probe = [
            {**c, "tried": False}
            for c in generated_passwords(
                list(ctx.results.values()), ctx.wording, set(ctx.secrets.values()) | set(ctx.persona.values())
            )
        ]
    mails = {m.get("id", ""): m for r in ctx.results.values() for m in r.emails}
    findings: list[dict[str, Any]] = []
    results = []
    for found in probe:
        where = (
            f"the email {found['subject']!r} (during {found['journey']}) carries a password the site made up, "
            f"after '{found['label']}': {shown(found['token'])}"
        )
        use = found.get("used_by")
        verdict, how = _judge_by_the_file(ctx, found, use) if use else _judge_by_the_probe(ctx, found)
        if verdict == Verdict.WARN:
            mail = mails.get(found["email_id"])
            lifetime = stated_lifetime(mail.get("text", "")) if mail else None
            how += f"; the email says {lifetime!r}" if lifetime else "; the email states no lifetime for it"
        results.append(CheckResult(verdict, f"{where}; {how}", journey=found["journey"]))
        findings.append({"journey": found["journey"], "subject": found["subject"], "verdict": verdict.value})
    figures = {"emails": emails, "generated_passwords": len(probe), "findings": findings}
    if not results:
        evidence = f"none of the {emails} emails holds a password the site made up"
        if missed:
            return CheckResult(Verdict.INCONCLUSIVE, f"{evidence}, but {'; '.join(missed)}", figures)
        return CheckResult(Verdict.PASS, evidence, figures)
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
