"""List: every item the articles give, gathered across sentences and articles, each cited.

The reader writes the items one per line, each copied from a sentence and numbered; each item
is kept only when its sentence states it (its names, numbers and dates as written there),
and an item said twice is said once."""

from __future__ import annotations

from collections.abc import Iterator

from ..verify import adds_to_question
from .classify import request_removed
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
    stated_in,
)

INSTRUCTION = (
    "List every item the evidence gives, one per line, each copied word for word from its sentence and "
    "followed by that sentence's number, like:\n- first item [2]\n- second item [4]\n"
    "If no sentence answers it, reply NOT FOUND."
)
MAX_ITEM_WORDS = 16  # longer is a copied sentence, not an item


def answer(turn: Turn) -> Iterator[Event]:
    evidence = gather(turn, request_removed(turn.question), turn.passages, sentences=12, words=200, prefer=enumerates)
    if not evidence:
        turn.answer.decision = "no evidence"
        compose_refusal(turn, not_said(turn.question), [])
        return
    yield ("status", "reading")
    composer = Composer(turn, evidence)
    lines = []
    for line in reply_lines(read(turn, evidence, INSTRUCTION, max_tokens=160)):
        lines.append(line)
        if refused(line) and not composer.points:
            break
        item = item_of(line)
        if not item or len(item.split()) > MAX_ITEM_WORDS or not adds_to_question(item, turn.question):
            continue
        ground = stated_in(item, evidence, cited_numbers(line, len(evidence)))
        if ground is None:
            continue
        event = composer.add(Found(item, (ground,)))
        if event:
            yield event
    turn.answer.reply = "\n".join(lines)
    if not composer.points:
        turn.answer.decision = (
            "the reader found no answer" if refused(turn.answer.reply) else "not verified: no item stated"
        )
        compose_refusal(turn, not_said(turn.question), evidence)
        return
    composer.finish()
    turn.answer.decision = "answered"
