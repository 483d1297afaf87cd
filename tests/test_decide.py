from rag.decide import decide
from rag.reader import parse_reply
from rag.verify import Checked


def test_the_reader_decides_and_verification_can_only_take_an_answer_away():
    answer = parse_reply("Ashok Kumar [1].", 2)
    assert decide(answer, Checked(0, ())).answered
    failed = decide(answer, Checked(None, ("no evidence sentence states it",)))
    assert not failed.answered and failed.reason == "not verified: no evidence sentence states it"
    refused = decide(parse_reply("NOT FOUND", 2), Checked(None, ("the reader found no answer",)))
    assert not refused.answered and refused.reason == "the reader found no answer"
    chosen = decide(parse_reply("[2]", 2), Checked(1, ()))
    assert chosen.answered and chosen.chose_sentence and chosen.ground == 1
