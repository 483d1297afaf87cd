from rag.evidence import select_evidence
from rag.grounding import GroundingPolicy


def test_best_sentence_first_with_document_offsets(embedder, belarus_passages):
    ev = select_evidence(
        "Who is India's ambassador to Belarus?",
        belarus_passages,
        embedder,
        policy=GroundingPolicy(evidence_sentences=2),
    )
    assert ev[0].text.startswith("Indian Ambassador to Belarus, Ashok Kumar")
    full = " " * 100 + belarus_passages[0].text
    assert all(full[e.start : e.end] == e.text for e in ev)
    assert ev[0].score > ev[1].score
