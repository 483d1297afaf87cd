import pytest

from rag.answering import clean_question
from rag.errors import RagError


def test_questions_are_cleaned_and_bad_ones_refused():
    assert clean_question("  Who\x00 is\tit? \x1b ", 2000) == "Who is it?"
    for bad in ("", "   \n", None):
        with pytest.raises(RagError):
            clean_question(bad, 2000)
    with pytest.raises(RagError, match="too long"):
        clean_question("x" * 2001, 2000)
    assert clean_question("bad \udcff surrogate", 2000) == "bad ? surrogate"
