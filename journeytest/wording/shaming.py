"""Confirm-shaming on a decline control (catalogue A6), recognised by its structure, not by whole phrases.

Real decline buttons say the same thing a hundred ways ("I'll pay full price", "No thanks, I hate saving
money", "Nein danke, ich möchte nicht sparen"). What they share is a shape, read per language from the
`confirmshaming` wording parts:

- FAIL, "refuses a benefit": a first-person refusal whose object is a benefit ("i do not want" + "free
  shipping");
- FAIL, "prefers a loss": a loss the label does not negate, in a first-person or declining label ("i will pay
  full price", "i love being poor");
- FAIL, "guilt-trips": a listed phrase ("olemme todella surullisia");
- WARN, "review this wording": a decline that goes on in the first person with more than the way out
  ("No thanks, I'm not smart enough");
- nothing for a plain decline of the action itself: "No, I don't want to renew", "No, I don't want this offer".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import Wording
from .lexicon import Parts, Reading, Span, languages

CONCEPT = "confirmshaming"
# Beyond this a "label" is a paragraph or a whole card, not a decline button.
MAX_LABEL_WORDS = 24


@dataclass(frozen=True)
class Shaming:
    """Why a decline label shames, with the words that make it so as the page wrote them."""

    tier: Literal["fail", "warn"]
    reason: str  # "refuses a benefit", "prefers a loss", "guilt-trips", "explains itself in the first person"
    words: str
    language: str

    def __str__(self) -> str:
        return f'{self.reason}: "{self.words}"'


def shaming(label: str, wording: Wording) -> Shaming | None:
    """How a control's label shames the customer for declining, or None. The strongest finding over the
    languages wins (a FAIL in one language over a WARN in another)."""
    reading = Reading(label)
    if not reading.words or len(reading.words) > MAX_LABEL_WORDS:
        return None
    found = [_judged(reading, Parts(wording, CONCEPT, language)) for language in languages(wording, CONCEPT)]
    ranked = sorted((f for f in found if f), key=lambda f: f.tier != "fail")
    return ranked[0] if ranked else None


def declines(label: str, wording: Wording) -> bool:
    """Does the label open with a decline ("No thanks", "Ei kiitos", "Nein danke")?"""
    reading = Reading(label)
    return any(
        _opener(reading, Parts(wording, CONCEPT, language)) is not None for language in languages(wording, CONCEPT)
    )


def _opener(reading: Reading, parts: Parts) -> Span | None:
    """The decline the label opens with (its first words), if any."""
    openers = [s for s in reading.find(parts("decline")) if s.start == 0]
    return openers[0] if openers else None


def _judged(reading: Reading, parts: Parts) -> Shaming | None:
    opener = _opener(reading, parts)
    after_opener = opener.end if opener else 0
    quote = reading.quote
    guilt = reading.find(parts("phrases"))
    if guilt:
        return Shaming("fail", "guilt-trips the customer", quote(guilt[0].start, guilt[0].end), parts.language)

    first_person = reading.find(parts("first_person"))
    benefits = {s.start: s for s in reading.find(parts("benefit"))}
    fillers = {i for s in reading.find(parts("filler")) for i in range(s.start, s.end)}
    restated = {i for s in reading.find(parts("restates")) for i in range(s.start, s.end)}
    ambiguous = {s.start for s in reading.find(parts("ambiguous")) if s.end == s.start + 1}
    for refusal in reading.find(parts("refuse")):
        position = refusal.end
        while position < len(reading.words) and (position in fillers or reading.words[position].text.isdigit()):
            position += 1
        if position in benefits and not _other_sense(reading, benefits, ambiguous, position):
            start = position - 1 if position and reading.words[position - 1].text.isdigit() else position  # "15 %"
            end = _clause_end(reading, benefits[position].end)
            return Shaming("fail", "refuses a benefit", quote(start, end), parts.language)

    if opener is not None or first_person:
        negations = {i for s in reading.find(parts("negation")) for i in range(s.start, s.end) if i >= after_opener}
        refusals = {i for s in reading.find(parts("refuse")) for i in range(s.start, s.end)}
        for loss in reading.find(parts("loss")):
            window = range(max(after_opener, loss.start - 3), loss.start)
            if not any(i in negations or i in refusals for i in window):
                return Shaming(
                    "fail", "prefers a loss", quote(loss.start, _clause_end(reading, loss.end)), parts.language
                )

    if opener is not None:
        rest = range(opener.end, len(reading.words))
        speaks = [s for s in first_person if s.start >= opener.end]
        own = [
            i
            for i in rest
            if i not in restated and reading.words[i].text not in "!?%" and not reading.words[i].text.isdigit()
        ]
        if speaks and own:
            return Shaming(
                "warn",
                "explains itself in the first person",
                quote(speaks[0].start, len(reading.words)),
                parts.language,
            )
    return None


def _other_sense(reading: Reading, benefits: dict[int, Span], ambiguous: set[int], position: int) -> bool:
    """Is the benefit word at position one with another sense, used in it ("save my card details")? Such a
    word is a benefit only last, or before a number, '%' or another benefit ("save money", "save 20 %")."""
    if position not in ambiguous or benefits[position].end > position + 1:
        return False
    after = position + 1
    if after >= len(reading.words):
        return False
    if any(mark in reading.text[reading.words[position].end : reading.words[after].start] for mark in ",.;:!?()"):
        return False
    word = reading.words[after].text
    return not (word.isdigit() or word == "%" or after in benefits)


def _clause_end(reading: Reading, end: int, most: int = 2) -> int:
    """Where the quoted words stop: at most a few words on, so "save" quotes as "save money"."""
    stop = min(len(reading.words), end + most)
    for i in range(end, stop):
        between = reading.text[reading.words[i - 1].end : reading.words[i].start]
        if any(mark in between for mark in ",.;:!?()"):
            return i
    return stop
