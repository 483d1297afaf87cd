"""What every kind of answer shares: the question's turn, asking the reader with the fact
path's cached prompt prefix, checking a point against the sentence it cites, and composing the
points into the answer's text, citations and stream.

A kind gathers evidence, asks the reader, checks each point and composes; these helpers keep
the checks the same for all of them: a point is kept only when its names, numbers and dates
are written in the sentence it cites (verify.holds), and a quoted point is that sentence."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ...cache import get_embedder
from ...schema import Answer, Chunk, Citation, Claim, Evidence, Passage, Point
from ...search.index import Index
from ...search.retrieval import as_passage, term_weights
from ...settings import Settings
from ...text.words import content_stems, content_units, indirect_question, normalize
from ..evidence import select_evidence
from ..generation import Remembered, TextGenerator
from ..prompts import NOT_FOUND, build_messages, evidence_block
from ..verify import citation, holds, render
from .classify import request_removed, topic_of

Event = tuple[str, Any]
_MARKER = re.compile(r"\[(\d+)\]")
QUOTE_MARKS = '"“”'
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")


@dataclass
class Turn:
    """One question of a kind other than a fact, and what answering it needs."""

    question: str
    kind: str
    passages: list[Passage]
    index: Index
    generator: TextGenerator
    settings: Settings
    answer: Answer
    search: Callable[[str], list[Passage]]  # hybrid retrieval as the question's was searched
    as_of: date | None = None
    started: float = field(default_factory=time.perf_counter)


@dataclass(frozen=True)
class Found:
    """A point found in the evidence: its words, the evidence positions it rests on, a label
    (a date, a side, a speaker) and whether the words are the sentence itself."""

    text: str
    grounds: tuple[int, ...]
    label: str = ""
    quoted: bool = False


def gather(
    turn: Turn,
    question: str,
    passages: list[Passage],
    sentences: int,
    words: int,
    distinct: float = 1.0,
    prefer: Callable[[str], float] | None = None,
) -> list[Evidence]:
    """The best evidence sentences for a kind that needs more of them than a fact does
    (`distinct` < 1: a sentence that close in meaning to a chosen one is skipped; `prefer`: a
    bonus for the sentences the kind wants, added to their scores before the best are taken)."""
    policy = replace(
        turn.settings.grounding,
        evidence_sentences=sentences * 3 if prefer else sentences,
        evidence_words=words * 4 if prefer else words,
        duplicate_similarity=distinct,
    )
    found = select_evidence(question, passages, get_embedder(), term_weights(turn.index), policy)
    if prefer is None:
        return found
    found.sort(key=lambda ev: -(ev.score + prefer(ev.text)))
    kept: list[Evidence] = []
    budget = words
    for ev in found[:sentences]:
        budget -= len(ev.text.split())
        if kept and budget < 0:
            break
        kept.append(ev)
    return kept


_SEPARATORS = re.compile(r",|;|\band\b|\bor\b|\bincluding\b|\bsuch as\b|:")
_FACT_WORDS = re.compile(r"\d|(?<=\s)[A-Z][\w’'-]+")


def enumerates(sentence: str) -> float:
    """A bonus for a sentence that lists things ("political, economic, cultural and consular")."""
    return ENUMERATION_BONUS * min(1.0, len(_SEPARATORS.findall(sentence)) / 4)


def specific(sentence: str) -> float:
    """A bonus for a sentence that states facts (numbers, names) rather than a generality."""
    return SPECIFIC_BONUS * min(1.0, len(_FACT_WORDS.findall(sentence)) / 4)


ENUMERATION_BONUS = 0.15
SPECIFIC_BONUS = 0.1


def read(turn: Turn, evidence: list[Evidence], instruction: str, max_tokens: int) -> Iterator[str]:
    """The reader's reply, piece by piece. The prompt starts as the fact path's does (its
    instructions and worked examples stay in llama.cpp's cache) and ends with the kind's
    instruction after the question."""
    evidence = fit(turn.generator, turn.question, evidence, instruction, max_tokens)
    messages = build_messages(turn.question, evidence_block(evidence))
    messages[-1] = {**messages[-1], "content": f"{messages[-1]['content']}\n{instruction}"}
    timings = turn.answer.timings
    t0 = time.perf_counter()
    pieces = 0
    for piece in turn.generator.complete(messages, max_tokens, turn.settings.temperature, stream=True):
        if piece:
            if not pieces:
                timings.setdefault("first_token", time.perf_counter() - t0)
            pieces += not isinstance(piece, Remembered)  # a remembered reply was not written now
            yield piece
    timings["generate"] = timings.get("generate", 0.0) + time.perf_counter() - t0
    turn.answer.generated_tokens += pieces


def fit(
    generator: TextGenerator, question: str, evidence: list[Evidence], instruction: str, max_tokens: int
) -> list[Evidence]:
    """Drop the weakest evidence until the prompt and the reply fit the model's context
    (in place: the numbers the reader cites stay those of the list the caller holds)."""
    budget = generator.context_size - max_tokens
    while len(evidence) > 1:
        messages = build_messages(question, evidence_block(evidence))
        messages[-1] = {**messages[-1], "content": f"{messages[-1]['content']}\n{instruction}"}
        if generator.prompt_tokens(messages) <= budget:
            break
        evidence.pop()
    return evidence


def not_said(question: str) -> str:
    """ "The articles do not say who …" (or, when the question will not turn into a clause,
    "The articles do not answer “…?”")."""
    asked = question.strip().rstrip("?.!").strip()
    clause = indirect_question(asked)
    return f"The articles do not say {clause}." if clause else f"The articles do not answer “{asked}?”"


def refused(reply: str) -> bool:
    return NOT_FOUND.lower() in reply.lower()[:40]


def cited_numbers(text: str, count: int) -> list[int]:
    """The 0-based evidence positions a reply cites, in order, once each."""
    return list(dict.fromkeys(int(n) - 1 for n in _MARKER.findall(text) if 0 < int(n) <= count))


def reply_lines(pieces: Iterator[str]) -> Iterator[str]:
    """Each whole line of a streamed reply as soon as it ends: the first point is shown while
    the reader writes the next."""
    pending = ""
    for piece in pieces:
        pending += piece
        while "\n" in pending:
            line, pending = pending.split("\n", 1)
            if line.strip():
                yield line
    if pending.strip():
        yield pending


def item_of(line: str) -> str:
    """A reply line's words without its bullet, markers and trailing punctuation."""
    text = _MARKER.sub(" ", _BULLET.sub("", line))
    return " ".join(text.split()).strip(" .,;:-\"'“”")


def stated_in(text: str, evidence: list[Evidence], cited: list[int]) -> int | None:
    """The evidence sentence that states a point: the one it cites first, else any other (a
    reader that numbers the wrong sentence is not punished), else None (the point is dropped)."""
    order = [*cited, *(i for i in range(len(evidence)) if i not in cited)]
    return next((i for i in order if holds(evidence[i].text, text)), None)


def previous_sentence(ev: Evidence) -> Evidence | None:
    """The sentence before an evidence sentence in its passage, as evidence (None: it opens it)."""
    if not ev.context:
        return None
    at = ev.passage.text.rfind(ev.context, 0, ev.start - ev.passage.start)
    if at < 0:
        return None
    start = ev.passage.start + at
    return Evidence(ev.passage, ev.context, start, start + len(ev.context), ev.score, ev.dense, ev.coverage)


def covered(topic: str, evidence: list[Evidence], share: float = 1.0) -> bool:
    """At least `share` of the topic's content words are in the evidence sentences (or the ones
    before them): the articles speak of it, not only of its neighbours."""
    wanted = content_stems(topic)
    found: set[str] = set()
    for ev in evidence:
        found |= content_stems(f"{ev.context} {ev.text}")
    return len(wanted & found) >= share * len(wanted)


def about(sentence: str, topic: str, weights: dict[str, float] | None = None) -> float:
    """Share of the topic's content words the sentence holds (0 when the topic has none); with
    `weights`, rare words weigh more ("Rousseau" and "trial" say more than "Patriot Front")."""
    wanted = content_units(topic)  # "high-level" is one word of the topic, held by "level"
    if not wanted:
        return 0.0
    found = content_stems(sentence)
    held = [unit for unit in wanted if unit & found]

    def weight(units: list[frozenset[str]]) -> float:
        return sum(max(weights[t] for t in unit) if weights is not None else 1.0 for unit in units)

    return weight(held) / weight(wanted)


class Composer:
    """Builds the answer point by point: each point is rendered as soon as it is known (its
    citation numbers given in order of first use), streamed as a line, and kept."""

    def __init__(self, turn: Turn, evidence: list[Evidence]) -> None:
        self.turn = turn
        self.evidence = evidence
        self.numbers: dict[tuple[str, int], int] = {}  # (source, start) -> citation number
        self.citations: list[Citation] = []
        self.lines: list[str] = []
        self.points: list[Point] = []
        self.said: set[str] = set()

    def _cite(self, ev: Evidence) -> int:
        key = (ev.passage.source, ev.start)
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            self.citations.append(citation(self.numbers[key], ev))
        return self.numbers[key]

    def lead(self, text: str) -> Event:
        self.lines.append(text)
        return ("token", text)

    def add(self, found: Found) -> Event | None:
        """The point rendered and streamed; None when it says what an earlier point said."""
        key = normalize(found.text)
        if not key or key in self.said:
            return None
        self.said.add(key)
        numbers = tuple(self._cite(self.evidence[g]) for g in found.grounds)
        markers = "".join(f"[{n}]" for n in numbers)
        # a quoted sentence that opens or closes a quotation of its own keeps only its words
        words = "“" + found.text.strip().strip(QUOTE_MARKS) + "”" if found.quoted else found.text.strip()
        label = f"{found.label}: " if found.label else ""
        line = f"- {label}{words} {markers}".rstrip()
        self.points.append(Point(found.text.strip(), numbers, found.label, found.quoted))
        self.lines.append(line)
        self.turn.answer.timings.setdefault("first_point", time.perf_counter() - self.turn.started)
        return ("token", ("\n" if len(self.lines) > 1 else "") + line)

    def finish(self) -> None:
        answer = self.turn.answer
        answer.text = "\n".join(self.lines)
        answer.citations = self.citations
        answer.points = self.points
        answer.answered = bool(self.points)
        answer.evidence = [ev.text for ev in self.evidence]  # what the points were chosen from


def compose(turn: Turn, evidence: list[Evidence], points: Iterable[Found]) -> Iterator[Event]:
    """The answer of these points, each streamed as it is added."""
    composer = Composer(turn, evidence)
    for found in points:
        event = composer.add(found)
        if event:
            yield event
    composer.finish()
    turn.answer.decision = "answered"


def article_passages(index: Index, source: str) -> list[Passage]:
    """One article's chunks as passages, in its order (grouped once per loaded index: a scan of
    every chunk per question would grow with the corpus)."""

    def by_source() -> dict[str, list[Chunk]]:
        grouped: dict[str, list[Chunk]] = {}
        for chunk in index.chunks:
            grouped.setdefault(chunk.source, []).append(chunk)
        return {name: sorted(chunks, key=lambda c: c.start) for name, chunks in grouped.items()}

    return [as_passage(chunk, 1.0) for chunk in index.computed("chunks_by_source", by_source).get(source, [])]


# "the article about X", "the CNN report on X", "the interview with X", "the latest article",
# "Ambassador Kasko's interview"
_ONE_ARTICLE = re.compile(
    r"\b(?i:the|this|that)\s+(?:(?P<latest>(?i:latest|newest|most\s+recent|last|first|oldest|earliest))\s+)?"
    r"(?:(?P<outlet>[A-Z][\w.&-]*)\s+)?(?i:article|story|report|piece|interview|news\s+item)\b"
    r"(?:\s+(?i:about|on|with|of|regarding|from)\s+(?P<topic>.+))?|"
    r"\b(?P<owner>(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*)['’]s\s+(?i:article|story|report|interview)\b",
)
# what joins the topic to the article it is read in: "… described in", "…, according to", "… in"
_READ_IN = re.compile(
    r"[\s,]+(?:(?:as\s+)?(?:described|reported|told|given|set\s+out)\s+)?(?:in|by|from|according\s+to)?\s*$", re.I
)


@dataclass(frozen=True)
class ArticleNamed:
    """How a question names one article: "latest"/"first" or a description, and what it asks of it."""

    description: str  # "the tractor plant", "CNN Anthony Albanese's victory …", "Ambassador Kasko"
    topic: str  # what is asked of the article ("the high-level visits …"); "" for the whole article
    latest: str = ""  # "latest", "first" …: the article is chosen by its date


def article_named(question: str) -> ArticleNamed | None:
    """The article a question names ("the article about the tractor plant", "the CNN report on
    …", "Ambassador Kasko's interview"), as written; None: the question asks of a topic."""
    m = _ONE_ARTICLE.search(question)
    if not m:
        return None
    description = " ".join(filter(None, (m.group("outlet"), m.group("topic"), m.group("owner"))))
    return ArticleNamed(
        description.rstrip("?.!"), topic_of(_READ_IN.sub("", question[: m.start()])), m.group("latest") or ""
    )


def article_asked(turn: Turn) -> tuple[str, str] | None:
    """The document the question names and what is asked of it: the newest or oldest for "the
    latest/first article", else the article whose title and text hold most of the description
    (rare words weighing more: only the interview names "Kasko", and not in its title), the
    best retrieved for the description and the question among equals."""
    named = article_named(turn.question)
    if named is None:
        return None
    documents = turn.index.documents
    if named.latest:
        dated = [(d.get("date") or "", name) for name, d in documents.items() if d.get("date")]
        if dated:
            newest = named.latest.lower() not in ("first", "oldest", "earliest")
            return (max(dated) if newest else min(dated))[1], named.topic
    wanted = content_stems(named.description or named.topic) or content_stems(turn.question)
    found_by_description = turn.search(named.description) if named.description else []
    rank_score: dict[str, float] = {}
    for passages in (found_by_description, turn.passages):
        best: dict[str, float] = {}  # an article counts once, at its best passage's rank
        for rank, passage in enumerate(passages):
            best.setdefault(passage.source, 1 / (1 + rank))
        for name, score in best.items():
            rank_score[name] = rank_score.get(name, 0.0) + score
    for name, meta in documents.items():  # a title that names it, retrieved or not
        if wanted & content_stems(meta.get("title", "")):
            rank_score.setdefault(name, 0.0)
    if not rank_score:
        return None
    weights = term_weights(turn.index)
    total = sum(weights.get(t, 1.0) for t in wanted) or 1.0

    def held(name: str) -> float:
        text = " ".join(
            [documents.get(name, {}).get("title", ""), *(p.text for p in article_passages(turn.index, name))]
        )
        return round(sum(weights.get(t, 1.0) for t in wanted & content_stems(text)) / total, 3)

    return max(rank_score, key=lambda name: (held(name), rank_score[name])), named.topic


def scope(turn: Turn) -> tuple[list[Passage], str]:
    """Where a kind looks and for what: the article the question names ("… described in the
    report on X") and what is asked of it, else the passages retrieved and the question's topic."""
    asked = article_asked(turn)
    if asked is None:
        return turn.passages, request_removed(turn.question)
    source, topic = asked
    return article_passages(turn.index, source), topic or request_removed(turn.question)


def compose_refusal(turn: Turn, said: str, evidence: list[Evidence], why: str, closest: int = 2) -> None:
    """ "The articles do not say …", then the closest sentences they hold, quoted; `why` is the
    decision recorded with it."""
    turn.answer.decision = why
    quotes, citations = render([Claim(ev.text, (i,), quoted=True) for i, ev in enumerate(evidence[:closest])], evidence)
    turn.answer.text = f"{said} The closest they come: {quotes}" if quotes else said
    turn.answer.citations = citations
    turn.answer.answered = False
    turn.answer.evidence = [ev.text for ev in evidence]
