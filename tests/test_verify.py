from rag.answer.reader import parse_reply
from rag.answer.verify import check, holds, render
from rag.schema import Claim, Evidence, Passage

TEXT = "Indian Ambassador to Belarus, Ashok Kumar, met Lukashenko in Minsk. Trade reached 500 million dollars."


def evidence() -> list[Evidence]:
    p = Passage("001.txt", "001.txt#0", TEXT, 10, 10 + len(TEXT), 0.5, "Title", "2025-11-03")
    first, second = TEXT.split(". ")
    return [
        Evidence(p, first + ".", 10, 10 + len(first) + 1, 0.8, 0.7, 0.9),
        Evidence(p, second, 10 + len(first) + 2, 10 + len(TEXT), 0.5, 0.4, 0.6),
    ]


def verdict(reply: str, question: str):
    return check(parse_reply(reply, 2), evidence(), question)


def test_an_answer_its_sentence_states_is_verified():
    checked = verdict("Ashok Kumar [1].", "Who is India's ambassador to Belarus?")
    assert checked.verified and checked.ground == 0


def test_an_answer_resting_on_the_wrong_number_rests_on_the_sentence_that_states_it():
    checked = verdict("500 million dollars [1].", "How much did trade reach?")
    assert checked.verified and checked.ground == 1


def test_invented_names_and_numbers_are_not_verified():
    assert not verdict("Rahul Singh [1].", "Who is India's ambassador to Belarus?").verified
    assert not verdict("900 million dollars [2].", "How much did trade reach?").verified
    # the worked example of the prompt, copied: no evidence sentence states it
    assert not verdict("40 million euros [2].", "How much did trade reach?").verified
    assert not holds("The governor is Belarus.", "Belarusian timber from Vitebsk")


def test_an_answer_that_repeats_the_question_or_is_of_another_kind_is_not_verified():
    repeated = verdict("Lukashenko [1].", "Who did Lukashenko meet in Minsk?")
    assert not repeated.verified and "repeats the question" in repeated.problems[0]
    wrong_kind = verdict("Ashok Kumar [1].", "When did Ashok Kumar meet Lukashenko?")
    assert not wrong_kind.verified and any("not a date" in p for p in wrong_kind.problems)


def test_a_sentence_chosen_as_the_answer_and_a_refusal():
    chosen = verdict("[2]", "Why did trade matter?")
    assert chosen.verified and chosen.ground == 1
    refused = verdict("NOT FOUND", "Who is India's ambassador to Brazil?")
    assert not refused.verified and refused.ground is None


def test_render_numbers_citations_by_first_use_with_verbatim_quotes():
    ev = evidence()
    text, citations = render([Claim("Trade reached 500 million dollars", (1,)), Claim("Ashok Kumar", (0,))], ev)
    assert text == "Trade reached 500 million dollars [1]. Ashok Kumar [2]."
    assert [(c.n, c.quote) for c in citations] == [(1, ev[1].text), (2, ev[0].text)]
    full = " " * 10 + TEXT
    assert all(full[c.start : c.end] == c.quote for c in citations)


def test_quoted_evidence_is_rendered_verbatim_in_quotation_marks():
    ev = evidence()
    text, citations = render([Claim("Ashok Kumar", (0,)), Claim(ev[0].text, (0,), quoted=True)], ev)
    assert text == f"Ashok Kumar [1]. “{ev[0].text}” [1]"
    assert len(citations) == 1 and citations[0].quote == ev[0].text
