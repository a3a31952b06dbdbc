"""Built-in checks: can a customer leave as easily as they joined? (catalogue A1-A3, A6-A9)

Each rests on a section of the checks catalogue (shared/research/checks-catalogue.md)
and reads only recorded data: effort figures, the screens of the journey, the emails
that arrived during it, and what the cancel search (explore:cancel) found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..record.journey import JourneyResult
from ..record.shapes import CancelSearch, EmailSummary, FoundControl, Screen
from ..scenario import Scenario, parse_duration
from ..wording import contains
from ..wording.channels import forced_channel
from ..wording.shaming import declines, shaming
from .base import CheckContext, CheckFunction, CheckResult, Verdict
from .base import check as _check

DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|"
    r"\b\d{1,2}\.? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2}\b",
    re.IGNORECASE,
)


def check(name: str, **kwargs: Any) -> Callable[[CheckFunction], CheckFunction]:
    """Every check here but A3 reads cancel journeys."""
    return _check(name, needs_kinds=("cancel",), **kwargs)


def not_applicable(what: str) -> CheckResult:
    return CheckResult(Verdict.SKIP, f"does not apply: {what}")


def cancel_journeys(ctx: CheckContext) -> list[JourneyResult]:
    return ctx.of_kind("cancel")


def _screen_name(screen: Screen) -> str:
    return f"'{screen.get('title') or screen.get('url')}' ({screen.get('url')})"


def _prose(screen: Screen) -> str:
    """A screen's text without the lines that are only controls: a menu's "Cancel subscription" link or a
    button row " Yes | Cancel" is a way out, not a sentence about cancelling that a footer's number could
    follow."""
    labels = {" ".join(c["text"].split()) for c in screen["controls"] if not c["href"].startswith(("tel:", "mailto:"))}
    kept = []
    for line in screen["text"].splitlines():
        parts = [" ".join(p.split()) for p in re.split(r"\s*[·|•]\s*", line.strip()) if p.strip()]
        labels_only = bool(parts) and all(p in labels for p in parts)
        button_row = len(parts) > 1 and all(len(p.split()) <= 3 for p in parts)
        kept.append("" if labels_only or button_row else line)
    return "\n".join(kept)


# ---------------------------------------------------------------------------------------- A1


@check(
    "effort_parity",
    title="Cancelling is as easy as signing up or buying",
    defaults={"max_extra_actions": 3, "max_extra_screens": 2, "min_screen_allowance": 3, "pair_with": None},
    journey_options=("pair_with",),
    catalogue="A1 (FTC 16 CFR 425.6 benchmark; CA AB 2863; Finnish Consumer Ombudsman; Amazon Prime: 1-2 clicks to join, 6 clicks over 4 pages to cancel)",
)
def effort_parity(ctx: CheckContext) -> CheckResult:
    o = ctx.options
    results = []
    for cancel in cancel_journeys(ctx):
        acquire = ctx.paired_acquire(cancel)
        if acquire is None:
            results.append(
                CheckResult(Verdict.SKIP, "there is no acquire journey to compare with", journey=cancel.journey)
            )
            continue
        if acquire.journey in ctx.unfinished:
            results.append(
                CheckResult(
                    Verdict.INCONCLUSIVE,
                    f"nothing to compare {cancel.journey} with: {ctx.unfinished[acquire.journey]}",
                    journey=cancel.journey,
                )
            )
            continue
        a, c = acquire.effort, cancel.effort
        figures: dict[str, Any] = {
            "cancel_journey": cancel.journey,
            "acquire_journey": acquire.journey,
            "cancel_actions": c.get("actions"),
            "cancel_screens": c.get("screens"),
            "acquire_actions": a.get("actions"),
            "acquire_screens": a.get("screens"),
        }
        ratio = round(c["actions"] / a["actions"], 2) if a["actions"] else float(c["actions"] > 0)
        figures["ratio"] = ratio
        action_limit = a["actions"] + o["max_extra_actions"]
        screen_limit = max(o["min_screen_allowance"], a["screens"] + o["max_extra_screens"])
        sentence = (
            f"cancelling took {c['actions']} actions over {c['screens']} screens; "
            f"{acquire.journey} took {a['actions']} over {a['screens']}"
        )
        if c["actions"] > action_limit or c["screens"] > screen_limit:
            verdict, why = Verdict.FAIL, f" (allowed: at most {action_limit} actions and {screen_limit} screens)"
        elif ratio > 1.0:
            verdict, why = Verdict.WARN, f" (ratio {ratio}: more effort to leave than to join)"
        else:
            verdict, why = Verdict.PASS, ""
        results.append(CheckResult(verdict, sentence + why, figures, journey=cancel.journey))
    return CheckResult.worst(results, not_applicable("no cancel journey in this file"))


# ---------------------------------------------------------------------------------------- A2


@check(
    "same_medium",
    title="A web sign-up can be ended on the web, not by phone, email, chat or letter",
    catalogue="A2 (CA AB 2863 same medium; NY GBL 527-a; ROSCA; Mathur et al.: 22 of 31 hard-to-cancel sites were call-to-cancel)",
)
def same_medium(ctx: CheckContext) -> CheckResult:
    results = []
    # what the customer typed, their own address among it, is no channel to the business
    own = {str(ctx.persona.get("email", ""))} | {t["value"] for r in ctx.results.values() for t in r.typed}
    for cancel in cancel_journeys(ctx):
        finding = None
        confirmation = next(
            (s for s in cancel.screens if ctx.wording.find("cancellation_confirmation", s["text"])), None
        )
        for screen in cancel.screens:
            confirmed = ctx.wording.find("cancellation_confirmation", screen["text"])
            forcing = None if confirmed else forced_channel(_prose(screen), ctx.wording, own)
            if forcing:
                finding = (
                    f'the cancel path ends in another channel on {_screen_name(screen)}: "{forcing.sentence}" '
                    f"({forcing})"
                )
            elif not confirmed and ctx.wording.find("cancel", screen["text"]):
                links = [
                    c
                    for c in screen["controls"]
                    if c["href"].startswith(("mailto:", "tel:")) and ctx.wording.find("cancel", screen["text"])
                ]
                # a way on: a button, or a link on the site that reads like the way out ("Cancel order")
                buttons = [
                    c
                    for c in screen["controls"]
                    if c["tag"] == "button"
                    or c["type"] == "submit"
                    or c["type"] == "button"
                    or (
                        c["href"]
                        and not c["href"].startswith(("mailto:", "tel:"))
                        and ctx.wording.way_out(c["text"], c["href"])
                    )
                ]

                if links and not buttons:
                    finding = (
                        f"on {_screen_name(screen)} the only way on is {links[0]['href'].split(':')[0]} "
                        f"link {links[0]['href']!r} in place of a cancel button"
                    )
        if finding and confirmation is not None:
            # the web way was there too: the catalogue's WARN, another channel shown on the way
            results.append(
                CheckResult(
                    Verdict.WARN,
                    f"{finding.replace('ends in', 'also points to', 1)}; the journey still cancelled on the web "
                    f"({_screen_name(confirmation)})",
                    {"screens": len(cancel.screens)},
                    journey=cancel.journey,
                )
            )
        elif finding:
            results.append(CheckResult(Verdict.FAIL, finding, {"screens": len(cancel.screens)}, journey=cancel.journey))
        else:
            results.append(
                CheckResult(
                    Verdict.PASS,
                    f"{cancel.journey} stays on the web from start to end",
                    {"screens": len(cancel.screens)},
                    journey=cancel.journey,
                )
            )
    return CheckResult.worst(results, not_applicable("no cancel journey in this file"))


# ---------------------------------------------------------------------------------------- A6


@check(
    "retention_and_confirmshaming",
    title="No save-offer maze and no shaming decline buttons",
    defaults={"fail_at_retention_screens": 2, "min_decline_area_ratio": 0.5},
    catalogue="A6 (FTC v. Amazon save screens; KKV on guilt-tripping; Mathur et al.: 169 confirmshaming instances)",
)
def retention_and_confirmshaming(ctx: CheckContext) -> CheckResult:
    o = ctx.options
    results = []
    for cancel in cancel_journeys(ctx):
        retention_screens, findings, review = [], [], []
        for screen in cancel.screens:
            text = screen["text"]
            if ctx.wording.find("cancellation_confirmation", text):
                continue
            offer = ctx.wording.sentence("retention", text)
            keep_controls = [c for c in screen["controls"] if ctx.wording.find("retention", c["text"])]
            if offer and ctx.wording.find("legitimate_information", text) and not keep_controls:
                offer = None  # an end date or a data-deletion notice informs; it does not retain
            if offer:
                retention_screens.append(f'{_screen_name(screen)}: "{offer[1]}"')
                keep = keep_controls
                decline = [
                    c
                    for c in screen["controls"]
                    if ctx.wording.find("cancel", c["text"]) or declines(c["text"], ctx.wording)
                ]
                if (
                    keep
                    and decline
                    and keep[0]["area"]
                    and decline[0]["area"] / keep[0]["area"] < o["min_decline_area_ratio"]
                ):
                    findings.append(
                        f"on {_screen_name(screen)} the way on ({decline[0]['text']!r}, {decline[0]['area']} px²) is "
                        f"far smaller than {keep[0]['text']!r} ({keep[0]['area']} px²)"
                    )
            for control in screen["controls"]:
                shame = shaming(control["text"], ctx.wording)
                label = " ".join(control["text"].split())
                if shame and shame.tier == "fail":
                    findings.append(
                        f'the decline button on {_screen_name(screen)} shames the customer: "{label}" ({shame})'
                    )
                elif shame:
                    review.append(
                        f'the decline button on {_screen_name(screen)} {shame.reason}; review this wording: "{label}"'
                    )
        figures = {"retention_screens": len(retention_screens)}
        if findings or len(retention_screens) >= o["fail_at_retention_screens"]:
            evidence = "; ".join(findings) or f"{len(retention_screens)} retention screens before the cancellation"
            results.append(CheckResult(Verdict.FAIL, evidence, figures, retention_screens, cancel.journey))
        elif review:
            results.append(CheckResult(Verdict.WARN, "; ".join(review), figures, retention_screens, cancel.journey))
        elif retention_screens:
            results.append(
                CheckResult(
                    Verdict.WARN,
                    f"a retention offer stands between intent and cancellation: {retention_screens[0]}",
                    figures,
                    retention_screens,
                    cancel.journey,
                )
            )
        else:
            results.append(
                CheckResult(
                    Verdict.PASS,
                    f"{cancel.journey} shows no retention offer and no shaming wording",
                    figures,
                    journey=cancel.journey,
                )
            )
    return CheckResult.worst(results, not_applicable("no cancel journey in this file"))


# ---------------------------------------------------------------------------------------- A7


@check(
    "friction_devices",
    title="No mandatory survey, typed phrase, CAPTCHA or password re-entry on the way out",
    catalogue="A7 (Sheil et al. CHI 2024; Uber One complaint; §312k BGB field maximum)",
)
def friction_devices(ctx: CheckContext) -> CheckResult:
    results = []
    for cancel in cancel_journeys(ctx):
        fails, warns = [], []
        for screen in cancel.screens:
            required_choices = [
                c
                for c in screen["controls"]
                if c["required"] and (c["type"] in ("radio", "checkbox") or c["tag"] in ("select", "textarea"))
            ]
            if required_choices:
                survey = ctx.wording.sentence("survey", screen["text"])
                fails.append(f"a mandatory survey on {_screen_name(screen)}" + (f': "{survey[1]}"' if survey else ""))
            typed = re.search(
                r"(type|kirjoita|skriv|geben sie|tapez|escriba)\b[^.\n]{0,40}[\"“'‘«]([^\"”'’»]{2,60})[\"”'’»]",
                screen["text"],
                re.I,
            )
            if typed:
                fails.append(f'the customer must type a phrase on {_screen_name(screen)}: "{typed.group(0)}"')
            if screen.get("captcha"):
                warns.append(f"a CAPTCHA on {_screen_name(screen)}")
            if any(c["type"] == "password" for c in screen["controls"]):
                warns.append(f"password re-entry on {_screen_name(screen)}")
        figures = {"fail_devices": len(fails), "warn_devices": len(warns)}
        if fails:
            results.append(CheckResult(Verdict.FAIL, "; ".join(fails), figures, warns, cancel.journey))
        elif warns:
            results.append(CheckResult(Verdict.WARN, "; ".join(warns), figures, journey=cancel.journey))
        else:
            results.append(
                CheckResult(
                    Verdict.PASS, f"{cancel.journey} asks for nothing but the decision", figures, journey=cancel.journey
                )
            )
    return CheckResult.worst(results, not_applicable("no cancel journey in this file"))


# ---------------------------------------------------------------------------------------- A8


def _runs_on(ctx: CheckContext, cancel: JourneyResult, on_screen: Screen, mail: EmailSummary) -> bool:
    """Was what got cancelled a contract that runs on (a subscription, a plan), not a one-off order or booking?"""
    acquire = ctx.paired_acquire(cancel)
    texts = [on_screen["text"], mail["subject"], mail["text"], *(s["text"] for s in cancel.screens)]
    texts += [s["text"] for s in acquire.screens] if acquire is not None else []
    return any(ctx.wording.find("recurring", text) for text in texts)


def _farewell_score(ctx: CheckContext, text: str) -> list[str]:
    steps = ctx.wording.concepts.get("farewell_steps", {})
    return [step for step, phrases in steps.items() if any(contains(p, text) for p in phrases)]


@check(
    "cancellation_confirmed",
    title="The cancellation is confirmed on screen and by email, with the date",
    defaults={"within": "15m"},
    catalogue="A8 (§312k(3)-(4) BGB; EU Art. 11a CRD; UK DMCC s.261; the trainer's five steps from the customer stories)",
)
def cancellation_confirmed(ctx: CheckContext) -> CheckResult:
    results = []
    for cancel in cancel_journeys(ctx):
        on_screen = next(
            (s for s in reversed(cancel.screens) if ctx.wording.find("cancellation_confirmation", s["text"])), None
        )
        mails = [
            m for m in cancel.emails if ctx.wording.find("cancellation_confirmation", f"{m['subject']}\n{m['text']}")
        ]
        mail = mails[0] if mails else None
        figures: dict[str, Any] = {"on_screen": bool(on_screen), "email": bool(mail)}
        if on_screen is None or mail is None:
            problems = []
            if on_screen is None:
                problems.append("no on-screen confirmation")
            if mail is None:
                received = ", ".join(repr(m["subject"]) for m in cancel.emails) or "no email at all"
                problems.append(f"no confirmation email (received during the journey: {received})")
            results.append(CheckResult(Verdict.FAIL, "; ".join(problems), figures, journey=cancel.journey))
            continue
        steps = _farewell_score(ctx, mail["text"])
        figures.update(
            farewell_steps=len(steps),
            farewell_steps_found=steps,
            seconds_after_end=round(mail["received_at"] - cancel.ended_at, 1) if cancel.ended_at else None,
        )
        advice = f"; the email covers {len(steps)} of the trainer's 5 steps ({', '.join(steps) or 'none'})"
        window = parse_duration(ctx.options["within"])
        late = figures["seconds_after_end"] is not None and figures["seconds_after_end"] > window
        if late:
            results.append(
                CheckResult(
                    Verdict.WARN,
                    f"the confirmation {mail['subject']!r} arrived {figures['seconds_after_end']:g} s after "
                    f"the cancellation, later than {ctx.options['within']}" + advice,
                    figures,
                    journey=cancel.journey,
                )
            )
        elif not DATE.search(mail["text"]) and not _runs_on(ctx, cancel, on_screen, mail):
            results.append(
                CheckResult(
                    Verdict.PASS,
                    f"confirmed on screen ({on_screen['url']}) and by email {mail['subject']!r}; nothing cancelled runs "
                    "on (no subscription, membership or plan is named), so there is no end date to state" + advice,
                    figures,
                    journey=cancel.journey,
                )
            )
        elif not DATE.search(mail["text"]):
            results.append(
                CheckResult(
                    Verdict.WARN,
                    f"the confirmation {mail['subject']!r} does not say when the subscription ends" + advice,
                    figures,
                    journey=cancel.journey,
                )
            )
        else:
            results.append(
                CheckResult(
                    Verdict.PASS,
                    f"confirmed on screen ({on_screen['url']}) and by email {mail['subject']!r} with a date" + advice,
                    figures,
                    journey=cancel.journey,
                )
            )
    return CheckResult.worst(results, not_applicable("no cancel journey in this file"))


# ---------------------------------------------------------------------------------------- A9


def classify_mail(ctx: CheckContext, mail: EmailSummary) -> str:
    """confirmation | transactional | retention | marketing | other"""
    text = f"{mail['subject']}\n{mail['text']}"
    if ctx.wording.find("cancellation_confirmation", text) and not ctx.wording.find("retention", mail["subject"]):
        return "confirmation"
    if ctx.wording.find("retention", text):
        return "retention"
    headers = {k.lower(): v for k, v in (mail.get("headers") or {}).items()}
    if "list-unsubscribe" in headers or ctx.wording.find("marketing", text):
        return "marketing"
    if ctx.wording.find("legitimate_information", text):
        return "transactional"
    return "other"


@check(
    "silence_after_cancel",
    title="After the cancellation: a confirmation, then silence",
    defaults={"verdict": "FAIL"},
    catalogue="A9 (customer story 5; ePrivacy Art. 13(2); CAN-SPAM 10 business days; GDPR Art. 21(3))",
)
def silence_after_cancel(ctx: CheckContext) -> CheckResult:
    verdict_for_finding = Verdict(str(ctx.options["verdict"]).upper())
    results = []
    for cancel in cancel_journeys(ctx):
        classified = [(classify_mail(ctx, m), m) for m in cancel.emails]
        confirmation_time = next((m["received_at"] for kind, m in classified if kind == "confirmation"), None)
        after = [
            (kind, m) for kind, m in classified if confirmation_time is None or m["received_at"] >= confirmation_time
        ]
        findings = [(kind, m) for kind, m in after if kind in ("retention", "marketing")]
        figures = {"emails": len(cancel.emails), "findings": len(findings), "kinds": [kind for kind, _ in classified]}
        if findings:
            kind, mail = findings[0]
            headers = mail.get("headers") or {}
            how = "it carries List-Unsubscribe" if "List-Unsubscribe" in headers else "by its wording"
            if headers.get("Auto-Submitted"):
                how += f", sent automatically (Auto-Submitted: {headers['Auto-Submitted']}, RFC 3834)"
            since = "the confirmation" if confirmation_time else "the cancellation (which was never confirmed)"
            results.append(
                CheckResult(
                    verdict_for_finding,
                    f"a {kind} email {mail['subject']!r} arrived after {since}; classified as {kind}: {how}",
                    figures,
                    [f"{k}: {m['subject']!r}" for k, m in findings],
                    cancel.journey,
                )
            )
        else:
            results.append(
                CheckResult(
                    Verdict.PASS,
                    (
                        f"after cancelling, only {_counted_kinds([k for k, _ in classified])} arrived"
                        if classified
                        else "no email arrived after cancelling"
                    ),
                    figures,
                    journey=cancel.journey,
                )
            )
    return CheckResult.worst(results, not_applicable("no cancel journey in this file"))


# ---------------------------------------------------------------------------------------- A3


def _cancelling_is_in_question(scenario: Scenario, options: dict[str, Any]) -> bool:
    """A file with a cancel journey, or one that names the check: a sign-up alone asks nothing about leaving."""
    return any(j.kind == "cancel" for j in scenario.journeys.values()) or "cancel_discoverable" in scenario.checks


@_check(
    "cancel_discoverable",
    title="The way out can be found without a script, in a few clicks",
    defaults={"max_clicks": 2, "page_budget": 25, "min_font_px": 12, "require_from_home": False},
    needs_kinds=("acquire",),
    applies=_cancelling_is_in_question,
    judges=(),
    explores=("cancel",),
    catalogue="A3 (§312k(2) BGB 'ständig verfügbar … leicht zugänglich'; LG Köln 2022; OLG Nürnberg 2024; BGH/OLG Braunschweig two clicks)",
)
def cancel_discoverable(ctx: CheckContext) -> CheckResult:
    searches: list[CancelSearch] = ctx.explored.get("cancel") or []
    if not searches:
        return CheckResult(Verdict.SKIP, "the cancel search did not run (no acquire journey passed in this run)")
    o = ctx.options
    by_start = {d["start"]: d for d in searches}
    account, home = by_start.get("account"), by_start.get("home")
    figures = {
        d["start"]: {"found": d["found"], "clicks": d["clicks"], "pages_searched": d["pages_searched"]}
        for d in searches
    }

    def start(d: CancelSearch) -> str:
        """The start page by what it is: where a journey left the customer, or the home page."""
        if d["start"] == "account" and d.get("start_journey"):
            return f"from where {d['start_journey']} left the customer ({d['start_url']})"
        return f"from the {d['start']} page ({d['start_url']})"

    def describe(d: CancelSearch, control: FoundControl) -> str:
        return (
            f"{start(d)} a customer reaches '{control['text']}' in "
            f"{d['clicks']} click{'s' if d['clicks'] != 1 else ''} ({' > '.join(d['path'])})"
        )

    home_note = ""
    if home is not None:
        home_note = (
            f"; logged out, from the home page: {'found in ' + str(home['clicks']) + ' clicks' if home['found'] else 'not found'}"
            f" within {home['max_clicks']} clicks"
        )
    if home is not None and o["require_from_home"] and not home["found"]:
        return CheckResult(
            Verdict.FAIL,
            f"no cancel control can be reached from the home page without logging in within "
            f"{home['max_clicks']} clicks ({home['pages_searched']} pages searched)",
            figures,
        )
    if account is None:
        return CheckResult(Verdict.SKIP, "no logged-in start page was recorded" + home_note, figures)
    control = account["control"]
    if not account["found"] or control is None:
        return CheckResult(
            Verdict.FAIL,
            f"no cancel control within {account['max_clicks']} clicks {start(account)} "
            f"({account['pages_searched']} pages searched)" + home_note,
            figures,
        )
    if control.get("collapsed"):
        return CheckResult(
            Verdict.WARN, describe(account, control) + ", but it sits in a collapsed menu" + home_note, figures
        )
    if control.get("font_px") and control["font_px"] < o["min_font_px"]:
        return CheckResult(
            Verdict.WARN,
            describe(account, control) + f", but it is rendered at {control['font_px']:g} px "
            f"(less than {o['min_font_px']} px)" + home_note,
            figures,
        )
    return CheckResult(Verdict.PASS, describe(account, control) + home_note, figures)


def _counted_kinds(kinds: list[str]) -> str:
    """'a confirmation email', '2 transactional emails and a confirmation email'."""
    counts = {("unclassified" if kind == "other" else kind): kinds.count(kind) for kind in dict.fromkeys(kinds)}
    parts = [
        (f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} email" if n == 1 else f"{n} {kind} emails")
        for kind, n in counts.items()
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
