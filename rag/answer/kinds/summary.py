"""Summary: a few points (3-6), each a cited sentence, covering the distinct main points.

A summary of one article ("the article about the tractor plant", "the interview with …", "the
latest article") is that article's most central sentences that say distinct things (and state
facts), in its order: the article is there, so nothing is left to decide. A summary of a topic
reads the sentences retrieved for it: the reader numbers those that state the main points, or
says NOT FOUND (the articles say nothing of it); sentences that say what a chosen one says are
skipped. Each point is its sentence, quoted: a summary
written by the reader would take ~7 s of writing here and could add facts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...cache import get_embedder
from ...schema import Evidence, Passage
from ..evidence import candidate_sentences, sentence_vectors_of
from .classify import request_removed
from .shape import (
    Event,
    Found,
    Turn,
    article_asked,
    article_passages,
    cited_numbers,
    compose,
    compose_refusal,
    covered,
    gather,
    not_said,
    read,
    refused,
    specific,
)

INSTRUCTION = (
    "Reply with the numbers of the 3 to 5 sentences that state the main points about {topic}, most important "
    "first, each number in brackets. If no sentence is about {topic}, reply NOT FOUND."
)
MIN_POINTS, MAX_POINTS = 3, 6
# the reader numbers three sentences of ten: a summary is filled to five with the best of the
# rest (distinct, from the articles it chose from), the facts a reader of the articles would list
FILL_POINTS = 5
TOPIC_SHARE = (
    0.75  # of the topic's words the evidence must hold ("the situation in Sri Lanka …" need not say "situation")
)
CANDIDATES = 10  # sentences the reader chooses the points from
SAME_POINT = 0.8  # cosine above which two sentences make one point
MMR_CENTRAL = 0.6  # how much an article's point is chosen for being central rather than new
_ENDS_QUESTION = re.compile(r"\?[”\"’']?\s*$")


def answer(turn: Turn) -> Iterator[Event]:
    asked = article_asked(turn)
    source = asked[0] if asked else None
    topic = request_removed(turn.question)
    if source is not None:
        evidence = central_sentences(article_passages(turn.index, source), CANDIDATES)
    else:
        evidence = gather(
            turn, topic, turn.passages, sentences=CANDIDATES, words=240, distinct=SAME_POINT, prefer=specific
        )
    said = not_said(turn.question)
    if not evidence:
        compose_refusal(turn, said, [], "no evidence")
        return
    yield ("status", "reading")
    if source is not None:
        # the article asked about is found: its central distinct sentences are its points, in its order
        yield from compose_points(
            turn, evidence, sorted(range(min(len(evidence), MAX_POINTS - 1)), key=lambda i: evidence[i].start)
        )
        return
    reply = "".join(read(turn, evidence, INSTRUCTION.format(topic=topic), max_tokens=24)).strip()
    turn.answer.reply = reply
    chosen = [] if refused(reply) else cited_numbers(reply, len(evidence))
    if not covered(topic, evidence, TOPIC_SHARE):
        # the articles do not speak of it ("Belarus's space programme"): whatever is chosen
        compose_refusal(turn, said, evidence, "not verified: the evidence does not name all of the topic")
        return
    # The evidence speaks of every word of the topic: a summary of it stands on those sentences
    # even when the reader chose none (the small reader answered NOT FOUND to "an overview of New
    # York City's tent shelter on Randall's Island" shown ten sentences about it).
    # The reader's choice first; then the best remaining sentences, if it chose too few.
    order = [*chosen, *(i for i in range(len(evidence)) if i not in chosen)]
    kept = distinct_points(evidence, [i for i in order if not evidence[i].text.rstrip("”\"’' ").endswith("?")])
    # a sentence the reader did not choose comes from an article a chosen one (or the best one)
    # comes from: a tent shelter in Tijuana shares every word but one with one on Randall's Island
    sources = {evidence[i].passage.source for i in chosen} or {evidence[0].passage.source}
    same = [i for i in kept if i not in chosen and evidence[i].passage.source in sources]
    chosen_kept = [i for i in kept if i in chosen]
    fill = same[: max(0, FILL_POINTS - len(chosen_kept))]
    # never fewer than three points while the evidence has them, from whichever article
    fill += [i for i in kept if i not in chosen_kept and i not in fill][
        : max(0, MIN_POINTS - len(chosen_kept) - len(fill))
    ]
    kept = chosen_kept + fill
    kept = kept[:MAX_POINTS]
    yield from compose_points(turn, evidence, kept)


def compose_points(turn: Turn, evidence: list[Evidence], kept: list[int]) -> Iterator[Event]:
    return compose(turn, evidence, (Found(evidence[i].text, (i,), quoted=True) for i in kept))


def central_sentences(passages: list[Passage], count: int) -> list[Evidence]:
    """An article's sentences that say most of what it says, each saying something the others
    do not: closest to the article's mean meaning, less what is already chosen (maximal
    marginal relevance). Interview questions are not its points."""
    import numpy as np

    candidates = [
        c
        for c in candidate_sentences(passages)
        if not _ENDS_QUESTION.search(c[0].text[c[1] - c[0].start : c[2] - c[0].start])
    ]
    if not candidates:
        return []
    texts, vectors, _ = sentence_vectors_of(candidates, get_embedder())
    centre = vectors.mean(axis=0)
    centre /= np.linalg.norm(centre) + 1e-12
    central = vectors @ centre
    chosen: list[int] = []
    while len(chosen) < min(count, len(candidates)):

        def gain(i: int) -> float:
            overlap = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            return MMR_CENTRAL * float(central[i]) - (1 - MMR_CENTRAL) * overlap + specific(texts[i])

        chosen.append(max((i for i in range(len(candidates)) if i not in chosen), key=gain))
    return [
        Evidence(p, texts[i], start, end, round(float(central[i]), 4), round(float(central[i]), 4), 0.0, previous)
        for i in chosen
        for p, start, end, previous in [candidates[i]]
    ]


def distinct_points(evidence: list[Evidence], order: list[int]) -> list[int]:
    """The positions in order, skipping a sentence that says what a kept one says."""
    vectors = get_embedder().embed_cached([ev.text for ev in evidence])
    kept: list[int] = []
    for i in order:
        if all(float(vectors[i] @ vectors[j]) < SAME_POINT for j in kept):
            kept.append(i)
    return kept
