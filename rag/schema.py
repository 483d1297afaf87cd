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
    sha256: str = ""  # of the file as it is on disk
    pages: int = 0  # a PDF's page count (its text is its pages joined by "\f"); 0: no pages


def page_at(text: str, offset: int, first_page: int | None) -> int | None:
    """The page of text[offset] when text starts on first_page (None: a document without pages)."""
    return None if first_page is None else first_page + text.count("\f", 0, max(offset, 0))


@dataclass(frozen=True)
class Chunk:
    id: str  # "<doc id>#<n>"
    source: str  # document id
    text: str  # == document.text[start:end]
    start: int
    end: int
    title: str = ""
    date: str | None = None
    page: int | None = None  # the PDF page the chunk starts on


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
    page: int | None = None  # the PDF page the passage starts on


@dataclass(frozen=True)
class Evidence:
    """One sentence of a retrieved passage, scored for the question: what the reader reads."""

    passage: Passage
    text: str  # verbatim sentence (document.text[start:end])
    start: int
    end: int
    score: float  # combined relevance to the question, 0..1
    dense: float
    coverage: float
    context: str = ""  # the sentence before it in its passage


@dataclass(frozen=True)
class Claim:
    """A sentence of the reply and the evidence it rests on."""

    text: str  # the sentence without markers
    cited: tuple[int, ...]  # 0-based evidence positions
    quoted: bool = False  # verbatim evidence, shown in quotation marks


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
    page: int | None = None  # the PDF page the quote starts on ("report.pdf, p. 3")


@dataclass(frozen=True)
class Point:
    """One point of an answer shaped for its kind of question (an item of a list, a point of a
    summary, a dated event of a timeline, one side's point of a comparison, a speaker's words):
    its text and the citation numbers (Answer.citations' n) it rests on."""

    text: str
    cited: tuple[int, ...]
    label: str = ""  # the event's date (timeline), the side (comparison), the speaker (what X said)
    quoted: bool = False  # the text is a cited sentence, verbatim


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
    # The evidence sentences the reader was shown, best first (what `rag eval` measures the
    # answer's presence in: a reader cannot state what it was never shown).
    evidence: list[str] = field(default_factory=list)
    # Why it answered or refused, in a few words ("answered", "the reader found no answer",
    # "not verified: …"), for eval reports and debugging.
    decision: str = ""
    # What the reader wrote, each part's reply joined by " | " (eval reports and debugging: a
    # refusal or a failed verification hides it from the answer's text).
    reply: str = ""
    signals: dict[str, float] = field(default_factory=dict)  # what the calibrated check read (decide.py)
    # The kind of question it was read as (kinds.py: "fact", "yesno", "list", "summary", "reason",
    # "said", "timeline", "comparison") and, for every kind but a fact, its points in order.
    kind: str = "fact"
    points: list[Point] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
