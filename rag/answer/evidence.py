"""Evidence: the sentences of the retrieved passages that bear on the question, scored.

The generator sees only these, numbered; each one becomes a citation with a verbatim quote.
Their scores are also the basis of the refusal decision."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..ingest.chunking import split_sentences
from ..schema import Evidence, Passage
from ..search.embedding import Embedder
from ..text.words import answer_type, content_stems, has_answer_type
from .grounding import DEFAULT_POLICY, GroundingPolicy

if TYPE_CHECKING:
    import numpy as np


# Text that addresses the model rather than a reader ("Ignore previous instructions…", "System:
# you must reply…"). A reader that reads can be steered by it, so a passage holding it is not
# evidence at all: nothing it says, planted answer included, reaches the reader.
_INSTRUCTIONS = re.compile(
    r"\b(ignore|disregard|forget) (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts?)\b|"
    r"(^|\n|\. )(system|assistant) ?:|\byou must (reply|answer|respond|say)\b",
    re.IGNORECASE,
)


def addresses_the_model(text: str) -> bool:
    return bool(_INSTRUCTIONS.search(text))


def candidate_sentences(
    passages: list[Passage], min_chars: int = DEFAULT_POLICY.min_sentence_chars
) -> list[tuple[Passage, int, int, str]]:
    """Every sentence of every passage once (passages overlap), in passage order, with the
    sentence before it: "Its director is Lukasz Greinke." means little without it."""
    seen: set[tuple[str, int]] = set()
    out = []
    for passage in passages:
        if addresses_the_model(passage.text):
            continue
        previous = ""
        for s, e in split_sentences(passage.text):
            start, end = passage.start + s, passage.start + e
            sentence = passage.text[s:e]
            if (passage.source, start) not in seen and e - s >= min_chars:
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
    question_stems: set[str],
    sentence: str,
    context: str = "",
    weights: dict[str, float] | None = None,
    context_weight: float = DEFAULT_POLICY.context_weight,
) -> float:
    """Weighted share of the question's content words in the sentence (rare words weigh more);
    words found only in the sentence before it count half."""
    if not question_stems:
        return 0.0

    def weight(stems: set[str]) -> float:
        return sum(weights[t] for t in stems) if weights else float(len(stems))

    own = question_stems & content_stems(sentence)
    nearby = (question_stems & content_stems(context)) - own if context else set()
    return (weight(own) + context_weight * weight(nearby)) / weight(question_stems)


def select_evidence(
    question: str,
    passages: list[Passage],
    embedder: Embedder,
    weights: dict[str, float] | None = None,
    policy: GroundingPolicy = DEFAULT_POLICY,
) -> list[Evidence]:
    """The policy's `evidence_sentences` best sentences that fit in `evidence_words`, best first. weights: how informative
    each word stem is (inverse document frequency); without them every word counts the same."""
    candidates = candidate_sentences(passages, policy.min_sentence_chars)
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
        cov = coverage(q_stems, text, prev, weights, policy.context_weight)
        score = policy.dense_weight * sim + (1 - policy.dense_weight) * cov
        if kind and has_answer_type(text, kind, question):
            score += policy.type_bonus
        if text.rstrip("\"'”’)").endswith("?"):
            score -= policy.question_penalty  # an interviewer's question is not evidence
        scored.append(Evidence(passage, text, start, end, round(score, 4), round(sim, 4), round(cov, 4), prev))
    # Best first, with the passage's rank as a prior (policy.passage_weight).
    rank = {p.chunk_id: i for i, p in enumerate(passages)}
    priority = [ev.score + policy.passage_weight / (1 + rank[ev.passage.chunk_id]) for ev in scored]
    order = sorted(range(len(scored)), key=lambda i: -priority[i])
    # As many of the best as fit the word budget: every word is prompt time on a CPU, and short
    # sentences (news snippets) let more of them in than long ones.
    chosen: list[int] = []
    budget = policy.evidence_words
    for i in order:
        if len(chosen) >= policy.evidence_sentences:
            break
        if (
            policy.duplicate_similarity < 1
            and chosen
            and max(float(sentence_vectors[i] @ sentence_vectors[j]) for j in chosen) > policy.duplicate_similarity
        ):
            continue
        budget -= len(scored[i].text.split())
        if chosen and budget < 0:
            break
        chosen.append(i)
    return [scored[i] for i in chosen]
