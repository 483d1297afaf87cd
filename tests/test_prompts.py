from rag.answer.prompts import RECHECK_SYSTEM, RECHECK_WORDS, recheck_messages


def test_the_second_look_shows_the_sentence_question_and_answer_and_stays_short():
    system, user = recheck_messages("The bridge  was opened\nin 2021.", "When was the bridge opened? ", "2021")
    assert system == {"role": "system", "content": RECHECK_SYSTEM}
    assert user["content"].startswith(
        "Sentence: “The bridge was opened in 2021.”\nQuestion: When was the bridge opened?\nProposed answer: 2021\n"
    )
    # a "sentence" of a whole table fits the second context whatever its length
    _, long = recheck_messages("cell " * 50_000, "Which cell?", "cell")
    assert len(long["content"].split()) < RECHECK_WORDS + 40
