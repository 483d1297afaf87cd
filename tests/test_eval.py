import dataclasses
import json

import pytest

from rag.answering import not_said
from rag.errors import InputError
from rag.measure.eval import (
    Question,
    answer_correct,
    contains,
    facts_needed,
    format_summary,
    is_kinds,
    load_questions,
    percentile,
    score,
    summarize,
    unsupported_facts,
    write_report,
)
from rag.schema import Answer, Citation, Passage, Point


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
    from rag.measure.eval import Question, in_sentences

    q = Question("q1", "When were the talks?", answers=["27 to 28 October 2025"])
    assert in_sentences(["Held from October 27 to 28, 2025 in Minsk."], q)
    assert not in_sentences(["They met on 27 and 28.", "October 2025 was busy."], q)


# ------------------------------------------------------------------ kinds of questions

EXPORTS = "India exports machinery and pharmaceutical products to Belarus."
MET = "Lukashenko met the Indian envoy in Minsk."
SAID = "Jaishankar said the partnership will deepen. Lukashenko called India a reliable friend of Minsk."
ENVOY = "Ashok Kumar is India's ambassador to Belarus."
CORPUS = " ".join([EXPORTS, MET, SAID, ENVOY])


def cite(quote: str, n: int = 1) -> Citation:
    start = CORPUS.index(quote)
    return Citation(n, "a.txt", "a.txt#0", quote, start, start + len(quote), 0.5)


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "a.txt").write_text(CORPUS, encoding="utf-8")
    return tmp_path


def shaped(q: Question, text: str, quote: str, kind: str, seconds: float, first_point: float | None = None, **kw):
    """An answer as the tool would return it, built by hand: no model is asked."""
    timings = {"total": seconds} | ({"first_point": first_point} if first_point is not None else {})
    return Answer(q.question, text, True, [cite(quote)], timings=timings, kind=kind, **kw)


def refused(q: Question, seconds: float = 0.2) -> Answer:
    return Answer(q.question, not_said(q.question), False, timings={"total": seconds}, kind=q.kind or "fact")


EXPORTS_Q = Question(
    "kd1",
    "What does India export to Belarus?",
    kind="list",
    key_facts=[["machinery"], ["pharmaceuticals", "pharmaceutical"], ["tea"]],
)
MET_Q = Question("kd2", "Did Lukashenko meet the Indian envoy?", kind="yesno", key_facts=[["Lukashenko"]], yes_no="yes")
SAID_Q = Question(
    "kd3",
    "What did Jaishankar say about Belarus?",
    kind="said",
    key_facts=[["partnership"]],
    wrong_speaker_quotes=["a reliable friend of Minsk"],
)
MARS_Q = Question("kd4", "What does India export to Mars?", kind="list", unanswerable=True)
LISTED = "India exports to Belarus:\n- machinery [1]\n- pharmaceutical products [1]"
LISTED_POINTS = [Point("machinery", (1,)), Point("pharmaceutical products", (1,))]


def test_a_kinds_line_loads_its_facts_and_an_old_line_keeps_the_defaults(tmp_path):
    path = tmp_path / "kinds.jsonl"
    lines = [
        {
            "id": "kd001",
            "question": "What does India export?",
            "kind": "list",
            "key_facts": [["machinery"], ["pharmaceuticals", "pharmaceutical"], ["tea"], ["sugar"]],
            "yes_no": None,
            "wrong_speaker_quotes": ["a reliable friend"],
            "unanswerable": False,
            "evidence_docs": ["000_a.txt"],
        },
        {"id": "kd002", "question": "Did they meet?", "kind": "yesno", "key_facts": [["Minsk"]], "yes_no": "Yes"},
        {"id": "kd003", "question": "Who met?", "key_facts": [["Kumar"], ["Lukashenko"], ["Minsk"]], "min_facts": 1},
        # the seed sets label their questions with a "kind" of their own: still factual ones
        {"id": "s1", "question": "Which cities?", "answers": ["Minsk"], "kind": "list"},
        {"id": "s2", "question": "Who is the mayor of Mars?", "answers": [], "kind": "unanswerable_near_miss"},
        {"id": "kd004", "question": "Did they meet?", "kind": "yesno", "yes_no": "no"},  # no key facts
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    listed, yes_no, counted, old, seed_unanswerable, bare = load_questions(path)
    assert listed.kind == "list" and listed.key_facts[1] == ["pharmaceuticals", "pharmaceutical"]
    assert listed.min_facts is None and facts_needed(listed) == 3  # ceil(0.6 * 4)
    assert listed.wrong_speaker_quotes == ["a reliable friend"] and listed.evidence_docs == ["000_a.txt"]
    assert listed.answers == [] and listed.yes_no is None
    assert yes_no.yes_no == "yes" and facts_needed(yes_no) == 1
    assert counted.kind is None and is_kinds(counted) and facts_needed(counted) == 1
    assert (old.kind, old.key_facts, old.min_facts, old.yes_no, old.wrong_speaker_quotes) == (None, [], None, None, [])
    assert not is_kinds(old) and old.answers == ["Minsk"]
    assert not is_kinds(seed_unanswerable) and seed_unanswerable.kind is None
    assert is_kinds(bare) and bare.kind == "yesno" and bare.yes_no == "no" and facts_needed(bare) == 0
    assert facts_needed(Question("x", "?", key_facts=[["a"], ["b"]])) == 2  # two facts: both needed
    path.write_text(json.dumps({"question": "Q?", "yes_no": "maybe"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"kinds\.jsonl:1"):
        load_questions(path)


def test_a_list_answer_is_complete_when_it_states_enough_key_facts(corpus):
    full = score(EXPORTS_Q, shaped(EXPORTS_Q, LISTED, EXPORTS, "list", 2.5, 0.8, points=LISTED_POINTS), corpus)
    assert (full["kind"], full["asked_kind"]) == ("list", "list")
    # "pharmaceutical" is an accepted spelling; a fact is named by its first spelling
    assert full["facts_found"] == ["machinery", "pharmaceuticals"] and full["facts_missed"] == ["tea"]
    assert full["key_fact_recall"] == 0.667
    assert full["complete"] and full["correct"] and full["direct"] and not full["wrong_direct"]
    assert full["supported"] and full["in_evidence"] is False  # no evidence sentences were recorded
    assert full["yes_no_right"] is None and full["wrong_speaker"] is False
    assert full["first_point_s"] == 0.8 and full["seconds"] == 2.5
    assert full["points"] == [
        {"text": "machinery", "cited": [1], "label": ""},
        {"text": "pharmaceutical products", "cited": [1], "label": ""},
    ]
    assert full["gold"] == ["machinery", "pharmaceuticals / pharmaceutical", "tea"]
    assert full["unsupported"] == [] and full["verbatim"]

    short = score(
        EXPORTS_Q, shaped(EXPORTS_Q, "India exports to Belarus:\n- machinery [1]", EXPORTS, "list", 3.0), corpus
    )
    assert short["facts_found"] == ["machinery"] and short["key_fact_recall"] == 0.333
    assert not short["complete"] and not short["correct"] and not short["direct"] and short["wrong_direct"]
    assert short["first_point_s"] == 3.0  # no point streamed: the whole answer's time


def test_a_yes_no_answer_must_open_with_the_expected_verdict(corpus):
    def row(text: str) -> dict:
        return score(MET_Q, shaped(MET_Q, text, MET, "yesno", 1.0), corpus)

    right, wrong, later = row(f"Yes. “{MET}” [1]"), row(f"No. “{MET}” [1]"), row(f"Yesterday “{MET}” [1]")
    assert [r["yes_no_right"] for r in (right, wrong, later)] == [True, False, False]
    assert [r["complete"] for r in (right, wrong, later)] == [True, False, False]
    assert wrong["facts_found"] == ["Lukashenko"] and wrong["key_fact_recall"] == 1.0  # only the verdict is wrong
    assert right["unsupported"] == []  # the verdict is not a fact the quote must hold
    no = score(MET_Q, refused(MET_Q), corpus)
    assert no["yes_no_right"] is False and not no["complete"]


def test_quoting_another_speaker_is_a_wrong_speaker_answer(corpus):
    mixed = "Jaishankar said the partnership will deepen and India is “a reliable friend of Minsk” [1]."
    own = "Jaishankar said “the partnership will deepen” [1]."
    rows = [score(SAID_Q, shaped(SAID_Q, text, SAID, "said", 1.0), corpus) for text in (mixed, own)]
    assert [r["wrong_speaker"] for r in rows] == [True, False]
    assert [r["complete"] for r in rows] == [True, True]  # the key fact is there either way
    silent = Answer(SAID_Q.question, "The articles do not say a reliable friend of Minsk.", False)
    assert score(SAID_Q, silent, corpus)["wrong_speaker"] is False  # a refusal attributes nothing


def test_an_unanswerable_kinds_question_is_complete_only_when_refused(corpus):
    no = score(MARS_Q, refused(MARS_Q), corpus)
    assert no["complete"] and no["correct"] and not no["direct"] and not no["wrong_direct"]
    assert no["key_fact_recall"] is None and "supported" not in no and "in_evidence" not in no
    said = score(MARS_Q, shaped(MARS_Q, "India exports:\n- machinery [1]", EXPORTS, "list", 1.0), corpus)
    assert not said["complete"] and not said["correct"] and said["wrong_direct"]


def kinds_rows(corpus) -> list[dict]:
    mixed = "Jaishankar said the partnership will deepen and India is “a reliable friend of Minsk” [1]."
    envoy = Question("f1", "Who is the envoy?", answers=["Ashok Kumar"])
    return [
        score(EXPORTS_Q, shaped(EXPORTS_Q, LISTED, EXPORTS, "list", 2.0, 1.0), corpus),
        # read as a fact, missing two items, and naming a city its quote does not hold
        score(EXPORTS_Q, shaped(EXPORTS_Q, "India exports machinery to Minsk [1].", EXPORTS, "fact", 3.0), corpus),
        score(MARS_Q, refused(MARS_Q, 0.2), corpus),
        score(MET_Q, shaped(MET_Q, f"Yes. “{MET}” [1]", MET, "yesno", 1.0, 0.5), corpus),
        score(MET_Q, shaped(MET_Q, f"No. “{MET}” [1]", MET, "yesno", 1.0, 0.7), corpus),
        score(SAID_Q, shaped(SAID_Q, mixed, SAID, "said", 3.0, 2.0), corpus),
        score(envoy, Answer(envoy.question, "Ashok Kumar [1].", True, [cite(ENVOY)], timings={"total": 9.0}), corpus),
    ]


def test_the_summary_scores_kinds_overall_and_by_kind(corpus):
    s = summarize(kinds_rows(corpus))
    assert s["answer_accuracy"] == 66.7  # 3 of 5 kinds answers complete, and the factual one right
    assert s["complete"] == 60.0 and s["key_fact_recall"] == 80.0 and s["yes_no_right"] == 50.0
    assert s["wrong_speaker_answers"] == 1 and s["answers_with_unsupported_facts"] == 1
    assert s["first_point_p50_s"] == 0.7  # of 0.2 0.5 0.7 1.0 2.0 3.0: the factual row is not a kinds row
    assert s["by_kind"] == {
        "list": {
            "questions": 3,
            "complete": 50.0,
            "key_fact_recall": 50.0,
            "refused": 100.0,
            "adding_facts": 1,
            "p50_s": 1.0,
        },
        "said": {
            "questions": 1,
            "complete": 100.0,
            "key_fact_recall": 100.0,
            "refused": None,
            "adding_facts": 0,
            "p50_s": 2.0,
        },
        "yesno": {
            "questions": 2,
            "complete": 50.0,
            "key_fact_recall": 100.0,
            "refused": None,
            "adding_facts": 0,
            "p50_s": 0.5,
        },
    }
    assert s["kind_confusion"] == {"list": {"list": 2, "fact": 1}, "said": {"said": 1}, "yesno": {"yesno": 2}}


def test_the_printed_summary_shows_kinds_as_a_table(corpus):
    printed = format_summary(summarize(kinds_rows(corpus)))
    assert "{" not in printed
    assert "\n  complete                        60.0%\n" in printed  # the other keys as before: key, value
    assert "\n  wrong_speaker_answers           1\n" in printed
    table = printed.split("  by_kind\n", 1)[1].split("\n  kind_confusion\n")[0]
    assert table.splitlines() == [
        "    kind   questions  complete  key_fact_recall  refused  adding_facts  p50_s",
        "    list           3     50.0%            50.0%   100.0%             1    1.0",
        "    said           1    100.0%           100.0%      n/a             0    2.0",
        "    yesno          2     50.0%           100.0%      n/a             0    0.5",
    ]
    assert printed.endswith("  kind_confusion\n    list: list 2, fact 1\n    said: said 1\n    yesno: yesno 2")


def test_the_report_lists_a_kinds_failures_points_and_missed_facts(corpus, tmp_path):
    dated = [Point("machinery", (1,), label="2024"), Point("pharmaceutical products", (1, 2))]
    answer = shaped(EXPORTS_Q, LISTED, EXPORTS, "summary", 1.0, points=dated)
    row = score(dataclasses.replace(EXPORTS_Q, min_facts=3), answer, corpus)
    page = tmp_path / "report.html"
    write_report(page, summarize([row]), [row], "kinds.jsonl")
    html = page.read_text(encoding="utf-8")
    assert "<li>2024: machinery [1]</li><li>pharmaceutical products [1][2]</li>" in html
    assert "incomplete; facts missed: tea (2 found, 3 needed); read as summary" in html
    assert "pharmaceuticals / pharmaceutical" in html  # the expected facts stand as the gold


# What the evaluator as it was before kinds of questions (commit 0a345d4) scored for the answer below.
EXPECTED_FACTUAL_ROW = {
    "id": "f1",
    "question": "Who is India's ambassador to Belarus?",
    "unanswerable": False,
    "gold": ["Ashok Kumar"],
    "answer": "The ambassador is Ashok Kumar of Minsk [1]. “Ashok Kumar is India's ambassador to Belarus.” [1]",
    "answered": True,
    "citations": [{"n": 1, "source": "a.txt", "quote": "Ashok Kumar is India's ambassador to Belarus."}],
    "retrieved": ["a.txt"],
    "evidence_hit": True,
    "verbatim": True,
    "unsupported": ["Minsk"],
    "warnings": ["w"],
    "seconds": 1.5,
    "decision": "answered",
    "reply": "Ashok Kumar [1].",
    "signals": {"p": 0.9},
    "direct": True,
    "wrong_direct": False,
    "correct": True,
    "supported": True,
    "in_passages": True,
    "in_evidence": True,
    "answer_sentence": "",
    "repeated_fake": False,
}


def test_an_old_factual_line_is_scored_exactly_as_before(corpus):
    path = corpus / "old.jsonl"
    line = {
        "id": "f1",
        "question": "Who is India's ambassador to Belarus?",
        "answers": ["Ashok Kumar"],
        "evidence_docs": ["a.txt"],
        "fake_answer": "Rahul Singh",
    }
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    (q,) = load_questions(path)
    answer = Answer(
        q.question,
        f"The ambassador is Ashok Kumar of Minsk [1]. “{ENVOY}” [1]",
        True,
        [cite(ENVOY)],
        [Passage("a.txt", "a.txt#0", ENVOY, 0, len(ENVOY), 0.9)],
        # a point and a first-point time change nothing for a factual question
        timings={"total": 1.5, "first_point": 0.4},
        warnings=["w"],
        evidence=[ENVOY],
        decision="answered",
        reply="Ashok Kumar [1].",
        signals={"p": 0.9},
        points=[Point("Ashok Kumar", (1,))],
    )
    assert score(q, answer, corpus) == EXPECTED_FACTUAL_ROW
    assert not {"complete", "by_kind", "kind_confusion", "first_point_p50_s"} & set(
        summarize([score(q, answer, corpus)])
    )


def test_a_list_is_read_whole_as_the_stated_answer():
    from rag.measure.eval import stated
    from rag.schema import Point

    listed = Answer("Which ministers met?", "- Aleinik [1]\n- Ryzhenkov [2]", True, kind="list")
    listed.points = [Point("Aleinik", (1,)), Point("Ryzhenkov", (2,))]
    assert stated(listed) == "Aleinik; Ryzhenkov"
    assert stated(Answer("Who?", "Aleinik [1]. “…” [1]", True)) == "Aleinik "


def test_an_answer_lost_between_the_passages_and_the_evidence_is_counted_and_listed(tmp_path):
    q = Question("1", "Who is India's ambassador to Belarus?", answers=["Ashok Kumar"])
    text = "The embassy is in Minsk. Ashok Kumar is India's ambassador to Belarus."
    passage = Passage("a.txt", "a.txt#0", text, 0, len(text), 0.5, "Envoy", None)
    shown = Answer(q.question, "Ashok Kumar [1].", True, passages=[passage], evidence=[text[25:]])
    lost = Answer(q.question, "The articles do not say.", False, passages=[passage], evidence=[text[:24]])
    rows = [score(q, a, tmp_path) for a in (shown, lost)]
    assert [(r["in_passages"], r["in_evidence"]) for r in rows] == [(True, True), (True, False)]
    summary = summarize(rows)
    assert (summary["answer_in_passages"], summary["evidence_recall"], summary["lost_by_evidence"]) == (100.0, 50.0, 1)
    write_report(tmp_path / "r.html", summary, rows, "set")
    page = (tmp_path / "r.html").read_text()
    lost_table = page.split("Lost between the passages read and the evidence (1)")[1]
    assert "Ashok Kumar is India&#x27;s ambassador to Belarus." in lost_table
