"""Built-in check: statutory cancellation and withdrawal rules of the chosen jurisdictions (catalogue A4, A5, A10).

The rules are data (rules.yaml): each is dated and cited, and judged only while in force.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..record.journey import JourneyResult
from .base import CheckContext, CheckResult, Verdict, check
from .cancelling import cancel_journeys, not_applicable

RULES_FILE = Path(__file__).with_name("rules.yaml")


@lru_cache(maxsize=1)
def rule_packs() -> dict[str, list[dict[str, Any]]]:
    packs: dict[str, list[dict[str, Any]]] = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return packs


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s'-]", " ", text.casefold()).split())


def _label_verdict(rule: dict[str, Any], journeys: list[JourneyResult], ctx: CheckContext) -> tuple[Verdict, str]:
    exact = {_normalise(label) for label in rule["labels"]}
    equivalent = [_normalise(label) for label in rule.get("equivalent", [])]
    controls = [c for j in journeys for s in j.screens for c in s["controls"] if c["text"]]
    statutory = [c for c in controls if _normalise(c["text"]) in exact]
    near = [
        c
        for c in controls
        if any(e and re.search(rf"(?<!\w){re.escape(e)}(?!\w)", _normalise(c["text"])) for e in equivalent)
        or (rule.get("equivalent_wording") and ctx.wording.find(rule["equivalent_wording"], c["text"]))
    ]
    found = statutory or (near if rule.get("equivalent_passes") else [])
    if found:
        if rule.get("prominent"):
            visible = [c for c in found if not c.get("collapsed") and (c.get("font_px") or 16) >= 12]
            if not visible:
                tiny = found[0]
                return Verdict.FAIL, (
                    f"'{tiny['text']}' is not prominently located: rendered at {tiny.get('font_px', 0):g} px"
                    + (" in a collapsed menu" if tiny.get("collapsed") else "")
                )
            found = visible
        return Verdict.PASS, f"the {rule['kind'].split('_')[0]} control reads '{found[0]['text']}'"
    if near:
        return (
            Verdict.WARN,
            f"'{near[0]['text']}' is not the statutory '{rule['labels'][0]}' (an equivalent wording: courts differ)",
        )
    return Verdict.FAIL, f"no control on the path reads '{rule['labels'][0]}'"


def _two_step_verdict(rule: dict[str, Any], journeys: list[JourneyResult], ctx: CheckContext) -> tuple[Verdict, str]:
    for journey in journeys:
        screens = journey.screens
        for index, screen in enumerate(screens[:-1]):
            if any(
                ctx.wording.way_out(c["text"], c["href"])
                for c in screen["controls"]
                if c["href"] or c["tag"] in ("a", "button")
            ):
                following = screens[index + 1]
                confirm = [
                    c
                    for c in following["controls"]
                    if ctx.wording.find("cancel", c["text"]) and (c["tag"] == "button" or c["type"] == "submit")
                ]
                extra = [
                    c["name"] or c["text"]
                    for c in following["controls"]
                    if c["required"]
                    and not any(f in (c["name"] + " " + c["text"]).casefold() for f in rule.get("allowed_fields", []))
                ]
                if not confirm:
                    continue
                if extra:
                    return (
                        Verdict.FAIL,
                        f"the confirmation page {following['url']} asks for more than the law allows: {', '.join(extra)}",
                    )
                return Verdict.PASS, f"the entry leads directly to one confirmation page ({following['url']})"
    return Verdict.FAIL, "no entry control is followed directly by a page with the confirmation button"


@check(
    "statutory_rules",
    needs_kinds=("cancel",),
    title="Statutory cancellation and withdrawal rules of the chosen jurisdictions",
    defaults={"packs": []},
    applies=lambda scenario, options: bool(options.get("packs") or scenario.rules),
    catalogue="A4, A5, A10 (§312k and §356a BGB; Art. 11a CRD; Code de la consommation L.215-1-1; Cal. AB 2863); rules.yaml cites each",
)
def statutory_rules(ctx: CheckContext) -> CheckResult:
    packs = list(ctx.options.get("packs") or ctx.scenario.rules)
    if not packs:
        return not_applicable("no rule pack chosen (add e.g. 'rules: [de, eu]' to the scenario)")
    all_packs = rule_packs()
    cancel = cancel_journeys(ctx)
    withdraw = [
        r for r in ctx.results.values() if "withdraw" in r.journey.casefold() or "widerruf" in r.journey.casefold()
    ]
    verdicts: list[CheckResult] = []
    for pack in packs:
        for rule in all_packs.get(pack, []):
            where = f"{rule['id']} ({rule['law']})"
            starts = rule["in_force"]
            ended = rule.get("struck_down")
            if ctx.run_date < starts:
                verdicts.append(
                    CheckResult(Verdict.PASS, f"{where}: not in force until {starts.isoformat()}; reported, not judged")
                )
                continue
            if ended and ctx.run_date >= ended:
                verdicts.append(
                    CheckResult(
                        Verdict.PASS,
                        f"{where}: struck down on {ended.isoformat()} ({rule.get('struck_down_by', '')}); not judged",
                    )
                )
                continue
            journeys = withdraw if rule.get("applies_to") == "withdraw" else cancel
            if not journeys:
                verdicts.append(
                    CheckResult(
                        Verdict.WARN,
                        f"{where}: no {rule.get('applies_to', 'cancel')} journey in this file to judge it by",
                    )
                )
                continue
            if rule["kind"] in ("entry_label", "confirm_label"):
                verdict, why = _label_verdict(rule, journeys, ctx)
            elif rule["kind"] == "two_step":
                verdict, why = _two_step_verdict(rule, journeys, ctx)
            else:  # logged_out
                home = next((d for d in ctx.explored.get("cancel") or [] if d["start"] == "home"), None)
                if home is None:
                    verdict, why = Verdict.WARN, "the cancel search from the home page did not run"
                elif home["found"]:
                    verdict, why = (
                        Verdict.PASS,
                        f"reachable logged out in {home['clicks']} clicks ({' > '.join(home['path'])})",
                    )
                else:
                    verdict, why = (
                        Verdict.FAIL,
                        f"not reachable from the home page without logging in ({home['pages_searched']} pages searched)",
                    )
            verdicts.append(CheckResult(verdict, f"{where}: {why}", {"rule": rule["id"], "verdict": verdict.value}))
    combined = CheckResult.worst(verdicts, not_applicable("the chosen packs hold no rules"))
    combined.details = [r.evidence for r in verdicts if r.evidence != combined.evidence]
    combined.figures = {"rules": {r.figures.get("rule", r.evidence.split(" ")[0]): r.verdict.value for r in verdicts}}
    return combined
