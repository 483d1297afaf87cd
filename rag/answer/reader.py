"""Read: what the reader's reply says — a short answer resting on one evidence sentence, a
sentence chosen as the answer, or that the evidence does not hold the answer.

The reader is the GGUF model (or a server behind --llm-url) shown the question and the
evidence (prompts.py); this module only understands its reply. Whether the reply is kept is
decided in decide.py, after verify.py has checked it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .prompts import NOT_FOUND

_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# The ways a model says the evidence holds no answer, besides the NOT FOUND it was asked for.
_REFUSAL = re.compile(
    r"\bnot\s+found\b|\b(i (do not|don't|cannot|can't) (know|find|answer)|not (mentioned|provided|stated|available|given)|"
    r"no (information|mention)|(does|do) not (say|mention|specify|provide|state|contain))\b",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(r"^\s*(answer|response|reply)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """The reader's reply, understood. `answer` is empty when it chose a sentence as the
    answer ("[2]" alone) or refused; `cited` holds 0-based evidence positions."""

    reply: str
    refused: bool
    answer: str = ""
    cited: tuple[int, ...] = ()
    # An answer in several pieces, each resting on its own sentence ("Ashok Kumar [1], Kasko [3]"):
    # each piece with the positions it cites. One piece: the whole answer.
    pieces: tuple[tuple[str, tuple[int, ...]], ...] = ()

    @property
    def chose_sentence(self) -> bool:
        return not self.refused and not self.answer and bool(self.cited)


def parse_reply(reply: str, evidence_count: int) -> Reading:
    """The first line of the reply: NOT FOUND (or a refusal in other words), or an answer and
    the sentence numbers it cites (numbers outside the evidence are dropped)."""
    text = _LEAD_IN.sub("", reply.strip())
    first = text.split("\n", 1)[0].strip()
    if not first or first.upper().startswith(NOT_FOUND) or _REFUSAL.search(first):
        return Reading(reply, refused=True)
    pieces = []
    # "A [1], B [3]." -> ("A", (0,)), ("B", (2,)); text after the last marker joins the last piece
    for segment in re.split(r"(?<=\])(?=[^\[\]]*\w)", first):
        numbers = [int(n) - 1 for m in _MARKER.finditer(segment) for n in m.group(1).split(",")]
        numbers = [n for n in dict.fromkeys(numbers) if 0 <= n < evidence_count]
        text = _clean(_MARKER.sub(" ", segment))
        if text or numbers:
            pieces.append((text, tuple(numbers)))
    cited = tuple(dict.fromkeys(n for _, numbers in pieces for n in numbers))
    answer = _clean(_MARKER.sub(" ", first))
    if not answer and not cited:
        return Reading(reply, refused=True)
    if len([t for t, _ in pieces if t]) < 2:
        pieces = [(answer, cited)]
    else:
        answer = ", ".join(t for t, _ in pieces if t)
    return Reading(reply, refused=False, answer=answer, cited=cited, pieces=tuple(pieces))


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" .,;:-[]\"'“”")
