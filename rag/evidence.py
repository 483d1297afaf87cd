"""Evidence: the sentences of the retrieved passages that bear on the question, scored.

The generator sees only these, numbered; each one becomes a citation with a verbatim quote.
Their scores are also the basis of the refusal decision."""

from __future__ import annotations

from dataclasses import dataclass

from .chunking import split_sentences
from .embedding import Embedder
from .schema import Passage
from .words import content_stems, key_terms, term_in

DENSE_WEIGHT = 0.6  # the rest is lexical coverage of the question's content words
MIN_SENTENCE_CHARS = 12


@dataclass(frozen=True)
class Evidence:
    passage: Passage
    text: str  # verbatim sentence (document.text[start:end])
    start: int
    end: int
    score: float  # combined relevance to the question, 0..1
    dense: float
    coverage: float


def candidate_sentences(passages: list[Passage]) -> list[tuple[Passage, int, int]]:
    """Every sentence of every passage once (passages overlap), in passage order."""
    seen: set[tuple[str, int]] = set()
    out = []
    for passage in passages:
        for s, e in split_sentences(passage.text):
            start, end = passage.start + s, passage.start + e
            if (passage.source, start) in seen or e - s < MIN_SENTENCE_CHARS:
                continue
            seen.add((passage.source, start))
            out.append((passage, start, end))
    return out


def coverage(question_stems: set[str], sentence: str) -> float:
    """Share of the question's content words found in the sentence."""
    if not question_stems:
        return 0.0
    return len(question_stems & content_stems(sentence)) / len(question_stems)


def select_evidence(question: str, passages: list[Passage], embedder: Embedder, limit: int) -> list[Evidence]:
    """The best `limit` sentences, best first."""
    candidates = candidate_sentences(passages)
    if not candidates:
        return []
    texts = [p.text[s - p.start : e - p.start] for p, s, e in candidates]
    vectors = embedder.embed([question, *texts])
    dense = vectors[1:] @ vectors[0]
    q_stems = content_stems(question)
    scored = []
    for (passage, start, end), text, sim in zip(candidates, texts, dense, strict=True):
        cov = coverage(q_stems, text)
        score = DENSE_WEIGHT * float(sim) + (1 - DENSE_WEIGHT) * cov
        scored.append(Evidence(passage, text, start, end, round(score, 4), round(float(sim), 4), round(cov, 4)))
    scored.sort(key=lambda ev: -ev.score)
    return scored[:limit]


def missing_key_terms(question: str, passages: list[Passage]) -> set[str]:
    """Names and numbers the question asks about that no retrieved passage mentions.

    A question about "India's ambassador to Russia" answered from passages that never say
    "Russia" is a near-miss, however similar the rest of the wording."""
    wanted = key_terms(question)
    if not wanted:
        return set()
    found: set[str] = set()
    for passage in passages:
        found |= key_terms(passage.title + "\n" + passage.text) | content_stems(passage.title + " " + passage.text)
    return {term for term in wanted if not term_in(term, found)}
