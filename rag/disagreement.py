"""Disagreement: evidence that answers the same question otherwise.

A reader that picks one of two conflicting sentences silently hands the person a coin toss
as *the* answer (RGB's counterfactual set plants a wrong answer where a right one may also be
found). When another evidence sentence is about what was asked as much as the answer's own
sentence is, does not state the answer, and names something else of the same kind in its
place (another name where the answer is a name, another number where it is a number), the
reply keeps the reader's answer and quotes both, saying they disagree. It never refuses: the
person sees both sources and judges."""

from __future__ import annotations

from .schema import Evidence
from .words import content_stems, key_terms, numbers, term_in

# A rival must be nearly as relevant to the question as the answer's own sentence: without it,
# on realtimeqa 0–59, half of all answers were flagged, most for a sentence about a
# neighbouring event.
RELEVANCE_SHARE = 0.8


def disagreeing(question: str, answer: str, ground: Evidence, evidence: list[Evidence]) -> Evidence | None:
    """The first evidence sentence that answers the question otherwise, if any."""
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
        if len(asked & said) < max(2, on_topic - 1) or other.score < RELEVANCE_SHARE * ground.score:
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
