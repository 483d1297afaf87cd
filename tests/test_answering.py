import pytest

from rag.answering import clean_question, is_lead
from rag.errors import RagError
from rag.evidence import Evidence
from rag.schema import Passage
from rag.verify import Claim


def test_questions_are_cleaned_and_bad_ones_refused():
    assert clean_question("  Who\x00 is\tit? \x1b ", 2000) == "Who is it?"
    for bad in ("", "   \n", None):
        with pytest.raises(RagError):
            clean_question(bad, 2000)
    with pytest.raises(RagError, match="too long"):
        clean_question("x" * 2001, 2000)
    assert clean_question("bad \udcff surrogate", 2000) == "bad ? surrogate"


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
