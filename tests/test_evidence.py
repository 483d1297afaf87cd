from rag.evidence import select_evidence
from rag.grounding import GroundingPolicy
from rag.schema import Passage

TEXT = (
    "Indian Ambassador to Belarus, Ashok Kumar, held a meeting with Lukashenko. "
    "The weather in Minsk was cold. Trade turnover doubled to half a billion dollars."
)


def passages():
    return [Passage("001.txt", "001.txt#0", TEXT, 100, 100 + len(TEXT), 0.03, "India and Belarus", None)]


def test_best_sentence_first_with_document_offsets(embedder):
    ev = select_evidence(
        "Who is India's ambassador to Belarus?", passages(), embedder, policy=GroundingPolicy(evidence_sentences=2)
    )
    assert ev[0].text.startswith("Indian Ambassador to Belarus, Ashok Kumar")
    full = " " * 100 + TEXT
    assert all(full[e.start : e.end] == e.text for e in ev)
    assert ev[0].score > ev[1].score
