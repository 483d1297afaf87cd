"""Chunk: sentence-aware windows with overlap, sized in the embedder's own word-pieces."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ..schema import Chunk, Document, page_at
from ..text.vocabulary import ABBREVIATIONS

TokenCounter = Callable[[str], int]

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_LINE = re.compile(r"[^\n]+")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in text[start:end], whitespace trimmed.

    Line breaks always end a sentence (headlines, list items, paragraphs)."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text, start, end):
        cursor = line.start()
        for boundary in _BOUNDARY.finditer(text, line.start(), line.end()):
            word = text[cursor : boundary.start()].rsplit(None, 1)[-1:] or [""]
            stem = word[0].lower().lstrip("(\"'“‘")
            if stem in ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()):
                continue  # "Mr. Kumar", "J. Smith"
            spans.append((cursor, boundary.end()))
            cursor = boundary.end()
        spans.append((cursor, line.end()))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def chunk_document(
    document: Document,
    count_tokens: TokenCounter,
    max_tokens: int = 200,
    overlap_tokens: int = 48,
) -> list[Chunk]:
    """Greedy sentence packing: each chunk holds whole sentences up to max_tokens, and starts
    with the previous chunk's last sentences (up to overlap_tokens) so no fact is cut in two."""
    if overlap_tokens >= max_tokens:
        raise ValueError("overlap must be smaller than the chunk size")
    pieces = list(_pieces(document.text, document.body_start, count_tokens, max_tokens))
    chunks: list[Chunk] = []
    first = 0
    while first < len(pieces):
        last, used = first, 0
        while last < len(pieces) and used + pieces[last][2] <= max_tokens:
            used += pieces[last][2]
            last += 1
        last = max(last, first + 1)
        start, end = pieces[first][0], pieces[last - 1][1]
        chunks.append(
            Chunk(
                id=f"{document.id}#{len(chunks)}",
                source=document.id,
                text=document.text[start:end],
                start=start,
                end=end,
                title=document.title,
                date=document.date,
                page=page_at(document.text, start, 1) if document.pages else None,
            )
        )
        if last >= len(pieces):
            break
        # Step back over trailing sentences for the overlap, but always move forward.
        back, carried = last, 0
        while back - 1 > first and carried + pieces[back - 1][2] <= overlap_tokens:
            back -= 1
            carried += pieces[back][2]
        first = back
    return chunks


def _pieces(text: str, body_start: int, count_tokens: TokenCounter, max_tokens: int) -> Iterator[tuple[int, int, int]]:
    """Sentences as (start, end, tokens); a sentence longer than a chunk is cut at words."""
    for start, end in split_sentences(text, body_start):
        tokens = count_tokens(text[start:end])
        if tokens <= max_tokens:
            yield start, end, tokens
            continue
        words = [m.span() for m in re.finditer(r"\S+", text[start:end])]
        piece_start: int | None = None
        used = prev_end = 0
        for ws, we in words:
            w_tokens = count_tokens(text[start + ws : start + we])
            if piece_start is not None and used + w_tokens > max_tokens:
                yield start + piece_start, start + prev_end, used
                piece_start, used = None, 0
            if piece_start is None:
                piece_start = ws
            used += w_tokens
            prev_end = we
        if piece_start is not None:
            yield start + piece_start, start + prev_end, used
