"""A cancel path that sends the customer to another channel (catalogue A2), recognised by structure.

Real pages say "by calling 1-877-…", "please reach out to our Support Team", "Kündigungen bitte schriftlich",
"irtisanominen onnistuu ainoastaan soittamalla", often with a number and no `tel:` link. A paragraph forces
another channel when it speaks of ending the contract and, in that sentence or the next, names a way that
is not the web: a channel (`in writing`, `by phone`, `hotline`), a channel verb with a channel noun or a
number or address within a few words ("contact our customer care", "email us at …"), or a phone number,
email or postal address in the very sentence. Help offered for questions, or the web way offered beside it
("or cancel online"), is no forcing.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from . import Wording
from .lexicon import Parts, Reading, Span, languages, likely_languages

CONCEPT = "forced_channel"
CHANNELS = ("phone", "email", "chat", "letter", "person", "contact")
CHANNEL_NAMES = {
    "phone": "by phone",
    "email": "by email",
    "chat": "by chat",
    "letter": "in writing",
    "person": "in person",
    "contact": "through a person",
}
# A channel verb reaches this far for its object: "contact our customer care team", "call us at 0800 …".
OBJECT_REACH = 6
# Phone numbers as pages print them, with no region known: "1-800-840-1726", "(866) 445-1623", "+358 9 123 4567",
# "0771-21 10 00", "0800 077 800"; vanity and redacted numbers ("1-800-FLOWERS", "1-8XX-XXX-XXXX").
PHONE = re.compile(
    r"(?<![\w/.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d[\d\s.-]{5,16}\d(?![\w/-])"
    r"|\b1[\s.-]?8[0-9X]{2}[\s.-]?[A-Z0-9X]{3}[\s.-]?[A-Z0-9X]{4}\b"
)
# Digits that are no phone number: dates, amounts, and year ranges ("© 2006-2022").
DATE_OR_AMOUNT = re.compile(
    r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}[./]\d{1,2}[./]\d{2,4}$|^\d+[.,]\d{2}$|^(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d$"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[email\s*protected\]", re.IGNORECASE)
POSTAL = re.compile(
    r"\b(?:P\.?\s?O\.?\s?Box|Postfach|Boîte postale|BP|Apartado(?: de correos)?|PL|Box)\s+\d+", re.IGNORECASE
)
SENTENCE_END = re.compile(r"(?:[.!?;:](?=\s|$)|\n)\s*")


@dataclass(frozen=True)
class Forcing:
    """A sentence that ends the cancel path in another channel, and the words that say which."""

    channel: str  # phone, email, chat, letter, person, contact
    cue: str  # the words as the page wrote them ("call our operator on this toll-free number 1-800-840-1726")
    sentence: str
    language: str

    def __str__(self) -> str:
        return f'{CHANNEL_NAMES[self.channel]}: "{self.cue}"'


def forced_channel(text: str, wording: Wording, own: Collection[str] = ()) -> Forcing | None:
    """The first sentence of text that sends the customer elsewhere to cancel, or None. `own` holds what
    the customer typed (their own email address is no channel to the business)."""
    reading = Reading(text)
    listed = reading.find(Parts(wording, CONCEPT, "user")("phrases"))
    if listed:  # the user's own words for their site's forced channel count wherever they stand
        sentence = _sentence_of(reading)
        words = [i for i, n in enumerate(sentence) if n == sentence[listed[0].start]]
        return Forcing(
            "contact",
            reading.quote(listed[0].start, listed[0].end),
            reading.quote(words[0], words[-1] + 1),
            "user",
        )
    for language in likely_languages(reading, wording, languages(wording, CONCEPT)):
        found = _judged(reading, Parts(wording, CONCEPT, language), {o.casefold() for o in own if o})
        if found:
            return found
    return None


def _sentence_of(reading: Reading) -> list[int]:
    """The sentence number of each word; a line break ends a sentence too (a heading, a list item)."""
    ends = [m.start() for m in SENTENCE_END.finditer(reading.text)]
    numbers, sentence = [], 0
    for word in reading.words:
        while sentence < len(ends) and ends[sentence] < word.start:
            sentence += 1
        numbers.append(sentence)
    return numbers


def _word_at(reading: Reading, offset: int) -> int:
    for i, word in enumerate(reading.words):
        if word.end > offset:
            return i
    return len(reading.words) - 1


def _leads_in(reading: Reading) -> set[int]:
    """Sentences that introduce the next one: a question or a colon ("How do I cancel?", "To cancel:"), or
    a heading (a short line standing alone, without a full stop)."""
    found, sentence = set(), 0
    starts = [w.start for w in reading.words]
    for match in SENTENCE_END.finditer(reading.text):
        if not any(start < match.start() for start in starts):
            continue
        mark = match.group(0)
        inside = [w for w in reading.words if w.start < match.start()]
        line_start = reading.text.rfind("\n", 0, match.start()) + 1
        heading = (
            "\n\n" in mark.replace(" ", "")
            and "." not in mark
            and len([w for w in inside if w.start >= line_start]) <= 12
        )
        if "?" in mark or ":" in mark or heading:
            found.add(sentence)
        sentence += 1
    return found


def _judged(reading: Reading, parts: Parts, own: set[str]) -> Forcing | None:
    """The first channel cue in a sentence about ending the contract (or right after one, as under a heading)."""
    endings = reading.find(parts("ending"))
    if not endings or not reading.words:
        return None
    sentence = _sentence_of(reading)
    ending_sentences = {sentence[s.start] for s in endings}
    # the sentence before counts when it leads in (a heading, a question) or stands in the same paragraph
    line = {sentence[i]: reading.text.count("\n", 0, w.start) for i, w in reversed(list(enumerate(reading.words)))}
    leads_in = {n for n in ending_sentences if n in _leads_in(reading) or line.get(n) == line.get(n + 1)}
    negations = reading.find(parts("negation"))

    def negated(span: Span) -> bool:
        return any(sentence[n.start] == sentence[span.start] and n.start < span.start for n in negations)

    web_too = {sentence[s.start] for s in reading.find(parts("self_service")) if not negated(s)}
    if web_too & ending_sentences:
        return None  # "cancel online in your account": the web way is offered where cancelling is spoken of
    skip = {sentence[s.start] for role in ("help", "told", "alternative") for s in reading.find(parts(role))}
    only = {sentence[s.start] for s in reading.find(parts("only"))}
    verbs = {(s.start, s.end) for s in reading.find(parts("verb"))}
    objects = reading.find(parts("whom"))
    contacts = [c for c in _contacts(reading) if reading.quote(c[1], c[2]).casefold() not in own]

    cues: list[tuple[str, int, int]] = []  # channel, first word, end word
    for channel in CHANNELS:
        for span in reading.find(parts(channel)):
            if any(v[0] == span.start and v[1] >= span.end for v in verbs):
                reach = _object(reading, sentence, span, objects, contacts)
                if reach is not None:
                    cues.append((channel, *reach))
                elif sentence[span.start] in only:
                    cues.append((channel, span.start, span.end))  # "the only way is calling"
            else:
                cues.append((channel, span.start, span.end))
    for through in reading.find(parts("through")):
        reach = _object(reading, sentence, through, objects, [], proper_nouns=False, reach=5)
        if reach is not None:
            cues.append(("contact", *reach))
    for kind, start, end in contacts:
        if sentence[start] in ending_sentences or sentence[start] - 1 in leads_in:
            cues.append((kind, start, end))
    for channel, start, end in sorted(cues, key=lambda c: c[1]):
        end = _whole_object(sentence, end, objects, contacts)
        at = sentence[start]
        if at in skip or not (at in ending_sentences or at - 1 in leads_in):
            continue
        if channel == "contact":
            channel = next((kind for kind, s, _ in contacts if start <= s < end + OBJECT_REACH), "contact")
        in_sentence = [i for i, n in enumerate(sentence) if n == at]
        return Forcing(
            channel, reading.quote(start, end), reading.quote(in_sentence[0], in_sentence[-1] + 1), parts.language
        )
    return None


def _object(
    reading: Reading,
    sentence: list[int],
    verb: Span,
    objects: list[Span],
    contacts: list[tuple[str, int, int]],
    proper_nouns: bool = True,
    reach: int = OBJECT_REACH,
) -> tuple[int, int] | None:
    """Where a channel verb's object ends, if one follows within reach in the same sentence ("email" + "us at
    a@b.fi", "call" + "AOL"), or stands just before it ("a number to call"): a listed one, a number or
    address, or a name."""
    within = [
        i for i in range(verb.end, min(verb.end + reach, len(reading.words))) if sentence[i] == sentence[verb.start]
    ]
    for span in objects:
        if span.start in within:
            after = [end for _, start, end in contacts if span.end <= start < span.end + reach]
            return verb.start, after[0] if after else span.end
    for _, start, end in contacts:
        if start in within:
            return verb.start, end
    if not proper_nouns:
        return None
    if within and reading.text[reading.words[within[0]].start].isupper():
        return verb.start, within[0] + 1  # "calling AOL", "contacting USA Today"
    before = [s for s in objects if sentence[s.start] == sentence[verb.start] and 0 <= verb.start - s.end <= 2]
    return (before[-1].start, verb.end) if before else None  # "a number to call", French "nous contacter"


def _whole_object(sentence: list[int], end: int, objects: list[Span], contacts: list[tuple[str, int, int]]) -> int:
    """The cue's end moved over what goes on naming the channel: "contact our" + "customer care team",
    "by calling" + "1-8XX-XXX-XXXX"."""
    spans = sorted([(s.start, s.end) for s in objects] + [(start, stop) for _, start, stop in contacts])
    for start, stop in spans:
        if end <= start <= end + 2 and stop > end and sentence[start] == sentence[end - 1]:
            end = stop
    return end


def _contacts(reading: Reading) -> list[tuple[str, int, int]]:
    """Phone numbers, email and postal addresses in the text, as (channel, first word, end word)."""
    found: list[tuple[str, int, int]] = []
    for channel, pattern in (("email", EMAIL), ("letter", POSTAL), ("phone", PHONE)):
        for match in pattern.finditer(reading.text):
            if channel == "phone" and (
                DATE_OR_AMOUNT.match(match.group(0).strip()) or sum(c.isdigit() or c == "X" for c in match.group(0)) < 7
            ):
                continue
            start = _word_at(reading, match.start())
            end = _word_at(reading, match.end() - 1) + 1
            if not any(s <= start < e for _, s, e in found):
                found.append((channel, start, end))
    return found
