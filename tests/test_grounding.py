import pytest

from rag.errors import InputError
from rag.evidence import Evidence
from rag.grounding import (
    GroundingPolicy,
    adds_information,
    could_answer,
    counts_what_was_asked,
    evidence_refuses,
    is_lead,
    missing_key_terms,
    support,
    unsupported_terms,
)
from rag.schema import Passage
from rag.settings import Settings
from rag.verify import Claim


def test_near_miss_names_are_reported_missing(belarus_passages):
    assert missing_key_terms("Who is India's ambassador to Russia?", belarus_passages) == {"russia"}
    assert missing_key_terms("Who is the Indian ambassador to Belarus?", belarus_passages) == set()
    assert missing_key_terms("What happened in Minsk on March 11-13?", belarus_passages) == {"march", "11", "13"}


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


def test_invented_names_and_numbers_get_no_support():
    quote = "Indian Ambassador to Belarus, Ashok Kumar, met Lukashenko in Minsk."
    assert support("Ashok Kumar is the ambassador", quote) == 1.0
    assert support("Rahul Singh is the ambassador", quote) == 0.0
    assert support("Trade reached 900 million dollars", "Trade reached 500 million dollars.") == 0.0
    # exact: a related form of the word is not the word
    assert unsupported_terms("The governor is Belarus", "Belarusian timber") == set()
    assert unsupported_terms("The governor is Belarus", "Belarusian timber", exact=True) == {"belarus"}


def test_what_an_answer_adds_to_the_question_must_be_quoted():
    quote = "The eighth round of consultations took place in Minsk in October."
    question = "Which round of consultations took place in Minsk?"
    assert support("The third round of consultations took place in Minsk", quote, question) == 0.0
    assert support("The eighth round took place in Minsk", quote, question) == 1.0


def test_a_lead_rests_on_a_sentence_naming_everything_asked():
    text = "In 1985, the then Prime Minister of India Rajiv Gandhi made his first visit to Belarus."
    ev = [Evidence(Passage("a.txt", "a.txt#0", text, 0, len(text), 0.5, "Visits"), text, 0, len(text), 0.6, 0.6, 0.5)]
    assert is_lead(Claim("In 1985", (0,)), ev, ev, "When did Rajiv Gandhi first visit Belarus?")
    # the sentence names India but not Lukashenko: quotable, but not the ground for "In 1985"
    assert not is_lead(Claim("In 1985", (0,)), ev, ev, "When did Lukashenko visit India?")
    # a copy of the evidence is not a lead: the quotes already show it
    assert not is_lead(Claim(text, (0,)), ev, ev, "When did Rajiv Gandhi first visit Belarus?")
    # nor is an answer resting on a sentence the evidence does not rank first
    assert not is_lead(Claim("In 1985", (0,)), [], ev, "When did Rajiv Gandhi first visit Belarus?")


def test_a_date_lead_names_a_calendar_date():
    text = "Ashok Kumar met Lukashenko on Tuesday, November 4, at the Palace of Independence."
    ev = [Evidence(Passage("a.txt", "a.txt#0", text, 0, len(text), 0.5), text, 0, len(text), 0.6, 0.6, 0.5)]
    question = "When did Ashok Kumar meet Lukashenko?"
    assert is_lead(Claim("On November 4", (0,)), ev, ev, question)
    assert not is_lead(Claim("On Tuesday", (0,)), ev, ev, question)
    # a weekday still answers a question that asks for a name, not a date
    assert is_lead(Claim("Lukashenko", (0,)), ev, ev, "Who did Ashok Kumar meet on Tuesday?")


def test_a_one_word_answer_is_a_name_though_it_starts_the_reply():
    text = "The meeting took place in Kampala, the capital of Uganda, on 15 October."
    ev = [Evidence(Passage("a.txt", "a.txt#0", text, 0, len(text), 0.5), text, 0, len(text), 0.6, 0.6, 0.5)]
    assert is_lead(Claim("Kampala", (0,)), ev, ev, "Where did the meeting take place?")
    # a month opening the reply is a date, not a name
    assert not adds_information("October", "Who took part in the meeting?")
    # and a name the question already holds adds nothing
    assert not adds_information("Uganda", "Which city of Uganda hosted the meeting?")


def test_a_lead_quotes_the_names_it_adds_as_written():
    def lead_on(claim: str, quote: str, question: str) -> bool:
        ev = [Evidence(Passage("a.txt", "a.txt#0", quote, 0, len(quote), 0.5), quote, 0, len(quote), 0.6, 0.6, 0.5)]
        return is_lead(Claim(claim, (0,)), ev, ev, question)

    quote = "We discussed supplying Belarusian timber from Vitebsk Region with the governor of Vitebsk."
    question = "Who is the governor of Vitebsk Region?"
    assert not lead_on("The governor of Vitebsk Region is Belarus", quote, question)
    assert lead_on(
        "Indian ambassador Ashok Kumar", "Indian Ambassador Ashok Kumar met him.", "Who is India's ambassador?"
    )
    # every word the lead adds is in its sentence as written, not only its first letters
    quote = "The product will become available on the market in May."
    assert not lead_on("Becomming on the market", quote, "What will happen to the product?")
    assert lead_on("Available on the market in May", quote, "What will happen to the product?")


def test_every_threshold_is_in_the_policy_and_can_be_changed_by_name():
    policy = Settings().grounding
    assert policy == GroundingPolicy()
    stricter = policy.replace(min_evidence_score="0.9", max_lead_words="3")
    assert (stricter.min_evidence_score, stricter.max_lead_words) == (0.9, 3)
    assert policy.min_evidence_score == 0.35  # frozen: the original is unchanged
    with pytest.raises(InputError, match="unknown grounding setting 'min_score'"):
        policy.replace(min_score="1")
    with pytest.raises(InputError, match="expects a number"):
        policy.replace(max_lead_words="many")


def test_the_policy_decides_refusal_and_lead_length(belarus_passages):
    ev = evidence_for("Indian Ambassador to Belarus, Ashok Kumar, held a meeting with Lukashenko.")
    question = "Who is India's ambassador to Belarus?"
    assert not evidence_refuses(question, [ev], belarus_passages, GroundingPolicy())
    assert evidence_refuses(question, [ev], belarus_passages, GroundingPolicy(min_evidence_score=0.9))
    assert evidence_refuses(question, [], belarus_passages, GroundingPolicy())
    lead = Claim("The ambassador is Ashok Kumar", (0,))
    assert is_lead(lead, [ev], [ev], question)
    assert not is_lead(lead, [ev], [ev], question, GroundingPolicy(max_lead_words=3))


def test_a_number_answers_how_many_only_if_it_counts_what_was_asked():
    quote = "The Indian community in Belarus consists of approximately 85 nationals and 476 students."
    question = "How many Indian students are there in Belarus?"
    assert not counts_what_was_asked("85", quote, question)
    assert counts_what_was_asked("476 students", quote, question)
    assert counts_what_was_asked("26", "At least 26 were killed in the attack.", "How many people were killed?")
    assert counts_what_was_asked("1,200", "Some 1,200 delegates attended.", "How many delegates attended?")
