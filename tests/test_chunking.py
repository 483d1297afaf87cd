import itertools

from rag.ingest.chunking import chunk_document, split_sentences
from rag.ingest.documents import parse_document


def words(text: str) -> int:
    return len(text.split())


def test_sentences_keep_abbreviations_and_break_lines():
    text = "Mr. Kumar met Dr. Smith in the U.S. capital. They talked.\nA headline\nNext one? Yes!"
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ["Mr. Kumar met Dr. Smith in the U.S. capital.", "They talked.", "A headline", "Next one?", "Yes!"]


def test_chunks_cover_the_body_with_overlap_and_exact_spans():
    body = " ".join(f"Sentence number {i} says something." for i in range(40))
    doc = parse_document("d.txt", f" date 2025-01-01 {body}".encode())
    chunks = chunk_document(doc, words, max_tokens=20, overlap_tokens=5)
    assert len(chunks) > 5
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert words(c.text) <= 20
        assert c.source == "d.txt" and c.date == "2025-01-01"
    assert chunks[0].start == doc.body_start
    assert chunks[-1].end == len(doc.text)
    for prev, nxt in itertools.pairwise(chunks):
        assert nxt.start < prev.end  # overlap: no sentence falls between two chunks
        assert nxt.start > prev.start  # always moving forward


def test_a_sentence_longer_than_a_chunk_is_cut_at_words():
    doc = parse_document("long.txt", ("word " * 50).encode())
    chunks = chunk_document(doc, words, max_tokens=20, overlap_tokens=5)
    assert all(words(c.text) <= 20 for c in chunks)
    assert sum(words(c.text) for c in chunks) >= 50
