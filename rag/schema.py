"""The nouns of the pipeline: documents -> chunks -> passages -> answer (with citations)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    id: str  # path relative to the corpus folder, with "/" separators
    title: str
    date: str | None  # ISO YYYY-MM-DD, or None
    text: str  # the file's full text; offsets everywhere refer to it
    body_start: int = 0  # where the text after metadata lines begins
    sha256: str = ""


@dataclass(frozen=True)
class Chunk:
    id: str  # "<doc id>#<n>"
    source: str  # document id
    text: str  # == document.text[start:end]
    start: int
    end: int
    title: str = ""
    date: str | None = None


@dataclass(frozen=True)
class Passage:
    source: str
    chunk_id: str
    text: str
    start: int
    end: int
    score: float
    title: str = ""
    date: str | None = None


@dataclass(frozen=True)
class Citation:
    n: int  # the marker number used in Answer.text: [n]
    source: str
    chunk_id: str
    quote: str  # verbatim: document.text[start:end] == quote
    start: int
    end: int
    score: float
    title: str = ""
    date: str | None = None


@dataclass
class Answer:
    question: str
    text: str
    answered: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds, by step
    warnings: list[str] = field(default_factory=list)
    model: str = ""
    search_query: str = ""  # the question as searched: a follow-up rewritten to stand alone
    generated_tokens: int = 0  # what the model wrote (0: no model was asked)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
