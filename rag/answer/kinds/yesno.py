"""Yes/no: "Yes." or "No." first, then the sentence that decides it, quoted.

The reader finds the deciding sentence (it answers Yes, No or NOT FOUND and numbers it), then
reads that sentence alone for the verdict: Yes, No, or Unclear. Checked: the sentence holds
most of the question's words and names what was asked. "No" is a sentence that says the
opposite; a sentence that does not decide it, or none, is "The articles do not say.", never "No"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...schema import Evidence
from ...search.retrieval import term_weights
from ...text.words import content_stems
from ..evidence import coverage
from ..generation import LlamaGenerator
from ..grounding import names_what_was_asked
from ..prompts import VERDICTS, verdict_messages
from .shape import Composer, Event, Found, Turn, cited_numbers, compose_refusal, gather, read, refused

INSTRUCTION = (
    "Answer Yes or No, then the number of the one sentence that decides it, like: Yes [2]. "
    "If no sentence decides it, reply NOT FOUND."
)
_VERDICT = re.compile(r"^\W*(yes|no)\b", re.I)
NOT_SAID = "The articles do not say."
MIN_COVERAGE = 0.5  # of the question's words (weighted) the deciding sentence holds


def deciding_sentence(turn: Turn, evidence: list[Evidence], cited: list[int]) -> int | None:
    """The sentence the verdict rests on: the one the reader numbers when it names what was
    asked and holds most of the question's words (rare words weigh more), else the evidence
    sentence that does so best (a reader that numbers the wrong sentence is not punished),
    else None."""
    weights = term_weights(turn.index)
    stems = content_stems(turn.question)
    # the sentence's own words: the one before it may be about something else (counted, it let
    # "Belarus is interested in expanding cooperation" decide whether it wants pharmaceuticals)
    covered = {i: coverage(stems, ev.text, "", weights) for i, ev in enumerate(evidence)}
    order = [*cited, *sorted((i for i in covered if i not in cited), key=lambda i: -covered[i])]
    return next(
        (i for i in order if covered[i] >= MIN_COVERAGE and names_what_was_asked(turn.question, evidence[i])), None
    )


def verdict(turn: Turn, sentence: Evidence, first: str) -> str | None:
    """ "Yes", "No" or None (the sentence does not decide it): the reader's verdict read from the
    deciding sentence alone, its likeliest first word among Yes, No and Unclear. Without the
    reader's probabilities (a server) its first reading's verdict stands."""
    if not isinstance(turn.generator, LlamaGenerator):
        return first
    scores = turn.generator.aside.reply_logprobs(verdict_messages(sentence.text, turn.question), list(VERDICTS))
    firsts = [lp[0] for lp in scores]
    for name, lp in zip(VERDICTS, firsts, strict=True):
        turn.answer.signals[f"verdict_{name.lower()}"] = lp
    best = VERDICTS[firsts.index(max(firsts))]
    return None if best == "Unclear" else best


def answer(turn: Turn) -> Iterator[Event]:
    evidence = gather(turn, turn.question, turn.passages, sentences=10, words=160)
    if not evidence:
        compose_refusal(turn, NOT_SAID, [], "no evidence")
        return
    yield ("status", "reading")
    reply = "".join(read(turn, evidence, INSTRUCTION, max_tokens=8)).strip()
    turn.answer.reply = reply
    first = _VERDICT.match(reply)
    ground = deciding_sentence(turn, evidence, cited_numbers(reply, len(evidence)))
    if (refused(reply) or not first) and (ground is None or not isinstance(turn.generator, LlamaGenerator)):
        compose_refusal(turn, NOT_SAID, evidence, "the reader found no answer")
        return
    if ground is None:
        compose_refusal(turn, NOT_SAID, evidence, "not verified: no sentence holds what was asked")
        return
    # A reader that says NOT FOUND is not the last word when a sentence holds the question: the
    # small reader says it to "sold in Pennsylvania?" shown "sold in Altadena, California". That
    # sentence read alone decides, and Unclear is still "The articles do not say."
    sentence = evidence[ground]
    decided = verdict(turn, sentence, first.group(1).capitalize() if first and not refused(reply) else "")
    if decided is None:
        compose_refusal(
            turn,
            NOT_SAID,
            [sentence, *(ev for ev in evidence if ev is not sentence)],
            "the reader found the sentence does not decide it",
        )
        return
    composer = Composer(turn, evidence)
    yield composer.lead(f"{decided}.")
    event = composer.add(Found(sentence.text, (ground,), quoted=True))
    if event:
        yield event
    composer.finish()
    # one line: the verdict, then the sentence that decides it
    turn.answer.text = " ".join(composer.lines).replace("\n", " ").replace(" - ", " ", 1)
    turn.answer.decision = "answered"
