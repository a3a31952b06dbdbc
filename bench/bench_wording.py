"""Benchmark: how well the wording classifiers read real text (confirm-shaming, forced channels).

Run on demand (not part of the test suite):

    .venv/bin/python -m bench.bench_wording [--misses] [--concept confirmshaming]

Reads the evaluation set in bench/wording_eval/*.yaml: strings collected from public sources (articles,
pattern galleries, help centres, regulators, open-source apps' translation files), each with its source,
labelled positive (shaming / forcing) or negative (neutral / self_service); an item's `context` (the heading
or question it stood under on its page, as a check reads it on the screen) goes before its text. Prints, per
concept and language:
recall (positives flagged FAIL or WARN), FAIL recall, precision, and FAILs on negatives (target: none);
with --misses, every string judged wrong. Targets: recall >= 90% on both concepts, no FAIL on a negative.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from journeytest.wording import Wording
from journeytest.wording.channels import forced_channel
from journeytest.wording.shaming import shaming

EVAL = Path(__file__).with_name("wording_eval")
POSITIVE = {"confirmshaming": "shaming", "forced_channel": "forcing"}
RECALL_TARGET = 0.90


@dataclass
class Item:
    concept: str
    language: str
    text: str
    positive: bool
    family: str
    source: str


def evaluation_set(folder: Path = EVAL) -> list[Item]:
    items = []
    for path in sorted(folder.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            concept = entry["concept"]
            items.append(
                Item(
                    concept,
                    entry["language"],
                    f"{entry['context']}\n\n{entry['text']}" if entry.get("context") else entry["text"],
                    entry["expect"] == POSITIVE[concept],
                    entry.get("family", ""),
                    entry.get("source", ""),
                )
            )
    return items


def judge(item: Item, wording: Wording) -> tuple[str, str]:
    """('fail' | 'warn' | 'pass', why) for one string, as the check would see it."""
    if item.concept == "confirmshaming":
        found = shaming(item.text, wording)
        return (found.tier, str(found)) if found else ("pass", "")
    forcing = forced_channel(item.text, wording)
    return ("fail", str(forcing)) if forcing else ("pass", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every string judged wrong")
    parser.add_argument("--concept", choices=sorted(POSITIVE), help="only this concept")
    args = parser.parse_args()
    wording = Wording.load()
    items = [i for i in evaluation_set() if not args.concept or i.concept == args.concept]
    table: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses: list[str] = []
    for item in items:
        tier, why = judge(item, wording)
        for key in ((item.concept, item.language), (item.concept, "all")):
            row = table[key]
            if item.positive:
                row["positives"] += 1
                row["caught"] += tier != "pass"
                row["caught_fail"] += tier == "fail"
            else:
                row["negatives"] += 1
                row["flagged"] += tier != "pass"
                row["failed"] += tier == "fail"
        if item.positive and tier == "pass":
            misses.append(f"MISSED  {item.concept} {item.language} [{item.family}] {item.text!r}")
        elif not item.positive and tier != "pass":
            misses.append(f"{tier.upper():7} {item.concept} {item.language} [{item.family}] {item.text!r} -> {why}")

    print(
        f"{'concept':16} {'lang':4} {'pos':>4} {'recall':>7} {'FAIL':>6} {'neg':>4} {'precision':>9} {'FAIL on neg':>11}"
    )
    ok = True
    for (concept, language), row in sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1] == "all", kv[0][1])):
        recall = row["caught"] / row["positives"] if row["positives"] else float("nan")
        fail_recall = row["caught_fail"] / row["positives"] if row["positives"] else float("nan")
        flagged = row["caught"] + row["flagged"]
        precision = row["caught"] / flagged if flagged else float("nan")
        print(
            f"{concept:16} {language:4} {row['positives']:4} {recall:7.0%} {fail_recall:6.0%} {row['negatives']:4} "
            f"{precision:9.0%} {row['failed']:11}"
        )
        if language == "all":
            ok &= recall >= RECALL_TARGET and row["failed"] == 0
    print(f"targets: recall >= {RECALL_TARGET:.0%} per concept, 0 FAIL on negatives: {'met' if ok else 'NOT met'}")
    if args.misses:
        print("\n".join(misses) or "no misses")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
