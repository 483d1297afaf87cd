import pytest

from rag.answering import clean_question, search_query
from rag.errors import RagError


def test_questions_are_cleaned_and_bad_ones_refused():
    assert clean_question("  Who\x00 is\tit? \x1b ", 2000) == "Who is it?"
    for bad in ("", "   \n", None):
        with pytest.raises(RagError):
            clean_question(bad, 2000)
    with pytest.raises(RagError, match="too long"):
        clean_question("x" * 2001, 2000)
    assert clean_question("bad \udcff surrogate", 2000) == "bad ? surrogate"


def test_follow_ups_are_searched_with_the_previous_question():
    history = [{"role": "user", "content": "Who is Lukashenko?"}, {"role": "assistant", "content": "The president."}]
    assert search_query("When did he visit India?", history) == "Who is Lukashenko? When did he visit India?"
    assert (
        search_query("What is the SCO summit venue in Qingdao?", history) == "What is the SCO summit venue in Qingdao?"
    )
    assert search_query("When did he visit India?", None) == "When did he visit India?"
