"""Disagreement: evidence that answers the same question otherwise.

A reader that picks one of two conflicting sentences silently hands the person a coin toss
as *the* answer (RGB's counterfactual set plants a wrong answer where a right one may also be
found). When another evidence sentence is about what was asked as much as the answer's own
sentence is, does not state the answer, and names something else of the same kind in its
place (another name where the answer is a name, another number where it is a number), the
reply keeps the reader's answer and quotes both, saying they disagree. It never refuses: the
person sees both sources and judges.

Measured with the default reader (flagged answers / answers; of them right, wrong):
seeds_heldout 8/21 (5 right, all 3 wrong answers; for two of them the quoted rival holds the
right answer), realtimeqa 100–149 12/22 (9, 3 of 5 wrong), squad2 250–299 0/19, RGB standard
39/42 (30, 9 of 10 wrong: its snippets are about neighbouring events by design), RGB
counterfactual 36/41 (3, 33 of 38 wrong): planted answers repeated without a warning 72% → 12%.
By words alone it cannot tell a sentence that answers otherwise from one about a neighbouring
event. Asking the reader again, shown the rival alone (`--policy rival_reread=1`, measured with
the default reader on zen4), cuts the needless warnings on RGB standard (answers flagged 78 → 33
of 88; right ones 59 → 22 of 67) but lets planted answers through on RGB counterfactual (stated
without a warning 8 → 35 of 100): there the true sentence often lacks the question's year or
name, and read alone it answers nothing. A loss on one set is a loss, so it is off by default.
`GroundingPolicy.rival_relevance = 0` turns the disagreement off."""

from __future__ import annotations

from ..schema import Evidence
from ..text.words import content_stems, key_terms, numbers, term_in
from .reader import Reading


def disagreeing(
    question: str, answer: str, ground: Evidence, evidence: list[Evidence], relevance: float = 0.8
) -> Evidence | None:
    """The first evidence sentence that answers the question otherwise, if any: at least
    `relevance` times as relevant to the question as the answer's own sentence."""
    answer_facts = key_terms(answer, sentence_starts=True)
    if not answer_facts:
        return None  # a description ("electric buses") has no rival of the same kind to find
    asked = content_stems(question) | key_terms(question)
    on_topic = len(asked & _mentions(ground.text))
    by_number = bool(numbers(answer))
    for other in evidence:
        if other is ground or other.text == ground.text:
            continue
        said = _mentions(other.text)
        if all(term_in(fact, said) for fact in answer_facts):
            continue  # it states the answer too
        if len(asked & said) < max(2, on_topic - 1) or other.score < relevance * ground.score:
            continue  # about something else, or less so than the answer's sentence
        if _rivals(other.text, ground.text, question, answer, by_number):
            return other
    return None


def _mentions(text: str) -> set[str]:
    return content_stems(text) | key_terms(text)


def _rivals(text: str, ground: str, question: str, answer: str, by_number: bool) -> set[str]:
    """What the sentence names in the answer's place: numbers (for a number or date) or names
    that neither the question, the answer nor the answer's own sentence mentions."""
    known = _mentions(question) | _mentions(answer) | _mentions(ground)
    if by_number:
        return numbers(text) - numbers(question) - numbers(answer) - numbers(ground)
    return {name for name in key_terms(text) - numbers(text) if not term_in(name, known)}


def answers_otherwise(alone: Reading, answer: str, ground: str) -> bool:
    """Whether the reader, shown the rival sentence alone, gave another answer: not a refusal,
    sharing no word with the answer ("Tampa Bay" and "Tampa, Florida" are one place; "Tampa
    Bay" and "Glendale, Arizona" are two), and not something the answer's own sentence already
    names ("Halep defeated Serena Williams": a rival's "Serena Williams" is the one she beat).
    Numbers decide where both answers have them: "37" is not "39"."""
    if alone.refused or not alone.answer:
        return False
    mine, theirs = numbers(answer), numbers(alone.answer)
    if mine and theirs:
        return not (mine <= theirs or theirs <= mine) and not theirs <= numbers(ground)
    mine, theirs = content_stems(answer), content_stems(alone.answer)
    if not mine or not theirs:
        return False
    return not mine & theirs and not theirs <= content_stems(ground)
