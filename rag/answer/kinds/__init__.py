"""Kinds of question and the answer shaped for each: a yes/no, a list, a summary, a reason,
what someone said, a timeline, a comparison. Each kind keeps its four parts (the evidence it
gathers, what the reader is asked, how each point is checked, how the points are composed) in
its own module behind one function, `answer(turn)`, that answering.py calls; a fact is
answering.py's own short-answer path. The checks every kind shares are in shape.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import comparison, listing, reason, said, summary, timeline, yesno
from .classify import COMPARISON, FACT, KINDS, LIST, REASON, SAID, SUMMARY, TIMELINE, YESNO, classify
from .shape import Event, Turn

SHAPES: dict[str, Callable[[Turn], Iterator[Event]]] = {
    YESNO: yesno.answer,
    LIST: listing.answer,
    SUMMARY: summary.answer,
    REASON: reason.answer,
    SAID: said.answer,
    TIMELINE: timeline.answer,
    COMPARISON: comparison.answer,
}

__all__ = ["FACT", "KINDS", "SHAPES", "Turn", "classify"]
