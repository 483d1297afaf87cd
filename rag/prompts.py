"""Prompts: what the model is shown — the instructions, one worked example, the evidence
numbered as it will be cited — and the plain baseline's prompt over whole passages."""

from __future__ import annotations

from .evidence import Evidence
from .generation import Messages
from .schema import Passage

SYSTEM_PROMPT = (
    "You answer questions from numbered evidence sentences taken from news articles. Use only the "
    "evidence; never add facts from memory. Answer in a few words, then the number of the evidence "
    "sentence you used in brackets, like [2]."
)
# One worked example (about nothing in any corpus) shows a small model the answer's shape.
# It is a fixed prefix, so llama.cpp reuses its evaluated state from question to question.
EXAMPLE_TURNS = [
    {
        "role": "user",
        "content": "Evidence:\n[1] The new bridge over the river was opened on 12 May 2021.\n"
        "[2] Mayor Anna Nowak cut the ribbon, and the bridge cost 40 million euros.\n\n"
        "Question: Who opened the bridge?",
    },
    {"role": "assistant", "content": "Mayor Anna Nowak [2]."},
    {
        "role": "user",
        "content": "Evidence:\n[1] The new bridge over the river was opened on 12 May 2021.\n"
        "[2] Mayor Anna Nowak cut the ribbon, and the bridge cost 40 million euros.\n\n"
        "Question: When was the bridge opened?",
    },
    {"role": "assistant", "content": "On 12 May 2021 [1]."},
]


def evidence_block(evidence: list[Evidence]) -> str:
    """Numbered sentences only: every token of context costs prompt time on a CPU."""
    return "\n".join(f"[{n}] {ev.text}" for n, ev in enumerate(evidence, 1))


def build_messages(question: str, evidence_text: str) -> Messages:
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        *EXAMPLE_TURNS,
        {"role": "user", "content": f"Evidence:\n{evidence_text}\n\nQuestion: {question}"},
    ]


def baseline_messages(question: str, passages: list[Passage]) -> Messages:
    sources = "\n\n".join(f"[{n}] {p.text}" for n, p in enumerate(passages, 1))
    return [
        {"role": "system", "content": SYSTEM_PROMPT.replace("evidence", "sources")},
        {"role": "user", "content": f"Sources:\n{sources}\n\nQuestion: {question}"},
    ]
