"""Verify: keep only answer sentences that their cited evidence supports; renumber citations.

A sentence survives when every number and name in it, and everything it adds to the question,
appears in its cited quote, most of its content words do, and the quote is about the question.
A sentence with no valid marker is matched to the evidence sentence that supports it best."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chunking import split_sentences
from .evidence import Evidence
from .grounding import DEFAULT_POLICY, GroundingPolicy, on_topic, support
from .schema import Citation
from .words import normalize

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


def parse_claims(
    raw: str, evidence_count: int, max_sentences: int = DEFAULT_POLICY.max_answer_sentences
) -> list[Claim]:
    """Sentences of the model's reply with the evidence they cite (invalid markers dropped)."""
    text = _LEAD_IN.sub("", raw.strip())
    claims = []
    for s, e in split_sentences(text)[:max_sentences]:
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


def is_refusal(text: str) -> bool:
    return bool(_REFUSAL.search(text))


def verify_claims(
    claims: list[Claim], evidence: list[Evidence], question: str, policy: GroundingPolicy = DEFAULT_POLICY
) -> list[Claim]:
    """Supported claims only, each citing evidence that supports it and is about the question."""

    kept: list[Claim] = []
    for claim in claims:
        if is_refusal(claim.text) or any(normalize(claim.text) == normalize(k.text) for k in kept):
            continue
        cited = tuple(i for i in claim.cited if on_topic(question, evidence[i], policy))
        if (
            cited
            and support(claim.text, " ".join(evidence[i].text for i in cited), question) >= policy.min_content_support
        ):
            kept.append(claim)
            continue
        # Uncited, or cited wrongly: the single evidence sentence that supports it best.
        candidates = [i for i in range(len(evidence)) if on_topic(question, evidence[i], policy)]
        best = max(candidates, key=lambda i: support(claim.text, evidence[i].text, question), default=None)
        if best is not None and support(claim.text, evidence[best].text, question) >= policy.min_content_support:
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
