"""Comparison: points for each side, each a cited sentence that names its side.

The sides are read from the question ("Compare X and Y", "How does X differ from Y", "the
differences between X and Y"); each side is searched on its own (with what is compared), and
its best evidence sentences that name it are its points. A side the articles say nothing of is
said so; when neither has any, the reply is a refusal."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..schema import Evidence
from .shape import Composer, Event, Found, Turn, about, compose_refusal, gather, not_said

POINTS_PER_SIDE = 2
_SIDES = re.compile(
    r"^(?:please\s+)?(?:compare|contrast)\s+(?P<a>.+?)\s+(?:and|with|to|versus|vs\.?)\s+(?P<b>.+?)"
    r"(?:\s+(?:on|in|regarding|in\s+terms\s+of|when\s+it\s+comes\s+to)\s+(?P<on>.+))?$|"
    r"\b(?:differences?|similarit(?:y|ies))\s+between\s+(?P<a2>.+?)\s+and\s+(?P<b2>.+?)(?:\s+(?:on|in|regarding)\s+(?P<on2>.+))?$|"
    r"^how\s+(?:does|did|do|is|are|was|were)\s+(?P<a3>.+?)\s+(?:compare|differ)\s+(?:to|with|from)\s+(?P<b3>.+?)"
    r"(?:\s+(?:on|in|regarding)\s+(?P<on3>.+))?$|"
    r"^(?P<a4>.+?)\s+(?:versus|vs\.?)\s+(?P<b4>.+)$",
    re.I,
)


def sides(question: str) -> tuple[str, str, str] | None:
    """The two sides compared and what they are compared on ("" when the question says not)."""
    m = _SIDES.search(" ".join(question.strip().rstrip("?.!").split()))
    if not m:
        return None
    groups = m.groupdict()
    for suffix in ("", "2", "3", "4"):
        if groups.get(f"a{suffix}") and groups.get(f"b{suffix}"):
            return groups[f"a{suffix}"], groups[f"b{suffix}"], groups.get(f"on{suffix}") or ""
    return None


def answer(turn: Turn) -> Iterator[Event]:
    found = sides(turn.question)
    said = not_said(turn.question)
    if found is None:
        turn.answer.decision = "not understood: which two things are compared"
        compose_refusal(turn, said, [])
        return
    first, second, aspect = found
    evidence: list[Evidence] = []
    chosen: list[tuple[str, list[int]]] = []
    yield ("status", "searching")
    for side in (first, second):
        query = f"{side} {aspect}".strip()
        side_evidence = gather(turn, query, turn.search(query), sentences=8, words=200)
        named = [
            ev for ev in side_evidence if about(ev.text, side) >= 0.5 and not ev.text.rstrip("”\"’' ").endswith("?")
        ]
        positions = []
        for ev in named[:POINTS_PER_SIDE]:
            if ev not in evidence:
                evidence.append(ev)
            positions.append(evidence.index(ev))
        chosen.append((side, positions))
    if not any(positions for _, positions in chosen):
        turn.answer.decision = "no sentence names either side"
        compose_refusal(turn, said, evidence)
        return
    composer = Composer(turn, evidence)
    for side, positions in chosen:
        if not positions:
            yield composer.lead(f"- {side}: the articles do not say.")
        for i in positions:
            event = composer.add(Found(evidence[i].text, (i,), label=side, quoted=True))
            if event:
                yield event
    composer.finish()
    turn.answer.decision = "answered"
