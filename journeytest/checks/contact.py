"""Built-in check: can a customer find a human? (catalogue B1, B2, B4, B6; customer story 3)

Judges what explore:contact found from the home page and from a deep
page: an email address that is not a noreply, a second channel (phone or contact
form), both within a number of clicks, under link names a customer understands,
and structured data that agrees with what is shown.
"""

from __future__ import annotations

from typing import Any

from ..record.shapes import ContactFindings
from ..scenario import Scenario
from .base import CheckContext, CheckResult, Verdict, check

NAMES = {"email": "email address", "phone": "phone number", "form": "contact form", "address": "postal address"}
# Why a site with one channel fails (catalogue B1, B2), said in the verdict so a reader need not look it up.
SECOND_CHANNEL_RULE = (
    "a second rapid, direct and effective way to reach the business is required "
    "(CJEU C-298/07 on ECD 2000/31 Art. 5(1)(c); it need not be a phone, an enquiry form can do)"
)
EMAIL_RULE = "ECD 2000/31 Art. 5(1)(c) names the email address itself"


def _wanted(scenario: Scenario, options: dict[str, Any]) -> bool:
    """Search only where the file is about reaching a human, or asks for the check by name."""
    return bool(scenario.site.base_url) and (
        "contact_details" in scenario.checks or any(j.kind == "support" for j in scenario.journeys.values())
    )


def _clicks(n: int) -> str:
    return f"{n} click{'s' if n != 1 else ''}"


def judge_search(search: ContactFindings, options: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """One start page's verdict: FAIL for a missing channel, WARN for a weak one."""
    limit = search["max_clicks"]
    where = f"from the {search['start']} ({search['start_url']})"
    found = {kind: s for kind, s in search["found"].items() if s["depth"] <= limit}
    deeper = {kind: s for kind, s in search["found"].items() if s["depth"] > limit}
    images = [s for s in search["other"] if s["kind"] == "image" and s["depth"] <= limit]
    noreply = [s for s in search["other"] if s["note"] == "noreply"]
    placeholders = [s for s in search["other"] if s["note"] == "placeholder"]
    not_contact_forms = [s for s in search["other"] if s["kind"] == "form" and s["note"]]
    premium = [s for s in search["other"] if s["note"] == "premium-rate" and s["depth"] <= limit]
    figures = {
        "start": search["start"],
        "pages_searched": search["pages_fetched"],
        "pages_rendered": search["pages_rendered"],
        "seconds": search["seconds"],
        **{kind: {"depth": s["depth"], "path": s["path"], "value": s["value"]} for kind, s in search["found"].items()},
    }
    details: list[str] = []
    for kind, s in deeper.items():
        details.append(f"a {NAMES[kind]} exists, but {_clicks(s['depth'])} away ({' > '.join(s['path'])}; {s['page']})")
    if "address" not in found:
        details.append(f"no postal address within {_clicks(limit)}")
    if search["budget_exhausted"]:
        details.append(f"the page budget ({search['pages_fetched']} pages) ran out before the search was complete")
    details += search["errors"][:3]

    def seen_as(kind: str) -> str:
        notes = []
        if kind == "email" and noreply:
            notes.append(f"only a no-reply address ({noreply[0]['value']}, which nobody reads)")
        if kind == "email" and placeholders:
            notes.append(
                f"only an example address in the site's text ({placeholders[0]['value']} on {placeholders[0]['page']})"
            )
        structured = [s for s in search["structured"] if s["kind"] == kind]
        if structured:
            notes.append(f"only in the page's structured data ({structured[0]['value']}), which a customer never sees")
        if kind in deeper:
            notes.append(f"the nearest is {_clicks(deeper[kind]['depth'])} away ({' > '.join(deeper[kind]['path'])})")
        if kind == "phone":
            notes += [f"a {s['note']} on {s['page']} is not a contact form" for s in not_contact_forms[:2]]
        return f" ({'; '.join(notes)})" if notes else ""

    # When one channel is there and the other is not, say which rule asks for the missing one.
    if "email" in found:
        why_second = f"; besides the {NAMES['email']} {found['email']['value']}, {SECOND_CHANNEL_RULE}"
    else:
        why_second = ""
    second = found.get("phone") or found.get("form")
    if second:
        what = f"the {NAMES[second['kind']]}" + (f" {second['value']}" if second["kind"] != "form" else "")
        why_email = f"; {EMAIL_RULE}, and {what} does not stand in for it"
    else:
        why_email = ""

    missing = []
    if "email" not in found:
        missing.append(f"no {NAMES['email']} a customer can write to{seen_as('email')}{why_email}")
    if "phone" not in found and "form" not in found:
        missing.append(f"no second channel, neither a phone number nor a contact form{seen_as('phone')}{why_second}")
    if missing and images:
        return CheckResult(
            Verdict.WARN,
            f"{where}: {'further ' if found else ''}contact details appear only inside an image ({images[0]['value']}, "
            f"{_clicks(images[0]['depth'])} away: {' > '.join(images[0]['path']) or 'on the start page'}); "
            f"a screen reader, a search or a copy-paste cannot use them{why_second or why_email}",
            figures,
            details,
        )
    if missing:
        image_note = ""
        far_images = [s for s in search["other"] if s["kind"] == "image"]
        if far_images:
            image_note = (
                f"; the only contact details found are an image {_clicks(far_images[0]['depth'])} away "
                f"({' > '.join(far_images[0]['path'])})"
            )
        return CheckResult(
            Verdict.FAIL, f"{where}, within {_clicks(limit)}: " + " and ".join(missing) + image_note, figures, details
        )

    sentence = (
        where
        + ": "
        + "; ".join(
            f"{NAMES[kind]} {s['value'] if kind != 'form' else ''} {_clicks(s['depth'])} away"
            + (f" ({' > '.join(s['path'])})" if s["path"] else " (on the page itself)")
            for kind, s in found.items()
        ).replace("  ", " ")
    )
    warnings = []
    if "phone" not in found and premium:
        warnings.append(f"the only phone number is premium-rate ({premium[0]['value']})")
    unclear = {
        word
        for kind, s in found.items()
        if kind in ("email", "phone", "form")
        for word in s["path"]
        if not ctx.wording.find("contact", word)
    }
    if unclear and options["warn_unclear_links"]:
        warnings.append(
            "the way there uses link names a customer would not read as 'contact': " + ", ".join(sorted(unclear))
        )
    visible = {(s["kind"], s["value"]) for s in search["visible"]}
    stale = [
        s for s in search["structured"] if s["kind"] in ("email", "phone") and (s["kind"], s["value"]) not in visible
    ]
    if stale:
        warnings.append(
            "the structured data (schema.org) names "
            + ", ".join(s["value"] for s in stale)
            + ", shown nowhere a customer can read it"
        )
    if warnings:
        return CheckResult(Verdict.WARN, sentence + "; but " + "; ".join(warnings), figures, details)
    return CheckResult(Verdict.PASS, sentence, figures, details)


@check(
    "contact_details",
    title="A customer can find an email address and a second way to reach a human",
    defaults={
        "max_clicks": 2,
        "search_clicks": 4,
        "deep_page": None,
        "page_budget": 150,
        "rate_limit": 10.0,
        "concurrency": 4,
        "render": "auto",
        "region": None,
        "obey_robots": True,
        "warn_unclear_links": True,
    },
    applies=_wanted,
    choices={"render": ("auto", "browser", "http")},
    explores=("contact",),
    catalogue="B1/B2/B4/B6 (ECD 2000/31 Art. 5(1)(c); DDG §5; CJEU C-298/07, 16 Oct 2008: besides the email "
    "address, a second rapid, direct and effective means, which may be an enquiry form; CJEU C-649/17; "
    "BGH I ZR 228/03 and OLG Braunschweig 2 U 16/25: two clicks; customer story 3)",
)
def contact_details(ctx: CheckContext) -> CheckResult:
    searches: list[ContactFindings] = ctx.explored.get("contact") or []
    if not searches:
        return CheckResult(Verdict.SKIP, "the contact search did not run")
    results = []
    for search in searches:
        result = judge_search(search, ctx.options, ctx)
        result.journey = search["start"]
        results.append(result)
    combined = CheckResult.worst(results, CheckResult(Verdict.SKIP, "the contact search did not run"))
    combined.figures = {r.figures["start"]: r.figures for r in results}
    return combined
