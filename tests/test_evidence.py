from rag.evidence import Evidence, could_answer, missing_key_terms, select_evidence
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


def evidence_for(sentence: str, title: str = "India and Belarus", context: str = "") -> Evidence:
    passage = Passage("002.txt", "002.txt#0", f"{context} {sentence}".strip(), 0, 0, 0.03, title, None)
    return Evidence(passage, sentence, 0, len(sentence), 0.8, 0.8, 0.8, context)


def test_a_sentence_about_another_round_cannot_answer():
    ev = evidence_for("The eighth round of Foreign Office Consultations was held in Minsk on 27 October 2025.")
    assert could_answer("When was the eighth round of consultations held?", ev, "date")
    assert not could_answer("When was the seventh round of consultations held?", ev, "date")
    assert not could_answer("When will the next round of consultations be held?", ev, "date")


def test_names_are_looked_for_in_the_whole_passage_and_title():
    khatyn = "He also visited the Khatyn memorial complex."
    ev = evidence_for(khatyn, title="Rajiv Gandhi in Belarus", context="Rajiv Gandhi came in 1985.")
    assert could_answer("Which memorial complex did Rajiv Gandhi visit in Belarus?", ev, "name")
    elsewhere = evidence_for(khatyn, title="Visitors to Minsk")
    assert not could_answer("Which memorial complex did Narendra Modi visit in Pakistan?", elsewhere, "name")


def test_a_sentence_without_the_kind_of_fact_asked_for_cannot_answer():
    ev = evidence_for("Trade turnover between India and Belarus grew strongly.")
    assert not could_answer("How much did trade between India and Belarus grow?", ev, "number")
