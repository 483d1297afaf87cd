import pytest

from rag.answer.kinds.classify import classify, said_parts


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Is Belarus interested in Indian pharmaceuticals?", "yesno"),
        ("Did India sign a trade deal with Belarus?", "yesno"),
        ("List the areas of cooperation India and Belarus discussed.", "list"),
        ("Name the products of the High Technology Park.", "list"),
        ("What products does Belarus want to export to India?", "list"),
        ("Summarize what the articles say about trade between India and Belarus.", "summary"),
        ("What are the main points of the article about the tractor plant?", "summary"),
        ("Give an overview of the meeting in Qingdao.", "summary"),
        ("Why does Belarus want to increase trade with India?", "reason"),
        ("How does Belarus plan to boost trade?", "reason"),
        ("What did the Indian ambassador say?", "said"),
        ("What did Lukashenko say about Modi?", "said"),
        ("How did Lukashenko describe relations with Modi?", "said"),
        ("Who met whom in Minsk, and when?", "timeline"),
        ("Give a timeline of the visits between India and Belarus.", "timeline"),
        ("Compare the positions of India and Belarus on security.", "comparison"),
        ("How does Belarus's trade with India differ from its trade with China?", "comparison"),
    ],
)
def test_each_kind_is_recognised(question: str, kind: str) -> None:
    assert classify(question) == kind


@pytest.mark.parametrize(
    "question",
    [
        "Who is India's ambassador to Belarus?",
        "Which Indian prime minister visited Soviet Belarus in 1985?",
        "Name the Indian prime minister who visited Belarus in 1985.",
        "How many Indian students study in Belarus?",
        "Is the ambassador Ashok Kumar or Mikhail Kasko?",  # asks which, not whether
        "What did the court say the Commission had proven?",  # a fact someone stated
        "Which two countries did NATO invite to join?",  # a count of names: one short answer
        "How much lower would sea levels be in 2100 compared to 1990?",
    ],
)
def test_a_short_fact_stays_a_fact(question: str) -> None:
    assert classify(question) == "fact"


def test_who_is_asked_about_and_on_what() -> None:
    assert said_parts("What did Lukashenko say about Narendra Modi?") == ("Lukashenko", "Narendra Modi")
    assert said_parts("What did the Indian ambassador say?") == ("the Indian ambassador", "")
    assert said_parts("What is Lukashenko's view on the SCO?") == ("Lukashenko", "the SCO")
    assert said_parts("Who is the ambassador?") is None


def test_what_someone_told_others_about_a_topic() -> None:
    assert said_parts("What did Cherelle Griner tell CNN about the efforts to free her wife?") == (
        "Cherelle Griner",
        "the efforts to free her wife",
    )
    assert classify("From which states were the members arrested?") == "list"


def test_a_question_that_counts_the_names_it_wants_is_a_fact() -> None:
    assert classify("Who are the two Belarusian foreign ministers named across these stories?") == "fact"
    assert classify("List the three products the ambassador named.") == "list"


def test_when_it_was_reported_is_not_what_the_question_is_about() -> None:
    from rag.answer.kinds.classify import topic_of

    asked = "Give a timeline of Zara Rutherford's solo flight as reported in late August 2021."
    assert topic_of(asked) == "Zara Rutherford's solo flight"
    assert topic_of("List the areas of cooperation India and Belarus discussed") == (
        "the areas of cooperation India and Belarus discussed"
    )
