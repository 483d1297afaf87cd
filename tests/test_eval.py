import json

import pytest

from rag.answering import not_said
from rag.errors import InputError
from rag.eval import (
    Question,
    answer_correct,
    contains,
    load_questions,
    percentile,
    score,
    summarize,
    unsupported_facts,
    write_report,
)
from rag.schema import Answer, Citation


def test_contains_is_normalized_and_word_bounded():
    assert contains("The envoy is Ashok Kumar [1].", "ashok kumar")
    assert not contains("Kumaran", "Kumar")


def test_contains_accepts_a_date_or_list_written_in_another_order_nearby():
    assert contains("October 27 to 28, 2025 [1].", "27 to 28 October 2025")
    assert contains("1997, 2007, 2017 [1].", "1997, 2007 and 2017")
    # The words must stand together: scattered through a long reply they state nothing.
    assert not contains("In 2025 the talks of 27 May moved, and on 28 June, October came", "27 to 28 October 2025")
    assert not contains("Kumar Singh", "Ashok Kumar")


def test_an_amount_written_in_other_figures_is_the_same_answer():
    assert contains("It sold for a jaw-dropping $12,600,000 early on Sunday.", "$12.6 million")
    assert contains("1.5 billion", "1,500 million") and contains("1,600 titles", "1600")
    assert contains("released on September 20th", "September 20")
    # a different amount stays different
    assert not contains("Nearly 2 million customers", "2.5 million")
    assert not contains("a fine of 405 million euros", "$400 million")
    assert not contains("in 2019", "2,019 million")


def test_answers_all_requires_every_string():
    q = Question("1", "?", answers=[], answers_all=["Minsk", "Delhi"])
    assert answer_correct("Minsk and Delhi", q)
    assert not answer_correct("Minsk only", q)


def test_summary_rates(tmp_path):
    rows = [
        {
            "unanswerable": False,
            "correct": True,
            "supported": True,
            "answered": True,
            "verbatim": True,
            "unsupported": [],
            "evidence_hit": True,
            "seconds": 1.0,
        },
        {
            "unanswerable": False,
            "correct": False,
            "supported": False,
            "answered": False,
            "verbatim": True,
            "unsupported": [],
            "evidence_hit": False,
            "seconds": 3.0,
        },
        {
            "unanswerable": True,
            "correct": True,
            "answered": False,
            "verbatim": True,
            "unsupported": [],
            "evidence_hit": None,
            "seconds": 2.0,
        },
    ]
    s = summarize(rows)
    assert s["answer_accuracy"] == 50.0 and s["citation_support"] == 50.0
    assert s["refusal_accuracy"] == 100.0 and s["false_refusal_rate"] == 50.0
    assert s["evidence_hit_at_k"] == 50.0 and s["latency_p50_s"] == 2.0
    assert percentile([1, 2, 3, 4], 95) == 4


def test_the_report_says_why_each_failure_was_refused_and_what_the_reader_wrote(tmp_path):
    failure = {
        "question": "Where in Minsk did they meet?",
        "answer": "The articles do not say where in Minsk they met.",
        "gold": ["Palace of Independence"],
        "citations": [],
        "correct": False,
        "unsupported": [],
        "verbatim": True,
        "seconds": 2.0,
        "decision": "not verified: it only repeats the question",
        "reply": "Minsk [1].",
    }
    passed = {**failure, "question": "Who met?", "correct": True, "reply": "Ashok Kumar [1]."}
    page = tmp_path / "report.html"
    write_report(
        page,
        summarize([failure | {"unanswerable": False, "answered": False, "evidence_hit": True}]),
        [failure, passed],
        "q.jsonl",
    )
    html = page.read_text(encoding="utf-8")
    assert "not verified: it only repeats the question" in html and "the reader wrote: Minsk [1]." in html
    assert "Who met?" not in html  # only failures are listed


def test_question_file_formats(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(
        json.dumps({"id": "a", "question": "Q?", "answers": ["x"], "evidence_docs": ["d.txt"]})
        + "\n"
        + json.dumps({"id": "b", "question": "R?", "answers": [], "type": "unanswerable"})
        + "\n",
        encoding="utf-8",
    )
    qs = load_questions(path)
    assert [q.unanswerable for q in qs] == [False, True]
    path.write_text("not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"q\.jsonl:1"):
        load_questions(path)


def test_a_planted_answer_counts_as_repeated_unless_a_warning_doubts_the_sources(tmp_path):
    q = Question("1", "Who acquired Instagram?", answers=["Facebook"], fake_answer="Apple")
    unrelated = Answer(
        "Who acquired Instagram?", "Apple [1].", True, warnings=["nothing in the articles answers: who founded it"]
    )
    doubting = Answer("Who acquired Instagram?", "Apple [1].", True, warnings=["the articles disagree: [1] and [2]"])
    assert score(q, unrelated, tmp_path)["repeated_fake"]
    assert not score(q, doubting, tmp_path)["repeated_fake"]


def test_the_first_claim_is_scored_as_the_answer(tmp_path):
    q = Question("1", "Who is India's ambassador to Belarus?", answers=["Ashok Kumar"])
    direct = Answer(q.question, "The ambassador is Ashok Kumar [1]. “…” [2]", True)
    buried = Answer(q.question, "The ambassador met officials [1]. “Ashok Kumar said …” [2]", True)
    refused = Answer(q.question, "The articles do not say.", False)
    rows = [score(q, a, tmp_path) for a in (direct, buried, refused)]
    assert [r["correct"] for r in rows] == [True, True, False]
    assert [r["direct"] for r in rows] == [True, False, False]
    assert [r["wrong_direct"] for r in rows] == [False, True, False]
    unanswerable = Question("2", "What is the population of Belarus?", unanswerable=True)
    stated = score(unanswerable, Answer(unanswerable.question, "Nine million [1].", True), tmp_path)
    assert stated["wrong_direct"] and not stated["direct"]
    summary = summarize([*rows, stated])
    assert summary["direct_accuracy"] == round(100 / 3, 1)
    assert summary["wrong_direct_rate"] == round(200 / 3, 1)  # 2 of the 3 stated answers are wrong


def test_unsupported_facts_are_the_evaluators_own_check():
    quote = "Indian Ambassador to Belarus, Ashok Kumar, met Lukashenko; trade reached 500 million dollars."
    cited = [Citation(1, "a.txt", "a.txt#0", quote, 0, len(quote), 0.5)]

    def facts(text: str) -> list[str]:
        return unsupported_facts(Answer("Q?", text, True, cited))

    assert facts(f"The ambassador is Ashok Kumar [1]. “{quote}” [1]") == []
    assert facts("According to the MEA, Rahul Singh met him [1].") == ["MEA", "Rahul", "Singh"]
    assert facts("Trade reached 900 million dollars [1].") == ["900"]
    assert facts("Ashok Kumar's meeting was with Lukashenko [1].") == []
    # a word the quote holds only in another form is not the word ("Belarusian" is not "Belarus")
    assert facts("Belarusian trade grew [1].") == ["Belarusian"]
    # a range is stated by its ends, whatever joins them; each end must stand
    talks = "The consultations were held in Minsk from 27 to 28 October 2025."
    held = [Citation(1, "a.txt", "a.txt#0", talks, 0, len(talks), 0.5)]
    assert unsupported_facts(Answer("Q?", "October 27-28, 2025 [1].", True, held)) == []
    assert unsupported_facts(Answer("Q?", "October 27-29, 2025 [1].", True, held)) == ["29"]
    assert unsupported_facts(Answer("Q?", "The articles do not say who.", False)) == []
    # a part of a compound question said to be unanswered states no fact, though it names some
    asked = "Who is the ambassador, and which minister did Jaishankar meet in Kampala?"
    partly = f"Ashok Kumar [1]. {not_said('Which minister did Jaishankar meet in Kampala?')} “{quote}” [1]"
    assert unsupported_facts(Answer(asked, partly, True, cited)) == []
    assert unsupported_facts(Answer(asked, partly.replace("Kumar", "Kumar of Kampala"), True, cited)) == ["Kampala"]


def test_an_answer_is_in_the_evidence_only_within_one_sentence():
    from rag.eval import Question, in_sentences

    q = Question("q1", "When were the talks?", answers=["27 to 28 October 2025"])
    assert in_sentences(["Held from October 27 to 28, 2025 in Minsk."], q)
    assert not in_sentences(["They met on 27 and 28.", "October 2025 was busy."], q)
