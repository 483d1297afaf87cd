import pytest

from rag.answering import clean_question
from rag.errors import RagError
from rag.schema import Evidence, Passage


def test_questions_are_cleaned_and_bad_ones_refused():
    assert clean_question("  Who\x00 is\tit? \x1b ", 2000) == "Who is it?"
    for bad in ("", "   \n", None):
        with pytest.raises(RagError):
            clean_question(bad, 2000)
    with pytest.raises(RagError, match="too long"):
        clean_question("x" * 2001, 2000)
    assert clean_question("bad \udcff surrogate", 2000) == "bad ? surrogate"


def _parts(questions: list[str], replies: list[str]):
    """Parts of an answer as the pipeline makes them, the reader's replies given."""
    from rag.answer.decide import decide
    from rag.answer.reader import parse_reply
    from rag.answer.verify import check
    from rag.answering import Part
    from rag.schema import Evidence, Passage

    text = "Indian Ambassador to Belarus, Ashok Kumar, met Lukashenko in Minsk. Trade reached 500 million dollars."
    passage = Passage("001.txt", "001.txt#0", text, 0, len(text), 0.5, "Title", "2025-11-03")
    first = text.index(". ") + 1
    evidence = [
        Evidence(passage, text[:first], 0, first, 0.8, 0.7, 0.9),
        Evidence(passage, text[first + 1 :], first + 1, len(text), 0.5, 0.4, 0.6),
    ]
    parts = []
    for question, reply in zip(questions, replies, strict=True):
        reading = parse_reply(reply, 2)
        part = Part(question, evidence, [passage])
        part.decision, part.answer = decide(reading, check(reading, evidence, question)), reading.answer
        parts.append(part)
    return parts, text


def _composed(question: str, replies: list[str], parts_asked: list[str] | None = None):
    from rag.answering import _compose
    from rag.schema import Answer

    parts, text = _parts(parts_asked or [question], replies)
    answer = Answer(question, "", False)
    _compose(answer, parts, closest_quotes=2, extractive=False)
    assert all(text[c.start : c.end] == c.quote for c in answer.citations)
    return answer


def test_a_verified_answer_opens_the_reply_with_the_quote_it_rests_on():
    a = _composed("Who is India's ambassador to Belarus?", ["Ashok Kumar [1]."])
    assert a.answered and a.decision == "answered"
    assert a.text == "Ashok Kumar [1]. “Indian Ambassador to Belarus, Ashok Kumar, met Lukashenko in Minsk.” [1]"
    assert a.evidence == [c.quote for c in a.citations] + ["Trade reached 500 million dollars."]


def test_the_readers_refusal_and_an_unverified_answer_are_refusals_not_quotes():
    for reply, why in (("NOT FOUND", "the reader found no answer"), ("Rahul Singh [1].", "not verified")):
        a = _composed("Who is India's ambassador to Brazil?", [reply])
        assert not a.answered and a.decision.startswith(why)
        assert a.text.startswith(
            "The articles do not say who India's ambassador to Brazil is. The closest they come: “"
        )
        assert len(a.citations) == 2


def test_a_chosen_sentence_is_the_answer_and_each_part_of_a_compound_question_is_decided_alone():
    chosen = _composed("Why did trade matter?", ["[2]"])
    assert chosen.answered and chosen.text == "“Trade reached 500 million dollars.” [1]"
    asked = ["Who is the ambassador?", "Who chairs the trade council?"]
    both = _composed(
        "Who is the ambassador, and who chairs the trade council?", ["Ashok Kumar [1].", "NOT FOUND"], asked
    )
    # the part left unanswered is said at once, not left for the person to infer
    assert both.answered and both.text.startswith(
        "Ashok Kumar [1]. The articles do not say who chairs the trade council. “Indian Ambassador"
    )
    assert both.warnings == ["nothing in the articles answers: Who chairs the trade council?"]
    quoted = _composed(
        "Who is the ambassador, and the trade council has whom as its chair?",
        ["Ashok Kumar [1].", "NOT FOUND"],
        ["Who is the ambassador?", "The trade council has whom as its chair?"],
    )
    assert quoted.text.startswith(
        "Ashok Kumar [1]. The articles do not answer “The trade council has whom as its chair?” “Indian"
    )


def test_extractive_replies_quote_the_best_sentence_of_each_part():
    from rag.answer.decide import Decision
    from rag.answering import EXTRACTIVE_LEAD_IN, _compose
    from rag.schema import Answer

    parts, _ = _parts(["Who met Lukashenko?"], ["NOT FOUND"])
    parts[0].decision = Decision(True, "extractive", (0,), chose_sentence=True)
    answer = Answer("Who met Lukashenko?", "", False)
    _compose(answer, parts, closest_quotes=2, extractive=True)
    assert answer.answered and answer.text == f"{EXTRACTIVE_LEAD_IN} “{parts[0].evidence[0].text}” [1]"


def test_evidence_that_answers_otherwise_is_quoted_beside_the_answer():
    from rag.answering import DISAGREEMENT, _compose
    from rag.schema import Answer

    (part,), _ = _parts(["Who is India's ambassador to Belarus?"], ["Ashok Kumar [1]."])
    rival = "India's ambassador to Belarus is Rahul Singh, the ministry said."
    passage = Passage("002.txt", "002.txt#0", rival, 0, len(rival), 0.5, "Other", None)
    part.evidence = [*part.evidence, Evidence(passage, rival, 0, len(rival), 0.4, 0.4, 0.5)]
    part.disagrees = part.evidence[-1]
    answer = Answer(part.question, "", False)
    _compose(answer, [part], closest_quotes=2, extractive=False)
    assert answer.answered and answer.text.startswith("Ashok Kumar [1]. “Indian Ambassador")
    assert answer.text.endswith(f"{DISAGREEMENT} “{rival}” [2]")
    assert answer.warnings == ["the sources may disagree about: Who is India's ambassador to Belarus?"]


@pytest.mark.model
def test_the_readers_second_look_tells_a_right_answer_from_the_same_answer_to_another_question():
    """recheck asks the default reader, apart from its reading, whether the sentence shows the
    answer is right. The same sentence and answer, asked about the year it names and about
    another year (seeds_dev s054 and s124): measured 2.07 and -1.62 log-odds; the bound leaves
    room for other CPU kernels. Afterwards the reading context is as it was."""
    from rag.answer.generation import LlamaGenerator
    from rag.answer.models import DEFAULT_READER, installed_path
    from rag.answering import recheck
    from rag.settings import Settings

    model = installed_path(DEFAULT_READER, Settings().models_dir)
    if not model.is_file():
        pytest.skip("the default reader is not installed (make setup installs it)")
    reader = LlamaGenerator(model, n_ctx=512)
    sentence = (
        "This is confirmed by the fact that in 2024, the Republic of Belarus took 30th place among "
        "167 countries in the Global SDG Index."
    )
    right = recheck(reader, sentence, "What was Belarus's position in the 2024 Global SDG Index?", "30th place")
    wrong = recheck(reader, sentence, "What was Belarus's rank in the Global SDG Index in 2023?", "30th place")
    assert right - wrong > 1.5, (right, wrong)
    assert reader._llm is None  # asked in its own context: the reading context was never loaded
