"""One normalisation for every wording concept, so typography never decides a verdict.

Real sites write "don’t", "dont", "DON´T" and "No, thanks." where a list says "no thanks, i don't"; sites
and lists alike write "cancelled" and "canceled". Text and phrases both pass through `normalised` before
they are compared, and the classifiers read `words`: each word normalised, with where it stood in the
original text so that evidence can quote what the page said.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Apostrophes and quotes as sites type them, one character for another (offsets stay put).
TYPOGRAPHY = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "´": "'",
        "`": "'",
        "ʼ": "'",
        "′": "'",
        "＇": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)

# English contractions spelled out, with or without their apostrophe ("don't", "dont"); both sides of every
# comparison are normalised, so a French "dont" turning into "do not" changes nothing that is compared.
CONTRACTIONS = {
    "don't": "do not",
    "dont": "do not",
    "doesn't": "does not",
    "doesnt": "does not",
    "didn't": "did not",
    "didnt": "did not",
    "won't": "will not",
    "wont": "will not",
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "isn't": "is not",
    "isnt": "is not",
    "aren't": "are not",
    "wasn't": "was not",
    "wouldn't": "would not",
    "shouldn't": "should not",
    "haven't": "have not",
    "i'm": "i am",
    "im": "i am",
    "i'd": "i would",
    "id": "i would",
    "i'll": "i will",
    "ill": "i will",
    "i've": "i have",
    "ive": "i have",
    "we're": "we are",
    "we'll": "we will",
    "we'd": "we would",
    "you're": "you are",
    "you'll": "you will",
    "you'd": "you would",
    "you've": "you have",
    "it's": "it is",
    "that's": "that is",
    "let's": "let us",
}
# Bare spellings that are also words of the six languages (German "im", English "ill", French "dont"): spelled
# out only where the English reading is the only one: "dont" after a pronoun, "im" first or after a decline.
DECLINES = (None, "no", "thanks", "nope", "nah", "but", "and")
AMBIGUOUS = {
    "im": DECLINES,
    "id": DECLINES,
    "ill": DECLINES,
    "dont": (*DECLINES, "i", "we", "you", "they"),
    "wont": ("i", "we", "you", "they", "it"),
    "cant": ("i", "we", "you", "they"),
}
# A word (letters and digits, inner apostrophes kept), or one of the signs that carry meaning in a phrase:
# "50 % off" and "50% off" both read "50 % off"; "Wait!" reads "wait !".
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[%!?€$£]")
# Elisions split off their word: French "j'aime", "n'aime", "l'offre" read as "j aime", "n aime", "l offre".
ELISION = re.compile(r"^(j|n|l|d|m|t|s|c|qu)'(?=\w)")


@dataclass(frozen=True)
class Word:
    """A normalised word and the span of the original text it came from."""

    text: str
    start: int
    end: int


def _spelled(word: str, previous: str | None) -> list[str]:
    if word in CONTRACTIONS and (word not in AMBIGUOUS or previous in AMBIGUOUS[word]):
        return CONTRACTIONS[word].split()
    if word.endswith("n't") and len(word) > 3:
        return [word[:-3], "not"]
    elision = ELISION.match(word)
    if elision:
        return [elision.group(1), word[elision.end() :]]
    return [word]


def words(text: str) -> list[Word]:
    """The words of text, normalised: NFC, case folded, apostrophes unified, contractions spelled out."""
    plain = unicodedata.normalize("NFC", text).translate(TYPOGRAPHY)
    found: list[Word] = []
    for match in WORD.finditer(plain):
        previous = found[-1].text if found else None
        for part in _spelled(match.group(0).casefold(), previous):
            found.append(Word(part, match.start(), match.end()))
    return found


@lru_cache(maxsize=8192)
def normalised(text: str) -> str:
    """Text as every concept compares it: its normalised words, one space apart ("No, thanks. I don’t!" ->
    "no thanks i do not !")."""
    return " ".join(word.text for word in words(text))


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as a pattern over `normalised` text, word by word.

    Both sides are normalised alike, so "No, thanks. I don’t" meets "no thanks i don't"; a '!' or '?' between
    words never stops a match. A trailing '*' matches any ending (Finnish 'irtisano*'), a leading one any
    beginning (German compounds: '*kündig*' meets 'Sonderkündigungsrecht'), a lone '*' any one word.
    """
    parts: list[str] = []
    spelled = words(phrase.replace("*", " ")) if phrase.strip() else []
    for piece in re.finditer(r"\S+", phrase):
        if piece.group(0) == "*":
            parts.append(r"\S+")
            continue
        inside = [w.text for w in spelled if piece.start() <= w.start < piece.end()]
        if not inside:
            continue
        tokens = [_spellings(re.escape(token)) for token in inside]
        if piece.group(0).endswith("*"):
            tokens[-1] += r"\S*"
        if piece.group(0).startswith("*"):
            tokens[0] = r"\S*" + tokens[0]
        parts += tokens
    return re.compile(r"(?<!\S)" + " (?:[!?] )*".join(parts) + r"(?!\S)")


def _spellings(part: str) -> str:
    """One phrase for both spellings: British 'cancelled', 'cancelling', 'cancellation' and American 'canceled',
    'canceling', 'cancelation' ('enrolled' / 'enroled' likewise)."""
    return re.sub(r"(cance|enro)ll?(?=ed|ing|ation|er)", r"\1ll?", part)
