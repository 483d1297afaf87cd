"""Yes/no: "Yes." or "No." first, then the sentence that decides it, quoted.

The reader answers Yes, No or NOT FOUND and numbers the deciding sentence. Checked: the
sentence names what was asked, and a "No" stands only on a sentence that says the opposite (a
negation or a contrary word); absence of evidence is "The articles do not say.", never "No"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..evidence import coverage
from ..generation import LlamaGenerator
from ..grounding import names_what_was_asked
from ..retrieval import term_weights
from ..schema import Evidence
from ..words import content_stems
from .shape import Composer, Event, Found, Turn, cited_numbers, compose_refusal, gather, read, refused

INSTRUCTION = (
    "Answer Yes or No, then the number of the one sentence that decides it, like: Yes [2]. "
    "If no sentence decides it, reply NOT FOUND."
)
_VERDICT = re.compile(r"^\W*(yes|no)\b", re.I)
# A sentence that says the opposite of the question holds a negation or a contrary word.
_OPPOSITE = re.compile(
    r"\b(not|no|never|neither|nor|none|without|denied|denies|deny|rejected|rejects|refused|refuses|declined|"
    r"failed|fails|instead|rather than|unlike|only|ruled out|halted|suspended|cancell?ed|dropped|abandoned|"
    r"against|opposed|opposes)\b|n['’]t\b",
    re.I,
)
NOT_SAID = "The articles do not say."
MIN_COVERAGE = 0.5  # of the question's words (weighted) the deciding sentence, or the one before it, holds


def deciding_sentence(turn: Turn, evidence: list[Evidence], cited: list[int]) -> int | None:
    """The sentence the verdict rests on: the one the reader numbers when it names what was
    asked and holds most of the question's words (rare words weigh more), else the evidence
    sentence that does so best (a reader that numbers the wrong sentence is not punished),
    else None."""
    weights = term_weights(turn.index)
    stems = content_stems(turn.question)
    covered = {i: coverage(stems, ev.text, ev.context, weights) for i, ev in enumerate(evidence)}
    order = [*cited, *sorted((i for i in covered if i not in cited), key=lambda i: -covered[i])]
    return next(
        (i for i in order if covered[i] >= MIN_COVERAGE and names_what_was_asked(turn.question, evidence[i])), None
    )


def second_look_agrees(turn: Turn, sentence: Evidence, verdict: str) -> bool:
    """The reader, asked apart whether the sentence shows the verdict is right, says yes: a
    sentence that says the opposite without a negation ("held in Minsk" against "held in New
    Delhi?"). Without the reader's probabilities (a server), only a negation counts."""
    from ..answering import recheck  # the fact path's second look, asked the same way

    if not isinstance(turn.generator, LlamaGenerator):
        return False
    odds = recheck(turn.generator, sentence.text, turn.question, verdict)
    turn.answer.signals["recheck"] = odds
    return odds > 0


def answer(turn: Turn) -> Iterator[Event]:
    evidence = gather(turn, turn.question, turn.passages, sentences=10, words=160)
    if not evidence:
        turn.answer.decision = "no evidence"
        compose_refusal(turn, NOT_SAID, [])
        return
    yield ("status", "reading")
    reply = "".join(read(turn, evidence, INSTRUCTION, max_tokens=8)).strip()
    turn.answer.reply = reply
    verdict = _VERDICT.match(reply)
    if refused(reply) or not verdict:
        turn.answer.decision = "the reader found no answer"
        compose_refusal(turn, NOT_SAID, evidence)
        return
    said_yes = verdict.group(1).lower() == "yes"
    ground = deciding_sentence(turn, evidence, cited_numbers(reply, len(evidence)))
    if ground is None:
        turn.answer.decision = "not verified: no sentence holds what was asked"
        compose_refusal(turn, NOT_SAID, evidence)
        return
    sentence = evidence[ground]
    if not said_yes and not _OPPOSITE.search(sentence.text) and not second_look_agrees(turn, sentence, "No"):
        turn.answer.decision = "not verified: no sentence says the opposite"
        compose_refusal(turn, NOT_SAID, evidence)
        return
    composer = Composer(turn, evidence)
    yield composer.lead("Yes." if said_yes else "No.")
    event = composer.add(Found(sentence.text, (ground,), quoted=True))
    if event:
        yield event
    composer.finish()
    # one line: the verdict, then the sentence that decides it
    turn.answer.text = " ".join(composer.lines).replace("\n", " ").replace(" - ", " ", 1)
    turn.answer.decision = "answered"
