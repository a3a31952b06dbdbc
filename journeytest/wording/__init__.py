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
from urllib.parse import urlsplit

import yaml

BUILT_IN = Path(__file__).with_name("lists")
# A link's address that names what a bare "Cancel" ends: an ending and a thing (/subscription/cancel, ?do=unsubscribe).
ENDING_IN_ADDRESS = re.compile(r"cancel|unsubscri|terminat|delete|close|kündig|kuendig|irtisano|opzeg", re.IGNORECASE)
THING_IN_ADDRESS = re.compile(r"subscri|member|plan|account|contract|order|booking|abo|vertrag|tilaus", re.IGNORECASE)


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Case-folded, on word boundaries; a trailing '*' matches any ending (Finnish 'irtisano*'), a lone '*' any one word."""
    folded = phrase.casefold()
    prefix = folded.endswith("*")
    folded = folded.rstrip("*")
    start = r"(?<!\w)" if re.match(r"\w", folded) else ""
    end = r"\w*" if prefix else (r"(?!\w)" if re.search(r"\w$", folded) else "")
    body = r"\s+".join(r"\S+" if part == "*" else _spellings(re.escape(part)) for part in folded.split())
    return re.compile(start + body + end)


def _spellings(part: str) -> str:
    """One phrase for both spellings: British 'cancelled', 'cancelling', 'cancellation' and American 'canceled',
    'canceling', 'cancelation' ('enrolled' / 'enroled' likewise)."""
    return re.sub(r"(cance|enro)ll?(?=ed|ing|ation|er)", r"\1ll?", part)


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

    def way_out(self, label: str, href: str = "") -> str | None:
        """The cancel phrase a control's label uses to offer a way out of the contract, or None.

        A bare "Cancel" (the whole label a form_abort word) abandons a form or closes a box: a wiki's edit form
        has one. It counts only on a link whose address names what it ends (/subscription/cancel)."""
        phrase = self.find("cancel", label)
        if phrase is None:
            return None
        bare = re.sub(r"[^\w\s]", " ", label.casefold()).split()
        if " ".join(bare) in {" ".join(p.split()) for p in self.phrases("form_abort")}:
            address = urlsplit(href).path + "?" + urlsplit(href).query
            return phrase if ENDING_IN_ADDRESS.search(address) and THING_IN_ADDRESS.search(address) else None
        return phrase

    def sentence(self, concept: str, text: str) -> tuple[str, str] | None:
        """(phrase, the sentence it occurs in), for evidence."""
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            phrase = self.find(concept, sentence)
            if phrase:
                return phrase, sentence.strip()
        return None
