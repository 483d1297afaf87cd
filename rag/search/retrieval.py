"""Retrieve: dense (FAISS) and lexical (BM25) search fused by reciprocal rank, diversified."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..schema import Chunk, Passage
from ..settings import RETRIEVERS, Retriever
from ..text.words import numbers
from .dates import Period, parse_day, question_period, recent_period
from .embedding import Embedder
from .index import Index

if TYPE_CHECKING:
    import numpy as np

    from .qdrant_store import QdrantStore


def stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def lexical_text(chunk: Chunk) -> str:
    """What BM25 reads of a chunk: the article title gives it its topic."""
    return f"{chunk.title}\n{chunk.text}"


def lexical_terms(texts: list[str], as_ids: bool = False) -> Any:
    """The words BM25 counts, for both stores: bm25s's tokenizer with English stopwords and the
    Snowball stemmer; a list of words per text, or (as_ids) bm25s's ids and vocabulary."""
    import bm25s

    if not texts and not as_ids:
        return []
    return bm25s.tokenize(texts, stopwords="en", stemmer=stemmer(), show_progress=False, return_ids=as_ids)


def lexical_index(index: Index) -> Any:
    """BM25 over the chunks (title included), built once per loaded index."""

    def build() -> Any:
        import bm25s

        bm25 = bm25s.BM25()
        bm25.index(lexical_terms([lexical_text(c) for c in index.chunks], as_ids=True), show_progress=False)
        return bm25

    return index.computed("bm25", build)


def term_weights(index: Index) -> dict[str, float]:
    """Inverse document frequency of every content stem over the chunks, computed once per
    loaded index: "Kampala" says more about a sentence than "meeting"."""

    def build() -> TermWeights:
        from ..text.words import content_stems

        frequency: dict[str, int] = {}
        for chunk in index.chunks:
            for stem in content_stems(chunk.text):
                frequency[stem] = frequency.get(stem, 0) + 1
        total = len(index.chunks)
        weights = TermWeights({stem: math.log((total + 1) / (df + 0.5)) for stem, df in frequency.items()})
        weights.unseen = math.log((total + 1) / 0.5)
        return weights

    return index.computed("term_weights", build)


class TermWeights(dict):
    """IDF by stem; a stem the corpus never uses weighs most (looked up with [])."""

    unseen = 1.0

    def __missing__(self, stem: str) -> float:
        return self.unseen


def lexical_ranking(index: Index, query: str, limit: int) -> list[int]:
    """Chunk rows by BM25 score, best first; rows scoring zero are left out."""

    if not index.chunks:
        return []
    bm25 = lexical_index(index)
    tokens = lexical_terms([query])
    if not tokens or not tokens[0]:
        return []
    scores = bm25.get_scores(tokens[0])
    order = scores.argsort()[::-1][:limit]
    return [int(r) for r in order if scores[r] > 0]


def dense_ranking(index: Index, query_vector: np.ndarray, limit: int) -> list[int]:
    if not index.chunks:
        return []
    limit = min(limit, len(index.chunks))
    _, rows = index.faiss_index.search(query_vector.reshape(1, -1), limit)
    return [int(r) for r in rows[0] if r >= 0]


def fuse(rankings: list[list[int]], rrf_k: int, start: dict[int, float] | None = None) -> dict[int, float]:
    """Reciprocal rank fusion: robust to the two retrievers' incomparable score scales. `start`
    holds rankings already fused (by a search engine), which these add their votes to."""
    fused: dict[int, float] = dict(start or {})
    for ranking in rankings:
        for rank, row in enumerate(ranking):
            fused[row] = fused.get(row, 0.0) + 1.0 / (rrf_k + rank + 1)
    return fused


def diversify(ordered: list[int], sources: Sequence[str] | dict[int, str], k: int, max_per_source: int) -> list[int]:
    """Best-first pick that lets one article take at most max_per_source slots, unless no
    other article is left to fill them."""
    picked: list[int] = []
    per_source: dict[str, int] = {}
    held_back: list[int] = []
    for row in ordered:
        if len(picked) == k:
            break
        if per_source.get(sources[row], 0) >= max_per_source:
            held_back.append(row)
            continue
        picked.append(row)
        per_source[sources[row]] = per_source.get(sources[row], 0) + 1
    picked.extend(held_back[: k - len(picked)])
    return picked


def faiss_rankings(
    index: Index, query: str, query_vector: np.ndarray | None, candidates: int, retriever: str, as_of: date | None
) -> list[list[int]]:
    """Each retriever's best rows, articles published after `as_of` left out."""
    hidden = published_after(index, as_of) if as_of else set()
    # Ask each retriever for more when some rows will be filtered out afterwards.
    limit = candidates * 4 if hidden else candidates
    rankings = []
    if query_vector is not None:
        rankings.append([r for r in dense_ranking(index, query_vector, limit) if r not in hidden][:candidates])
    if retriever in (Retriever.HYBRID, Retriever.BM25):
        rankings.append([r for r in lexical_ranking(index, query, limit) if r not in hidden][:candidates])
    return rankings


def published_after(index: Index, day: date) -> set[int]:
    """Rows of chunks from articles published after `day`: unknown to a question asked then."""
    import numpy as np

    # ISO days compare as strings; undated chunks ("") are never after anything.
    return set(np.nonzero(chunk_dates(index) > day.isoformat())[0].tolist())


def chunk_dates(index: Index) -> np.ndarray:
    """Each chunk's ISO day ("" when undated), row by row."""
    import numpy as np

    return index.computed("dates", lambda: np.array([c.date or "" for c in index.chunks]))


def newest_day(index: Index) -> date | None:
    """The newest article's day, if any article is dated."""
    dates = chunk_dates(index)
    return index.computed("newest_day", lambda: parse_day(max(dates.tolist(), default="")))


def in_period(index: Index, rows: list[int], period: Period) -> list[int]:
    return [row for row in rows if period.contains(index.chunks[row].date)]


def retrieve_passages(
    index: Index,
    embedder: Embedder,
    query: str,
    *,
    k: int,
    candidates: int = 40,
    rrf_k: int = 60,
    max_per_source: int = 3,
    retriever: str = Retriever.HYBRID,
    as_of: date | None = None,
    date_aware: bool = True,
    store: QdrantStore | None = None,
) -> list[Passage]:
    """The k best passages. With `as_of`, articles published later are left out; with
    date_aware, chunks from the period the question names ("this week", "in March") get
    one more vote in the fusion, as do chunks holding every number the question states.
    Dense and BM25 search and their fusion run in FAISS and bm25s here, or inside the search
    engine `store` mirrors the index to."""
    if retriever not in RETRIEVERS:
        raise InputError(f"unknown retriever {retriever!r}; choose one of {', '.join(RETRIEVERS)}")
    query_vector = embedder.embed([query])[0] if retriever in (Retriever.HYBRID, Retriever.DENSE) else None
    if store is None:
        first = fuse(faiss_rankings(index, query, query_vector, candidates, retriever, as_of), rrf_k)
    else:
        row_of = index.rows_by_id
        ranked = store.fused_ranking(query, query_vector, candidates, rrf_k, retriever, as_of)
        first = {row_of[chunk_id]: score for chunk_id, score in ranked if chunk_id in row_of}
    period = None
    if date_aware:
        # A question asked as of a day, naming no period, is about the news up to that day.
        period = question_period(query, as_of or date.today(), newest_day(index)) or (
            recent_period(as_of) if as_of else None
        )
    # What the question pins down gets one more vote each: the period it names, and its
    # numbers ("Q1 2021", "Season 11") found verbatim in a passage.
    wanted = numbers(query) if retriever == Retriever.HYBRID else set()
    votes = []
    if period or wanted:
        shortlist = sorted(first, key=lambda r: (-first[r], r))
        if period:
            votes.append(in_period(index, shortlist, period))
        if wanted:
            votes.append([r for r in shortlist if wanted <= numbers(index.chunks[r].text)])
    fused = fuse(votes, rrf_k, start=first)
    ordered = sorted(fused, key=lambda r: (-fused[r], r))
    sources = {row: index.chunks[row].source for row in ordered}
    rows = diversify(ordered, sources, k, max_per_source)
    return [as_passage(index.chunks[row], round(float(fused[row]), 6)) for row in rows]


def as_passage(chunk: Chunk, score: float) -> Passage:
    """A chunk as retrieval hands it on, with its score."""
    return Passage(
        chunk.source, chunk.id, chunk.text, chunk.start, chunk.end, score, chunk.title, chunk.date, chunk.page
    )
