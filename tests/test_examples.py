from rag.measure.examples import (
    answering,
    article_texts,
    cache_key,
    candidate_questions,
    read_cached,
    verified,
    write_cached,
)
from rag.schema import Answer, Chunk
from rag.settings import Settings

NEWS = (
    "Belarusian President Alexander Lukashenko met Indian Ambassador to Belarus, Ashok Kumar, in Minsk. "
    "Belarusian Defence Minister Lieutenant General Viktor Khrenin spoke later. "
    "On Monday President Smith Jones arrived. Jane Doe, the chief executive of Acme, declined to comment. "
    "Alexander Lukashenko and Jane Doe spoke later. Tim Cook Received An Award"
)


def test_questions_name_people_and_qualified_posts():
    questions = candidate_questions([NEWS])
    assert "Who is the Belarusian President?" in questions
    assert "Who is the Indian Ambassador to Belarus?" in questions
    assert "Who is Alexander Lukashenko?" in questions and "Who is Jane Doe?" in questions
    # A rank is not a name, and a bare post ("the President") is not a question anyone can answer.
    assert not any("Lieutenant" in q or "General Viktor" in q for q in questions)
    assert "Who is the President?" not in questions
    assert not any("Received" in q for q in questions)  # a name said once, in a headline's capitals
    assert all(q.endswith("?") and len(q.split()) <= 9 for q in questions)


def test_definitions_become_what_questions_and_articles_take_turns():
    encyclopedia = "GPT-4 is the successor to GPT-3. It is a model. The Rhine is a river in Europe."
    questions = candidate_questions([NEWS, encyclopedia])
    assert "What is GPT-4?" in questions and "What is the Rhine?" in questions
    assert not any(q.startswith("What is It") for q in questions)
    assert questions[1] == "What is GPT-4?"  # the second article's first question comes second


def test_only_answered_questions_are_kept_and_few_are_tried():
    asked = []

    def answer(question: str) -> Answer:
        asked.append(question)
        return Answer(question, "…", answered=question.startswith("Who"))

    questions = ["What is X?", "Who is A?", "Who is B?", "What is Y?", "Who is C?", "Who is D?"]
    assert verified(questions, answer, shown=2) == ["Who is A?", "Who is B?"]
    assert asked == questions[:3]
    asked.clear()
    assert verified(["What is X?"] * 10, answer, tried=4) == [] and len(asked) == 4


def test_cache_is_keyed_by_documents_and_answering(tmp_path):
    key = cache_key(["b", "a"], "model|settings")
    assert key == cache_key(["a", "b"], "model|settings") != cache_key(["a"], "model|settings")
    assert read_cached(tmp_path, key) is None
    write_cached(tmp_path, key, ["Who is A?"])
    assert read_cached(tmp_path, key) == ["Who is A?"]
    assert read_cached(tmp_path, cache_key(["a"], "other")) is None
    assert read_cached(tmp_path, None) == ["Who is A?"]  # whatever they were checked for
    (tmp_path / "examples.json").write_text("{broken", encoding="utf-8")
    assert read_cached(tmp_path, key) is None
    assert [f.name for f in tmp_path.iterdir()] == ["examples.json"]  # written aside and renamed: no leftovers
    write_cached(tmp_path / "missing" / "folder", key, ["x"])  # unwritable: no error, no file
    assert not (tmp_path / "missing").exists()


def test_what_answers_is_keyed_not_where_the_articles_lie(tmp_path):
    here = Settings(corpus=tmp_path / "a", index_dir=tmp_path / "ia", n_threads=1)
    moved = Settings(corpus=tmp_path / "b", index_dir=tmp_path / "ib", n_threads=2)
    assert answering(here, "m.gguf", False) == answering(moved, "m.gguf", False)
    assert answering(here, "m.gguf", False) != answering(here, "other.gguf", False)
    assert answering(here, "m.gguf", False) != answering(here, "m.gguf", True)  # the seeds' written questions
    stricter = here.replace(grounding=here.grounding.replace(min_confidence=0.9))
    assert answering(here, "m.gguf", False) != answering(stricter, "m.gguf", False)


def test_article_texts_take_each_overlap_once():
    text = "Jane Doe spoke. Then the minister left."
    chunks = [Chunk("a#1", "a.txt", text[10:], 10, len(text)), Chunk("a#0", "a.txt", text[:20], 0, 20)]
    assert article_texts(chunks) == {"a.txt": text}
