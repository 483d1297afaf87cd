"""Verify: keep only answer sentences that their cited evidence supports; renumber citations.

A sentence survives when every number and name in it, and everything it adds to the question,
appears in its cited quote, most of its content words do, and the quote is about the question.
A sentence with no valid marker is matched to the evidence sentence that supports it best."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chunking import split_sentences
from .evidence import Evidence, names_what_was_asked
from .schema import Citation
from .words import answer_type, content_stems, has_answer_type, key_terms, mentioned, normalize, term_in

MIN_CONTENT_SUPPORT = 0.6
MAX_ANSWER_SENTENCES = 2
MIN_TOPIC_COVERAGE = 0.25  # a cited sentence must share some of the question's words
_MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_REFUSAL = re.compile(
    r"\b(i (do not|don't|cannot|can't) (know|find|answer)|not (mentioned|provided|stated|available|found)|"
    r"no (information|mention)|does not (say|mention|specify|provide)|unknown)\b",
    re.IGNORECASE,
)
_DANGLING = re.compile(r"\s*[\[\]]+\s*(?=[.!?]*$)")  # "The meeting [ [1][2]." leaves a "["
_LEAD_IN = re.compile(r"^\s*(answer|response|a)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    text: str  # the sentence without markers
    cited: tuple[int, ...]  # 0-based evidence positions
    quoted: bool = False  # verbatim evidence, shown in quotation marks


def parse_claims(raw: str, evidence_count: int) -> list[Claim]:
    """Sentences of the model's reply with the evidence they cite (invalid markers dropped)."""
    text = _LEAD_IN.sub("", raw.strip())
    claims = []
    for s, e in split_sentences(text)[:MAX_ANSWER_SENTENCES]:
        sentence = text[s:e]
        cited = []
        for m in _MARKER.finditer(sentence):
            for n in m.group(1).split(","):
                if 1 <= int(n) <= evidence_count and int(n) - 1 not in cited:
                    cited.append(int(n) - 1)
        bare = _DANGLING.sub("", " ".join(_MARKER.sub("", sentence).split())).strip()
        if bare.strip(" .,;:-"):
            claims.append(Claim(bare, tuple(cited)))
    return claims


def unsupported_terms(sentence: str, quotes: str, exact: bool = False) -> set[str]:
    """Numbers and names in the sentence that the quotes never mention; with exact, that they
    never mention as the same word ("Belarus" is then not found in "Belarusian timber")."""
    quote_terms = mentioned(quotes)
    return {
        t
        for t in key_terms(sentence, sentence_starts=True)
        if (t not in quote_terms if exact else not term_in(t, quote_terms))
    }


def support(sentence: str, quotes: str, question: str = "") -> float:
    """Share of the sentence's content words found in the quotes; 0 if it invents a fact, or
    if anything it adds to the question (its actual answer) is not in the quotes."""
    if unsupported_terms(sentence, quotes):
        return 0.0
    stems = content_stems(sentence)
    if not stems:
        return 0.0
    quoted = mentioned(quotes)
    if question:
        asked = mentioned(question)
        added = {t for t in stems if not term_in(t, asked)}
        if not all(term_in(t, quoted) for t in added):
            return 0.0
    return len(stems & quoted) / len(stems)


def adds_information(claim: str, question: str) -> bool:
    """An answer must say something the question did not: "The round took place in Minsk" in
    reply to "Which round took place in Minsk?" answers nothing."""
    asked = mentioned(question)
    new = {t for t in mentioned(claim) if not term_in(t, asked)}
    return bool(new) and has_answer_type(claim, answer_type(question), question)


def is_refusal(text: str) -> bool:
    return bool(_REFUSAL.search(text))


def verify_claims(claims: list[Claim], evidence: list[Evidence], question: str) -> list[Claim]:
    """Supported claims only, each citing evidence that supports it and is about the question."""

    def on_topic(ev: Evidence) -> bool:
        return ev.coverage >= MIN_TOPIC_COVERAGE and names_what_was_asked(question, ev)

    kept: list[Claim] = []
    for claim in claims:
        if is_refusal(claim.text) or any(normalize(claim.text) == normalize(k.text) for k in kept):
            continue
        cited = tuple(i for i in claim.cited if on_topic(evidence[i]))
        if cited and support(claim.text, " ".join(evidence[i].text for i in cited), question) >= MIN_CONTENT_SUPPORT:
            kept.append(claim)
            continue
        # Uncited, or cited wrongly: the single evidence sentence that supports it best.
        candidates = [i for i in range(len(evidence)) if on_topic(evidence[i])]
        best = max(candidates, key=lambda i: support(claim.text, evidence[i].text, question), default=None)
        if best is not None and support(claim.text, evidence[best].text, question) >= MIN_CONTENT_SUPPORT:
            kept.append(Claim(claim.text, (best,)))
    return kept


def render(claims: list[Claim], evidence: list[Evidence]) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers numbered by first use, and the matching citations."""
    numbers: dict[int, int] = {}
    sentences = []
    for claim in claims:
        markers = []
        for i in claim.cited:
            numbers.setdefault(i, len(numbers) + 1)
            markers.append(f"[{numbers[i]}]")
        if claim.quoted:
            sentences.append(f"“{claim.text.strip()}” {''.join(markers)}".rstrip())
            continue
        body = claim.text.rstrip()
        end = body[-1] if body and body[-1] in ".!?" else "."
        body = body.rstrip(".!?")
        sentences.append(f"{body} {''.join(markers)}{end}" if markers else f"{body}{end}")
    citations = [citation(n, evidence[i]) for i, n in sorted(numbers.items(), key=lambda item: item[1])]
    return " ".join(sentences), citations


def citation(n: int, ev: Evidence) -> Citation:
    return Citation(
        n=n,
        source=ev.passage.source,
        chunk_id=ev.passage.chunk_id,
        quote=ev.text,
        start=ev.start,
        end=ev.end,
        score=ev.score,
        title=ev.passage.title,
        date=ev.passage.date,
    )
