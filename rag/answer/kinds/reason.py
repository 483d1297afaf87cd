"""Why/how: the reason or the means the articles state, quoted from the sentence that states it.

The reader numbers the sentence (or two) that states it, or says NOT FOUND. Checked: the
sentence names what was asked, and for a "why" it states a reason (a causal or purpose word):
a sentence that states only the fact is not a reason, and the reply says the articles do not
say why."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...schema import Evidence
from ..grounding import names_what_was_asked
from .shape import (
    Event,
    Found,
    Turn,
    cited_numbers,
    compose,
    compose_refusal,
    gather,
    not_said,
    previous_sentence,
    read,
    refused,
)

INSTRUCTION = (
    "Reply with the number of the sentence that states the reason or the way asked about, in brackets. "
    "If no sentence states it, reply NOT FOUND."
)
_WHY = re.compile(
    r"^\s*(why|for what reason|what (is|was|were|are) the (reasons?|causes?|purpose|motives?|goal|aim|"
    r"rationale)|what (caused|led to|prompted|drove|motivated))\b",
    re.I,
)
_REASON_WORDS = re.compile(
    r"\b(because|since|as a result|due to|owing to|thanks to|so that|in order to|so as to|aims?|aimed|aiming|"
    r"goals?|purpose|reasons?|why|seeks?|seeking|sought|wants?|wanted|interested|intends?|intended|hopes?|"
    r"to (boost|increase|expand|strengthen|ensure|develop|promote|help|avoid|prevent|protect|support|improve|"
    r"reduce|deepen|attract|meet|address|enhance)|therefore|hence|thus|led to|leads? to|caused|causing|given|"
    r"amid|after|following|driven by|result of|resulted|in view of|considering|potential|need|needs|needed|"
    r"triggered|spurred|sparked|fuell?ed|prompted|in response|response to|behind|so|thus|means|through|by)\b",
    re.I,
)
MAX_SENTENCES = 2
FALLBACK = 3  # of the best evidence sentences, read for a reason when those numbered state none
_CONSEQUENCE = re.compile(r"^\W*(therefore|so|thus|hence|that is why|this is why|for this reason|as a result)\b", re.I)


def stating(turn: Turn, evidence: list[Evidence], order: list[int], why: bool) -> list[int]:
    """Of the positions in order, the sentences that state the reason or means asked about
    (with the sentence before a "Therefore, …", appended to the evidence), at most two."""
    kept: list[int] = []
    for i in order:
        if len(kept) >= MAX_SENTENCES:
            break
        if not names_what_was_asked(turn.question, evidence[i]):
            continue
        # "Therefore, we want to …": the reason is the sentence before it, quoted with it
        before = previous_sentence(evidence[i]) if _CONSEQUENCE.match(evidence[i].text) else None
        if why and not _REASON_WORDS.search(evidence[i].text) and before is None:
            continue
        if before is not None:
            evidence.append(before)
            kept.append(len(evidence) - 1)
        kept.append(i)
    return kept


def answer(turn: Turn) -> Iterator[Event]:
    evidence = gather(turn, turn.question, turn.passages, sentences=10, words=180)
    said = not_said(turn.question)
    if not evidence:
        compose_refusal(turn, said, [], "no evidence")
        return
    yield ("status", "reading")
    reply = "".join(read(turn, evidence, INSTRUCTION, max_tokens=12)).strip()
    turn.answer.reply = reply
    cited = cited_numbers(reply, len(evidence))[:MAX_SENTENCES]
    why = bool(_WHY.match(turn.question))
    if refused(reply) or not cited:
        compose_refusal(turn, said, evidence, "the reader found no answer")
        return
    kept = stating(turn, evidence, cited, why)
    if not kept and why:
        # a reader that numbers a neighbour of the sentence stating the reason is not punished:
        # the best sentences that state one (a reason word checks it) are read next
        kept = stating(turn, evidence, [i for i in range(min(FALLBACK, len(evidence))) if i not in cited], why)[:2]
    if not kept:
        compose_refusal(turn, said, evidence, "not verified: its sentence states no reason for what was asked")
        return
    yield from compose(turn, evidence, (Found(evidence[i].text, (i,), quoted=True) for i in kept))
