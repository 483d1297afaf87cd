"""Comparison: points for each side, each a cited sentence that names its side.

The sides are read from the question ("Compare X and Y", "How does X differ from Y", "the
differences between X and Y"); each side is searched on its own (with what is compared), and
its best evidence sentences that name it are its points. A side the articles say nothing of is
said so; when neither has any, the reply is a refusal."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...schema import Evidence
from .shape import Composer, Event, Found, Turn, about, compose_refusal, gather, not_said

POINTS_PER_SIDE = 2
_COMPARE = re.compile(r"^(?:please\s+)?(?:compare|contrast)\s+(?P<rest>.+)$", re.I)
_ASPECT = re.compile(r"\s+(?:on|in\s+terms\s+of|regarding|when\s+it\s+comes\s+to)\s+(?P<on>[^,]+)$", re.I)
_SOURCE = re.compile(r",?\s+(?:according\s+to|as\s+told\s+by|per)\s+.+$", re.I)
_OTHER_FORMS = re.compile(
    r"\b(?:differences?|similarit(?:y|ies))\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)(?:\s+(?:on|in|regarding)\s+(?P<on>.+))?$|"
    r"^(?:how|in\s+what\s+ways?)\s+(?:does|did|do|is|are|was|were)\s+(?P<a2>.+?)\s+(?:compare|differ)\s+"
    r"(?:to|with|from)\s+(?P<b2>.+?)(?:\s+(?:on|in|regarding)\s+(?P<on2>.+))?$|"
    r"^(?:how|in\s+what\s+ways?)\s+(?:does|did|do|is|are|was|were)\s+(?P<a4>.+?)\s+and\s+(?P<b4>.+?)\s+"
    r"(?:compare|differ)(?:\s+(?:on|in|regarding)\s+(?P<on4>.+))?$|"
    r"^(?P<a3>.+?)\s+(?:versus|vs\.?)\s+(?P<b3>.+)$",
    re.I,
)


def sides(question: str) -> tuple[str, str, str] | None:
    """The two sides compared and what they are compared on ("" when the question says not).
    "Compare A with B" splits at "with" before "and" or "to", which the sides often hold
    ("what Belarus sells to India with what it buys from India")."""
    text = _SOURCE.sub("", " ".join(question.strip().rstrip("?.!").split()))
    m = _COMPARE.match(text)
    if m:
        rest, aspect = m.group("rest"), ""
        found = _ASPECT.search(rest)
        if found:
            rest, aspect = rest[: found.start()], found.group("on")
        for separator in (" with ", " and ", " to ", " versus ", " vs. ", " vs "):
            if separator in rest:
                first, second = rest.split(separator, 1)
                return first.strip(), second.strip(), aspect.strip()
        return None
    m = _OTHER_FORMS.search(text)
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
        compose_refusal(turn, said, [], "not understood: which two things are compared")
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
        compose_refusal(turn, said, evidence, "no sentence names either side")
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
