import pytest

from rag.answer.grounding import GroundingPolicy, as_written, missing_key_terms, names_what_was_asked
from rag.errors import InputError
from rag.schema import Evidence, Passage
from rag.settings import Settings


def test_near_miss_names_are_reported_missing(belarus_passages):
    assert missing_key_terms("Who is India's ambassador to Russia?", belarus_passages) == {"russia"}
    assert missing_key_terms("Who is the Indian ambassador to Belarus?", belarus_passages) == set()
    assert missing_key_terms("What happened in Minsk on March 11-13?", belarus_passages) == {"march", "11", "13"}


def evidence_for(sentence: str, title: str = "India and Belarus", context: str = "") -> Evidence:
    passage = Passage("002.txt", "002.txt#0", f"{context} {sentence}".strip(), 0, 0, 0.03, title, None)
    return Evidence(passage, sentence, 0, len(sentence), 0.8, 0.8, 0.8, context)


def test_a_sentence_about_another_round_is_not_about_what_was_asked():
    ev = evidence_for("The eighth round of Foreign Office Consultations was held in Minsk on 27 October 2025.")
    assert names_what_was_asked("When was the eighth round of consultations held?", ev)
    assert not names_what_was_asked("When was the seventh round of consultations held?", ev)


def test_names_are_looked_for_in_the_whole_passage_and_title_when_asked():
    khatyn = "He also visited the Khatyn memorial complex."
    ev = evidence_for(khatyn, title="Rajiv Gandhi in Belarus", context="Rajiv Gandhi came in 1985.")
    question = "Which memorial complex did Rajiv Gandhi visit in Belarus?"
    assert names_what_was_asked(question, ev, whole_passage=True)
    elsewhere = evidence_for(khatyn, title="Visitors to Minsk")
    assert not names_what_was_asked(
        "Which memorial did Narendra Modi visit in Pakistan?", elsewhere, whole_passage=True
    )


def test_words_as_written_fold_case_possessives_and_ordinals():
    assert as_written("India's 20th Summit, Minsk") == {"india", "20", "summit", "minsk"}


def test_every_threshold_is_in_the_policy_and_can_be_changed_by_name():
    policy = Settings().grounding
    assert policy == GroundingPolicy()
    stricter = policy.replace(evidence_sentences="3", max_lead_words="3")
    assert (stricter.evidence_sentences, stricter.max_lead_words) == (3, 3)
    assert policy.evidence_sentences == GroundingPolicy().evidence_sentences  # frozen: the original is unchanged
    with pytest.raises(InputError, match="unknown grounding setting 'min_score'"):
        policy.replace(min_score="1")
    with pytest.raises(InputError, match="expects a number"):
        policy.replace(max_lead_words="many")
