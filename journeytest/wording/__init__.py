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

from ..errors import SettingsError
from .text import normalised, phrase_pattern

__all__ = ["Wording", "contains", "normalised", "phrase_pattern"]

BUILT_IN = Path(__file__).with_name("lists")
# A link's address that names what a bare "Cancel" ends: an ending and a thing (/subscription/cancel, ?do=unsubscribe).
ENDING_IN_ADDRESS = re.compile(r"cancel|unsubscri|terminat|delete|close|kündig|kuendig|irtisano|opzeg", re.IGNORECASE)
THING_IN_ADDRESS = re.compile(r"subscri|member|plan|account|contract|order|booking|abo|vertrag|tilaus", re.IGNORECASE)


def contains(phrase: str, text: str) -> bool:
    """Does text hold the phrase, both normalised?"""
    return phrase_pattern(phrase).search(normalised(text)) is not None


@lru_cache(maxsize=32)
def _read_folder(folder: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(concept, language, phrases) from a folder's YAML files, read once per process.

    A language holds a list of phrases, or, for the concepts a classifier reads (confirmshaming,
    forced_channel), its parts by name: `en: {refuse: [...], benefit: [...]}` gives the concepts
    "confirmshaming.refuse" and "confirmshaming.benefit"; a part named `phrases` is the concept itself."""
    entries = []
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for language, listed in data.items():
            parts = listed if isinstance(listed, dict) else {"phrases": listed}
            for part, phrases in parts.items():
                concept = path.stem if part == "phrases" else f"{path.stem}.{part}"
                unread = [p for p in phrases or () if not isinstance(p, str)]
                if unread:
                    raise SettingsError(
                        f"{path}: {language}.{part} lists {unread[0]!r}, which is not a phrase; put words that YAML "
                        f'reads as yes/no or numbers in quotes ("no", "on", "50")'
                    )
                entries.append((concept, language, tuple(phrases or ())))
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
        """The first phrase of the concept that occurs in text (both normalised), or None."""
        plain = normalised(text)
        for phrase in self.phrases(concept):
            if phrase_pattern(phrase).search(plain):
                return phrase
        return None

    def way_out(self, label: str, href: str = "") -> str | None:
        """The cancel phrase a control's label uses to offer a way out of the contract, or None.

        A bare "Cancel" (the whole label a form_abort word) abandons a form or closes a box: a wiki's edit form
        has one. It counts only on a link whose address names what it ends (/subscription/cancel)."""
        phrase = self.find("cancel", label)
        if phrase is None:
            return None
        bare = normalised(label).replace("!", "").replace("?", "").split()
        if " ".join(bare) in {normalised(p) for p in self.phrases("form_abort")}:
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
