from rag.evidence import missing_key_terms, select_evidence
from rag.schema import Passage

TEXT = (
    "Indian Ambassador to Belarus, Ashok Kumar, held a meeting with Lukashenko. "
    "The weather in Minsk was cold. Trade turnover doubled to half a billion dollars."
)


def passages():
    return [Passage("001.txt", "001.txt#0", TEXT, 100, 100 + len(TEXT), 0.03, "India and Belarus", None)]


def test_best_sentence_first_with_document_offsets(embedder):
    ev = select_evidence("Who is India's ambassador to Belarus?", passages(), embedder, limit=2)
    assert ev[0].text.startswith("Indian Ambassador to Belarus, Ashok Kumar")
    full = " " * 100 + TEXT
    assert all(full[e.start : e.end] == e.text for e in ev)
    assert ev[0].score > ev[1].score


def test_near_miss_names_are_reported_missing():
    assert missing_key_terms("Who is India's ambassador to Russia?", passages()) == {"russia"}
    assert missing_key_terms("Who is the Indian ambassador to Belarus?", passages()) == set()
    assert missing_key_terms("What happened in Minsk on March 11-13?", passages()) == {"march", "11", "13"}
