from rag.answer.reader import parse_reply


def test_an_answer_and_its_sentence_numbers_are_read_and_invalid_numbers_dropped():
    r = parse_reply("Answer: Ashok Kumar [1].", 3)
    assert not r.refused and r.answer == "Ashok Kumar" and r.cited == (0,)
    r = parse_reply("Minsk [7][2]\nThe evidence also says…", 3)
    assert r.answer == "Minsk" and r.cited == (1,)


def test_not_found_and_refusals_in_other_words_are_refusals():
    for reply in ("NOT FOUND", "Not found.", "The evidence does not say.", "I cannot answer that.", "", "  [ ]"):
        assert parse_reply(reply, 3).refused, reply


def test_a_number_alone_chooses_that_sentence_as_the_answer():
    r = parse_reply("[2]", 3)
    assert not r.refused and r.chose_sentence and r.cited == (1,)
    assert not parse_reply("Minsk [2].", 3).chose_sentence
