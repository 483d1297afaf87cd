from rag.answer.decide import decide
from rag.answer.reader import parse_reply
from rag.answer.verify import Checked


def test_the_reader_decides_and_verification_can_only_take_an_answer_away():
    answer = parse_reply("Ashok Kumar [1].", 2)
    assert decide(answer, Checked((0,), ())).answered
    failed = decide(answer, Checked((), ("no evidence sentence states it",)))
    assert not failed.answered and failed.reason == "not verified: no evidence sentence states it"
    refused = decide(parse_reply("NOT FOUND", 2), Checked((), ("the reader found no answer",)))
    assert not refused.answered and refused.reason == "the reader found no answer"
    # a refusal stays one even when the check passes: verification never adds an answer
    refused_anyway = decide(parse_reply("NOT FOUND", 2), Checked((0,), ()), {"ground_score": 0.9})
    assert not refused_anyway.answered and refused_anyway.reason == "the reader found no answer"
    chosen = decide(parse_reply("[2]", 2), Checked((1,), ()))
    assert chosen.answered and chosen.chose_sentence and chosen.ground == 1


def test_the_calibrated_check_refuses_an_answer_its_reader_barely_prefers_to_not_found():
    from rag.answer.decide import confidence
    from rag.answer.grounding import DEFAULT_POLICY

    answer = parse_reply("Ashok Kumar [1].", 2)
    sure = {"margin": 12.0, "recheck": 3.0, "answer_min_logprob": -0.1, "ground_score": 0.9}
    unsure = {**sure, "margin": -15.0, "recheck": -3.0}
    assert confidence(sure) > DEFAULT_POLICY.min_confidence > confidence(unsure)
    assert decide(answer, Checked((0,), ()), sure).answered
    doubted = decide(answer, Checked((0,), ()), unsure)
    assert not doubted.answered and doubted.reason.startswith("not confident")
    # without the reader's probabilities (a server that returns none) its answer stands
    assert confidence({"ground_score": 0.1}) is None and decide(answer, Checked((0,), ()), {}).answered
    # the weights are the default reader's: another model's probabilities are not read by them
    assert confidence(unsure, "Qwen2.5-Coder-1.5B-Instruct.gguf") == confidence(unsure)
    assert confidence(unsure, "SmolLM2-135M-Instruct.Q4_1.gguf") is None
    assert decide(answer, Checked((0,), ()), unsure, reader="SmolLM2-135M-Instruct.Q4_1.gguf").answered


def test_the_check_reads_whether_the_answers_article_is_from_the_period_of_the_news_asked_about():
    from datetime import date

    from rag.answer.decide import signals
    from rag.schema import Evidence, Passage
    from rag.search.dates import Period

    def evidence(day: str | None) -> list[Evidence]:
        text = "Netflix renewed Squid Game for a second season."
        passage = Passage("a.txt", "a#0", text, 0, len(text), 1.0, "Squid Game returns", day)
        return [Evidence(passage, text, 0, len(text), 0.9, 0.8, 0.7)]

    question, reading = "Which show was renewed this week?", parse_reply("Squid Game [1].", 1)
    this_week = Period(date(2022, 6, 9), date(2022, 6, 16))

    def outside(day: str | None, period: Period | None) -> float:
        found = signals(question, reading, Checked((0,), ()), evidence(day), [], None, None, period)
        return found["ground_outside_period"]

    assert outside("2021-09-20", this_week) == 1.0
    assert outside("2022-06-14", this_week) == 0.0
    assert outside(None, this_week) == 0.0  # an undated article is not known to be from another time
    assert outside("2021-09-20", None) == 0.0  # no period asked about
    # the shipped check holds such an answer less likely right, and is unchanged without one
    from rag.answer.decide import confidence

    odds = {"margin": 3.0, "recheck": 1.0}
    assert confidence({**odds, "ground_outside_period": 1.0}) < confidence({**odds, "ground_outside_period": 0.0})
    assert confidence({**odds, "ground_outside_period": 0.0}) == confidence(odds)
