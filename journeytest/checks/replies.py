"""Built-in check: does a support reply answer, or only echo? (catalogue D1, D2; customer stories 5 and 6)

For every support journey, the first email that arrived is the reply to what the
customer wrote (the longest text they typed, or the field named in the options).
D1: how much of the reply is the customer's own words, quoted blocks stripped,
and whether it commits to a reference number or a response time. D2: the
"auto-reply bingo" score of template-likeness, one point per criterion.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from ..record.journey import JourneyResult
from ..record.shapes import EmailSummary
from ..scenario import Scenario
from ..wording import contains
from .base import CheckContext, CheckResult, Verdict, check

QUOTE_INTRO = re.compile(
    r"^(?:on .{0,120} wrote:|.{0,120} kirjoitti:|am .{0,120} schrieb .{0,80}:|le .{0,120} a écrit ?:|"
    r"-----\s*original message\s*-----|from:\s.*)$",
    re.IGNORECASE,
)
REFERENCE = re.compile(
    r"\b[A-Z]{2,}-?\d{3,}\b|#\d{3,}\b|\b(?:ticket|case|ref)\w*\s*(?:no\.?|number|nr\.?|#)?\s*:?\s*[A-Z0-9-]{4,}\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
NOT_A_SIGNER = {
    "thanks",
    "thank",
    "regards",
    "best",
    "kind",
    "cheers",
    "sincerely",
    "kiitos",
    "terveisin",
    "ystävällisin",
    "hälsningar",
    "mit",
    "viele",
    "cordialement",
    "saludos",
    "atentamente",
    "dear",
    "hi",
    "hello",
    "hei",
    "moi",
    "hyvä",
    "arvoisa",
    "bästa",
    "kära",
    "sehr",
    "liebe",
    "lieber",
    "cher",
    "chère",
    "estimado",
    "estimada",
}
MIN_ECHO_BLOCK = 12  # characters: shorter shared runs are ordinary words, not an echo


def strip_quoted(text: str) -> str:
    """The reply without quoted blocks: '>' lines and everything after an 'On … wrote:' line."""
    kept = []
    for line in text.splitlines():
        if QUOTE_INTRO.match(line.strip()):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return "\n".join(kept).strip()


def echo_parts(reply: str, message: str) -> tuple[float, str]:
    """(share of the reply that repeats the message, the reply with those repeats cut out)."""
    if not reply:
        return 0.0, ""
    folded_reply, folded_message = reply.casefold(), message.casefold()
    blocks = [
        b
        for b in SequenceMatcher(None, folded_reply, folded_message, autojunk=False).get_matching_blocks()
        if b.size >= MIN_ECHO_BLOCK
    ]
    echoed = sum(b.size for b in blocks)
    rest, last = [], 0
    for block in sorted(blocks, key=lambda b: b.a):
        rest.append(reply[last : block.a])
        last = block.a + block.size
    rest.append(reply[last:])
    return echoed / len(reply), " ".join(rest)


def content_words(text: str) -> set[str]:
    return {w.casefold() for w in WORD.findall(text) if len(w) >= 5}


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = [w.casefold() for w in WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def named_signer(reply: str, ctx: CheckContext) -> str | None:
    """A person's name among the last lines ("Maria, Acme Cloud support"), not only a team."""
    lines = [line.strip() for line in reply.splitlines() if line.strip()][-3:]
    for line in reversed(lines):
        first = WORD.match(line)
        if not first or first.group(0).casefold() in NOT_A_SIGNER or not first.group(0)[0].isupper():
            continue
        if (
            ctx.wording.find("signoff_team", first.group(0))
            or ctx.wording.find("stock_phrases", line)
            or ctx.wording.find("generic_greeting", line)
        ):
            continue
        if len(line.split()) <= 6:
            return first.group(0)
    return None


QUESTION_WORDS = re.compile(
    r"^(?:how|what|why|when|where|which|who|can|could|is|are|do|does|did|will|would|should|may|"
    r"miten|mitä|miksi|milloin|missä|voiko|voinko|onko|kuinka|hur|vad|varför|när|kan|wie|was|warum|wann|wo|"
    r"kann|können|ist|comment|pourquoi|quand|où|est-ce|cómo|qué|por qué|cuándo|dónde|puedo)\b",
    re.IGNORECASE,
)


# A reply that opens with a greeting and no name at all: "Hello," / "Hi there!" / "Hei,".
BARE_GREETING = re.compile(
    r"^(?:hello|hi|hey|dear|greetings|good (?:morning|afternoon|evening)|hei|moi|hej|hallo|guten tag|bonjour|hola)"
    r"(?:\s+there)?\s*[,!.:]?\s*(?:\n|$)",
    re.IGNORECASE,
)


def _asks(sentence: str) -> bool:
    """A sentence that asks: it ends in '?', or opens with a question word ("How do I export my invoices")."""
    sentence = sentence.strip()
    return sentence.endswith("?") or bool(QUESTION_WORDS.match(sentence))


def _message(result: JourneyResult, field: str | None) -> str:
    typed = [t["value"] for t in result.typed if not field or field.casefold() in t["field"].casefold()]
    return max(typed, key=len, default="")


def judge_reply(
    ctx: CheckContext, result: JourneyResult, mail: EmailSummary, message: str, others: list[str]
) -> tuple[CheckResult, str]:
    o = ctx.options
    reply = strip_quoted(mail.get("text", ""))
    ratio, own = echo_parts(reply, message)
    own_words = WORD.findall(own)
    stock = sorted({p for p in ctx.wording.phrases("stock_phrases") if contains(p, reply)})
    commitment = bool(REFERENCE.search(own)) or ctx.wording.find("commitment", own) is not None
    first_name = ctx.persona.get("first_name", "")
    # The site knows the name if the customer gave it in this journey or in one before it (a sign-up).
    typed_so_far = [t for r in ctx.results.values() if r.started_at <= result.started_at for t in r.typed]
    name_given = bool(first_name) and any(first_name.casefold() in t["value"].casefold() for t in typed_so_far)
    question = " ".join(s for s in re.split(r"(?<=[.!?])\s+|\n+", message) if _asks(s))
    intent = content_words(question)
    entities = content_words(message) | {t for t in re.findall(r"\b\w*\d\w*\b", message) if len(t) >= 3}
    own_words_folded = content_words(own) | {t.casefold() for t in re.findall(r"\b\w*\d\w*\b", own)}
    answered = len(intent & own_words_folded) >= max(1, len(intent) // 2) and not ctx.wording.find(
        "help_deflection", own
    )
    criteria = {
        "generic greeting although the name was given": name_given
        and (ctx.wording.find("generic_greeting", reply) is not None or bool(BARE_GREETING.match(reply.strip())))
        and first_name.casefold() not in reply.casefold(),
        "nothing from the request is taken up": not (entities & own_words_folded),
        f"stock phrases ({', '.join(repr(s) for s in stock[:3])})": len(stock) >= 2,
        "no named person signs it": named_signer(own, ctx) is None,
    }
    if question:  # a message that asks nothing cannot go unanswered
        criteria["no answer to the question asked"] = not answered
    if others:
        overlap = max(
            (
                len(_shingles(own) & _shingles(other)) / len(_shingles(own) | _shingles(other))
                for other in others
                if _shingles(own) | _shingles(other)
            ),
            default=0.0,
        )
        criteria[f"the same text answers a different question ({overlap:.0%} alike)"] = overlap >= o["template_overlap"]
    score = sum(criteria.values())
    met = [name for name, hit in criteria.items() if hit]
    figures = {
        "journey": result.journey,
        "echo_ratio": round(ratio, 2),
        "new_words": len(own_words),
        "commitment": commitment,
        "template_score": score,
        "template_criteria": len(criteria),
        "auto_submitted": bool(
            {k.lower(): v for k, v in mail.get("headers", {}).items()}.get("auto-submitted", "no") != "no"
        ),
    }
    subject = mail.get("subject", "")
    echo = ratio >= o["echo_ratio"] and len(own_words) < o["min_new_words"] and not commitment
    bingo = f"template score {score}/{len(criteria)}" + (f": {'; '.join(met)}" if met else "")
    if echo:
        sentence = (
            f"the reply {subject!r} to {result.journey} only echoes the customer: {ratio:.0%} of it is their own words, "
            f"{len(own_words)} new words, and no reference number or response time; {bingo}"
        )
        verdict = Verdict(o["echo_verdict"])
        if score >= o["fail_at"]:
            verdict = Verdict.FAIL
        return CheckResult(verdict, sentence, figures, journey=result.journey), own
    verdict = Verdict.FAIL if score >= o["fail_at"] else Verdict.WARN if score >= o["warn_at"] else Verdict.PASS
    kind = "answers the question" if question and answered else "is a real acknowledgement"
    lead = (
        f"the reply {subject!r} to {result.journey} "
        + ("reads as a template" if verdict != Verdict.PASS else kind)
        + f" ({ratio:.0%} echo, {len(own_words)} new words, "
        + ("with a reference number or response time" if commitment else "no reference number or response time")
        + f"); {bingo}"
    )
    if question and not commitment and not answered and verdict == Verdict.PASS:
        verdict = Verdict.WARN  # neither an answer nor a promise of one (catalogue D1)
    return CheckResult(verdict, lead, figures, journey=result.journey), own


def _has_support(scenario: Scenario, options: dict[str, Any]) -> bool:
    return any(
        j.kind == "support" and any(s.action == "expect_email" for s in j.steps) for j in scenario.journeys.values()
    )


@check(
    "support_reply",
    title="A support reply takes up the question: not an echo, not a template",
    defaults={
        "message_field": None,
        "echo_ratio": 0.5,
        "min_new_words": 30,
        "echo_verdict": "WARN",
        "warn_at": 4,
        "fail_at": 6,
        "template_overlap": 0.8,
    },
    applies=_has_support,
    choices={"echo_verdict": ("PASS", "WARN", "FAIL")},
    catalogue="D1/D2 (Strauss & Hill 2001; Schwab 2015; Proskurnia et al. 2017 template induction; LG München I 33 O 3721/24; "
    "customer stories 5 and 6)",
)
def support_reply(ctx: CheckContext) -> CheckResult:
    pairs = []
    for result in ctx.of_kind("support"):
        message = _message(result, ctx.options["message_field"])
        if message and result.emails:
            pairs.append((result, sorted(result.emails, key=lambda m: m.get("received_at", 0))[0], message))
    silent = [r.journey for r in ctx.of_kind("support") if _message(r, ctx.options["message_field"]) and not r.emails]
    if not pairs and not silent:
        return CheckResult(Verdict.SKIP, "does not apply: no support journey wrote a message")
    outcomes = []
    own_texts: dict[str, str] = {}
    for result, mail, message in pairs:  # first pass: the replies' own words, for criterion 6
        own_texts[result.journey] = echo_parts(strip_quoted(mail.get("text", "")), message)[1]
    for result, mail, message in pairs:
        others = [
            text
            for journey, text in own_texts.items()
            if journey != result.journey and _message(ctx.results[journey], ctx.options["message_field"]) != message
        ]
        outcomes.append(judge_reply(ctx, result, mail, message, others)[0])
    outcomes += [
        CheckResult(Verdict.WARN, f"{journey} wrote to support, and no reply arrived while it ran", journey=journey)
        for journey in silent
    ]
    combined = CheckResult.worst(outcomes, CheckResult(Verdict.SKIP, "nothing to judge"))
    combined.figures = {o.journey: o.figures for o in outcomes if o.figures and o.journey}
    return combined
