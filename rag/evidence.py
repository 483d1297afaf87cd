"""Evidence: the sentences of the retrieved passages that bear on the question, scored.

The generator sees only these, numbered; each one becomes a citation with a verbatim quote.
Their scores are also the basis of the refusal decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .chunking import split_sentences
from .embedding import Embedder
from .schema import Passage
from .words import answer_type, content_stems, has_answer_type, key_terms, mentioned, sequence_words, term_in

if TYPE_CHECKING:
    import numpy as np

DENSE_WEIGHT = 0.6  # the rest is lexical coverage of the question's content words
MIN_SENTENCE_CHARS = 12
CONTEXT_WEIGHT = 0.5
KEY_TERM_SHARE = 0.5
QUESTION_PENALTY = 0.2
TYPE_BONUS = 0.1  # the sentence holds the kind of fact asked for (a date for "when"…)


@dataclass(frozen=True)
class Evidence:
    passage: Passage
    text: str  # verbatim sentence (document.text[start:end])
    start: int
    end: int
    score: float  # combined relevance to the question, 0..1
    dense: float
    coverage: float
    context: str = ""  # the sentence before it in its passage


def candidate_sentences(passages: list[Passage]) -> list[tuple[Passage, int, int, str]]:
    """Every sentence of every passage once (passages overlap), in passage order, with the
    sentence before it: "Its director is Lukasz Greinke." means little without it."""
    seen: set[tuple[str, int]] = set()
    out = []
    for passage in passages:
        previous = ""
        for s, e in split_sentences(passage.text):
            start, end = passage.start + s, passage.start + e
            sentence = passage.text[s:e]
            if (passage.source, start) not in seen and e - s >= MIN_SENTENCE_CHARS:
                seen.add((passage.source, start))
                out.append((passage, start, end, previous))
            previous = sentence
    return out


def sentence_vectors_of(
    candidates: list[tuple[Passage, int, int, str]], embedder: Embedder
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The candidates' texts, their vectors and those of the sentences before them. Sentences
    are embedded once and remembered; "with the sentence before it" is the normalized sum of
    the two, which costs no second pass through the model."""
    texts = [p.text[s - p.start : e - p.start] for p, s, e, _ in candidates]
    previous = [prev or text for (_, _, _, prev), text in zip(candidates, texts, strict=True)]
    return texts, embedder.embed_cached(texts), embedder.embed_cached(previous)


def coverage(
    question_stems: set[str], sentence: str, context: str = "", weights: dict[str, float] | None = None
) -> float:
    """Weighted share of the question's content words in the sentence (rare words weigh more);
    words found only in the sentence before it count half."""
    if not question_stems:
        return 0.0

    def weight(stems: set[str]) -> float:
        return sum(weights[t] for t in stems) if weights else float(len(stems))

    own = question_stems & content_stems(sentence)
    nearby = (question_stems & content_stems(context)) - own if context else set()
    return (weight(own) + CONTEXT_WEIGHT * weight(nearby)) / weight(question_stems)


def select_evidence(
    question: str,
    passages: list[Passage],
    embedder: Embedder,
    limit: int,
    weights: dict[str, float] | None = None,
) -> list[Evidence]:
    """The best `limit` sentences, best first. weights: how informative each word stem is
    (inverse document frequency); without them every word counts the same."""
    candidates = candidate_sentences(passages)
    if not candidates:
        return []
    import numpy as np

    question_vector = embedder.embed([question])[0]
    texts, sentence_vectors, prev_vectors = sentence_vectors_of(candidates, embedder)
    joined = sentence_vectors + prev_vectors
    joined /= np.linalg.norm(joined, axis=1, keepdims=True) + 1e-12
    alone, with_context = sentence_vectors @ question_vector, joined @ question_vector
    q_stems = content_stems(question)
    kind = answer_type(question)
    scored = []
    for i, ((passage, start, end, prev), text) in enumerate(zip(candidates, texts, strict=True)):
        sim = max(float(alone[i]), float(with_context[i]))
        cov = coverage(q_stems, text, prev, weights)
        score = DENSE_WEIGHT * sim + (1 - DENSE_WEIGHT) * cov
        if kind and has_answer_type(text, kind, question):
            score += TYPE_BONUS
        if text.rstrip("\"'”’)").endswith("?"):
            score -= QUESTION_PENALTY  # an interviewer's question is not evidence
        scored.append(Evidence(passage, text, start, end, round(score, 4), round(sim, 4), round(cov, 4), prev))
    scored.sort(key=lambda ev: -ev.score)
    return scored[:limit]


def names_what_was_asked(
    question: str, ev: Evidence, whole_passage: bool = False, share: float = KEY_TERM_SHARE
) -> bool:
    """The sentence (with the one before it, or its whole passage and title) mentions at least
    `share` of the names and numbers in the question, and every sequence word: "Pakistan's
    defence minister" is not answered by a sentence about Belarus's defence minister, nor "the
    seventh round" by one about the eighth."""
    if not sequence_words(question) <= sequence_words(f"{ev.passage.title} {ev.context} {ev.text}"):
        return False
    wanted = key_terms(question)
    if not wanted:
        return True
    here = mentioned(f"{ev.passage.title} {ev.passage.text}" if whole_passage else f"{ev.context} {ev.text}")
    return sum(term_in(t, here) for t in wanted) >= share * len(wanted)


def could_answer(question: str, ev: Evidence, kind: str | None) -> bool:
    """A sentence that may hold the answer: a fact of the asked kind (a date for "when"…) that
    the question does not state, in a passage about what was asked (names looked for in the
    whole passage and its title: "He also visited the Khatyn memorial" names nobody)."""
    return has_answer_type(ev.text, kind, question) and names_what_was_asked(question, ev, whole_passage=True)


def missing_key_terms(question: str, passages: list[Passage]) -> set[str]:
    """Names and numbers the question asks about that no retrieved passage mentions.

    A question about "India's ambassador to Russia" answered from passages that never say
    "Russia" is a near-miss, however similar the rest of the wording."""
    wanted = key_terms(question)
    if not wanted:
        return set()
    found: set[str] = set()
    for passage in passages:
        found |= mentioned(f"{passage.title}\n{passage.text}")
    return {term for term in wanted if not term_in(term, found)}
