"""List: every item the articles give, gathered across sentences and articles, each cited.

The reader writes the items one per line, each copied from a sentence and numbered; each item
is kept only when its sentence states it (its names, numbers and dates as written there),
and an item said twice is said once."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..verify import adds_to_question
from .shape import (
    Composer,
    Event,
    Found,
    Turn,
    cited_numbers,
    compose_refusal,
    enumerates,
    gather,
    item_of,
    not_said,
    read,
    refused,
    reply_lines,
    scope,
    stated_in,
)

INSTRUCTION = (
    "List every item the evidence gives, one per line, each copied word for word from its sentence and "
    "followed by that sentence's number, like:\n- first item [2]\n- second item [4]\n"
    "If no sentence answers it, reply NOT FOUND."
)
MAX_ITEM_WORDS = 16  # longer is a copied sentence, not an item
WHOLE_SENTENCE = 0.7  # an "item" with this share of its sentence's words is the sentence


_PIECE = re.compile(r"([^\[\]]*?)\s*((?:\[\d+\]\s*)+)")


def items_of(line: str, count: int) -> list[tuple[str, list[int]]]:
    """A reply line's items with the sentences each cites: one item a line ("- dump trucks
    [3]"), or several on one ("Arizona [2], Nevada [2], Mexico [2]")."""
    pieces = [(item_of(m.group(1)), cited_numbers(m.group(2), count)) for m in _PIECE.finditer(line)]
    pieces = [(item, cited) for item, cited in pieces if item]
    return pieces or [(item_of(line), cited_numbers(line, count))]


def answer(turn: Turn) -> Iterator[Event]:
    passages, topic = scope(turn)
    evidence = gather(turn, topic, passages, sentences=12, words=200, prefer=enumerates)
    if not evidence:
        compose_refusal(turn, not_said(turn.question), [], "no evidence")
        return
    yield ("status", "reading")
    composer = Composer(turn, evidence)
    lines = []
    for line in reply_lines(read(turn, evidence, INSTRUCTION, max_tokens=160)):
        lines.append(line)
        if refused(line) and not composer.points:
            break
        for item, cited in items_of(line, len(evidence)):
            if not item or len(item.split()) > MAX_ITEM_WORDS or not adds_to_question(item, turn.question):
                continue
            ground = stated_in(item, evidence, cited)
            if ground is None or len(item.split()) > WHOLE_SENTENCE * len(evidence[ground].text.split()):
                continue  # not stated, or its whole sentence copied: not an item
            event = composer.add(Found(item, (ground,)))
            if event:
                yield event
    turn.answer.reply = "\n".join(lines)
    if not composer.points:
        why = "the reader found no answer" if refused(turn.answer.reply) else "not verified: no item stated"
        compose_refusal(turn, not_said(turn.question), evidence, why)
        return
    composer.finish()
    turn.answer.decision = "answered"
