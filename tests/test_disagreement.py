from rag.answer.disagreement import answers_otherwise, disagreeing
from rag.answer.reader import parse_reply
from rag.schema import Evidence, Passage


def sentences(*texts: str) -> list[Evidence]:
    out = []
    for i, text in enumerate(texts):
        passage = Passage(f"{i:03}.txt", f"{i:03}.txt#0", text, 0, len(text), 0.5, "Title", None)
        out.append(Evidence(passage, text, 0, len(text), 0.5, 0.5, 0.5))
    return out


def test_a_planted_place_beside_the_real_one_is_found():
    evidence = sentences(
        "The NFL voted to move Super Bowl LV, which will take place in February 2021, to Glendale, Arizona.",
        "Super Bowl LV will be played in Tampa Bay, Florida, at Raymond James Stadium.",
    )
    found = disagreeing("Super Bowl 2021 location", "Glendale, Arizona", evidence[0], evidence)
    assert found is evidence[1]


def test_another_number_for_the_same_count_is_found():
    evidence = sentences(
        "Norway won 39 medals at the 2018 Winter Olympics, the most of any country.",
        "At the 2018 Winter Olympics Norway won a total of 37 medals.",
    )
    assert disagreeing("How many medals did Norway win at the 2018 Winter Olympics?", "39", evidence[0], evidence)


def test_sentences_that_agree_or_talk_of_something_else_are_not_a_disagreement():
    evidence = sentences(
        "Facebook acquired Instagram in 2012 for one billion dollars.",
        "Instagram was bought by Facebook, which paid one billion dollars.",
        "Apple released a new iPhone in September.",
    )
    assert disagreeing("Who acquired Instagram?", "Facebook", evidence[0], evidence) is None


def test_a_description_has_no_rival_to_look_for():
    evidence = sentences(
        "Belarus offered electric buses and trams to India.",
        "Belarus offered combines to India and Brazil.",
    )
    assert disagreeing("What did Belarus offer India?", "electric buses and trams", evidence[0], evidence) is None


def test_a_sentence_much_less_relevant_than_the_answers_is_no_rival():
    first, second = sentences(
        "Norway won 39 medals at the 2018 Winter Olympics, the most of any country.",
        "At the 2018 Winter Olympics Norway won a total of 37 medals.",
    )
    weak = Evidence(second.passage, second.text, second.start, second.end, 0.2, 0.2, 0.2)
    assert (
        disagreeing("How many medals did Norway win at the 2018 Winter Olympics?", "39", first, [first, weak]) is None
    )


def test_the_rival_read_alone_answers_otherwise_only_with_another_thing():
    ground = "The NFL voted to move Super Bowl LV to Glendale, Arizona, away from its rival Miami."

    def otherwise(reply: str, answer: str) -> bool:  # the reader's reply, shown the rival sentence alone
        return answers_otherwise(parse_reply(reply, 1), answer, ground)

    assert otherwise("Tampa Bay, Florida [1]", "Glendale, Arizona")
    assert otherwise("37 [1]", "39")
    # the same answer in other words, or no answer at all, is no disagreement
    assert not otherwise("Joe Biden [1]", "Biden")
    assert not otherwise("Tampa Bay [1]", "Tampa, Florida")
    assert not otherwise("39 medals [1]", "39")
    assert not otherwise("NOT FOUND", "Glendale, Arizona")
    # nor is a name the answer's own sentence gives another role
    assert not otherwise("Miami [1]", "Glendale, Arizona")
