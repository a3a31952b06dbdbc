"""Shared vocabulary: multilingual wording lists, matched on word boundaries after case folding.

Checks, live searches and the harness itself (paying clicks, mailed passwords) read
the same lists. Each concept (cancel, retention, confirmshaming…) is a YAML file in
`lists/` with one list per language. Users add phrases without code, in a folder of
their own (`--wording-dir`) or under `wording:` in a scenario file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

BUILT_IN = Path(__file__).with_name("lists")


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Case-folded, on word boundaries; a trailing '*' matches any ending (Finnish 'irtisano*'), a lone '*' any one word."""
    folded = phrase.casefold()
    prefix = folded.endswith("*")
    folded = folded.rstrip("*")
    start = r"(?<!\w)" if re.match(r"\w", folded) else ""
    end = r"\w*" if prefix else (r"(?!\w)" if re.search(r"\w$", folded) else "")
    body = r"\s+".join(r"\S+" if part == "*" else re.escape(part) for part in folded.split())
    return re.compile(start + body + end)


@lru_cache(maxsize=32)
def _read_folder(folder: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(concept, language, phrases) from a folder's YAML files, read once per process."""
    entries = []
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries += [(path.stem, language, tuple(phrases or ())) for language, phrases in data.items()]
    return tuple(entries)


@dataclass
class Wording:
    concepts: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # concept -> language -> phrases

    @classmethod
    def load(cls, extra_dirs: list[Path] | None = None, extra: dict[str, list[str]] | None = None) -> Wording:
        wording = cls()
        for folder in [BUILT_IN, *(extra_dirs or [])]:
            for concept, language, listed in _read_folder(str(Path(folder).resolve())):
                wording.concepts.setdefault(concept, {}).setdefault(language, []).extend(listed)
        for concept, phrases in (extra or {}).items():
            wording.concepts.setdefault(concept, {}).setdefault("user", []).extend(phrases)
        return wording

    @staticmethod
    @lru_cache(maxsize=1)
    def built_in() -> Wording:
        """The built-in lists, built once per process (the harness's own uses: paying clicks, mailed passwords)."""
        return Wording.load()

    def phrases(self, concept: str) -> list[str]:
        return [p for phrases in self.concepts.get(concept, {}).values() for p in phrases]

    def find(self, concept: str, text: str) -> str | None:
        """The first phrase of the concept that occurs in text, or None."""
        folded = text.casefold()
        for phrase in self.phrases(concept):
            if phrase_pattern(phrase).search(folded):
                return phrase
        return None

    def sentence(self, concept: str, text: str) -> tuple[str, str] | None:
        """(phrase, the sentence it occurs in), for evidence."""
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            phrase = self.find(concept, sentence)
            if phrase:
                return phrase, sentence.strip()
        return None
