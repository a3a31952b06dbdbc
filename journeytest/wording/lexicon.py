"""Where the parts of a classifier's wording occur in a text, word by word.

The classifiers (confirm-shaming, forced channels) ask structural questions: does a refusal stand right
before a benefit, a channel verb next to a channel noun? They read a text as its normalised words and a
part of the wording lists as one pattern per language, and get back spans of word positions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .text import Word, phrase_pattern, words

if TYPE_CHECKING:
    from . import Wording


@dataclass(frozen=True)
class Span:
    """Words start..end (exclusive) of a text, and the listed phrase that matched there."""

    start: int
    end: int
    phrase: str


@lru_cache(maxsize=1024)
def alternation(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for a list of phrases, longest first so that 'no thanks' wins over 'no'."""
    if not phrases:
        return None
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return re.compile("|".join(f"(?P<p{i}>{phrase_pattern(p).pattern})" for i, p in enumerate(ordered)))


@lru_cache(maxsize=1024)
def _names(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(phrases), key=lambda p: (-len(p), p)))


class Reading:
    """A text as its normalised words, to find the parts of a classifier in."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: list[Word] = words(text)
        self.joined = " ".join(w.text for w in self.words)
        self._starts: list[int] = []
        position = 0
        for word in self.words:
            self._starts.append(position)
            position += len(word.text) + 1

    def find(self, phrases: tuple[str, ...]) -> list[Span]:
        """Every place one of the phrases occurs, left to right, without overlaps."""
        pattern = alternation(phrases)
        if pattern is None:
            return []
        names = _names(phrases)
        spans = []
        for match in pattern.finditer(self.joined):
            start = bisect.bisect_left(self._starts, match.start())
            end = bisect.bisect_right(self._starts, match.end() - 1)
            spans.append(Span(start, end, names[int(str(match.lastgroup)[1:])]))
        return spans

    def quote(self, start: int, end: int) -> str:
        """Words start..end as the text wrote them."""
        if start >= end or start >= len(self.words):
            return ""
        return self.text[self.words[start].start : self.words[min(end, len(self.words)) - 1].end]


class Parts:
    """One language's parts of a classifier concept ("confirmshaming.refuse"…), user additions included."""

    def __init__(self, wording: Wording, concept: str, language: str) -> None:
        self.wording, self.concept, self.language = wording, concept, language

    def __call__(self, part: str) -> tuple[str, ...]:
        name = self.concept if part == "phrases" else f"{self.concept}.{part}"
        by_language = self.wording.concepts.get(name, {})
        own = tuple(by_language.get(self.language, ()))
        return own if self.language == "user" else own + tuple(by_language.get("user", ()))


def likely_languages(reading: Reading, wording: Wording, among: list[str]) -> list[str]:
    """The languages among these whose common words the text uses most (`language_markers`), or all of them
    when it uses none: a paragraph is read in its own language, a two-word button in every one."""
    counts = {
        language: len(reading.find(tuple(wording.concepts.get("language_markers", {}).get(language, ()))))
        for language in among
    }
    best = max(counts.values(), default=0)
    return [language for language in among if counts[language] == best] if best else among


def languages(wording: Wording, concept: str) -> list[str]:
    """The languages a classifier concept has parts in."""
    found = {
        language
        for name, by_language in wording.concepts.items()
        if name.startswith(concept + ".")
        for language in by_language
    }
    return sorted(found - {"user"}) or ["user"]
