from rag.search.conversation import name_phrases, question_parts, standalone_question, user_turns


def test_a_pronoun_takes_the_previous_questions_subject():
    history = [
        {"role": "user", "content": "Why did Alexander Lukashenko visit Minsk?"},
        {"role": "assistant", "content": "For talks."},
    ]
    assert standalone_question("When did he arrive?", history) == "When did Alexander Lukashenko arrive?"
    assert standalone_question("What did his wife say?", history) == "What did Alexander Lukashenko's wife say?"
    assert standalone_question("Whom did he meet in Minsk?", history) == "Whom did Alexander Lukashenko meet in Minsk?"
    # A pronoun after a name of the question's own points at that name.
    assert standalone_question("Did Modi say he would come?", history) == "Did Modi say he would come?"


def test_a_possessive_subject_keeps_its_noun():
    history = [("Who is India's ambassador to Belarus?", "Ashok Kumar.")]
    assert standalone_question("When did he present credentials?", history) == (
        "When did India's ambassador present credentials?"
    )


def test_fragments_are_searched_with_the_previous_question():
    history = [("Who won the election in Kenya?", "…")]
    assert standalone_question("And in 2017?", history) == "Who won the election in Kenya? in 2017?"
    assert standalone_question("Where?", history) == "Who won the election in Kenya? Where?"


def test_a_chain_of_follow_ups_keeps_its_topic():
    history = [("Why did Alexander Lukashenko visit Minsk?", ""), ("When did he arrive?", "")]
    assert standalone_question("Who met him?", history) == "Who met Alexander Lukashenko?"


def test_without_names_the_previous_topic_words_are_added():
    history = [("What is the price of the new vaccine?", "")]
    assert standalone_question("When was it approved?", history) == "When was it approved? (price new vaccine)"


def test_standalone_questions_are_left_alone():
    history = [("Why did Alexander Lukashenko visit Minsk?", "")]
    assert standalone_question("Who founded Tesla?", history) == "Who founded Tesla?"
    assert standalone_question("What did the Uganda summit decide?", history) == "What did the Uganda summit decide?"
    assert standalone_question("When did he visit?", None) == "When did he visit?"


def test_names_and_turns_are_read_from_any_history_shape():
    assert name_phrases("Tell me about New York City and the Big Apple") == ["New York City", "Big Apple"]
    history = [
        {"role": "user", "content": "a"},
        {"role": "assistant", "content": "b"},
        ("c", "d"),
        {"role": "user", "content": [{"type": "text", "text": "e"}]},
    ]
    assert user_turns(history) == ["a", "c", "e"]


def test_compound_questions_are_split_into_their_parts():
    assert question_parts("Who led the Indian delegation, and in what year did India open its embassy?") == [
        "Who led the Indian delegation?",
        "In what year did India open its embassy?",
    ]
    assert question_parts("Which bloc did Belarus join and which city hosted the summit?") == [
        "Which bloc did Belarus join?",
        "Which city hosted the summit?",
    ]


def test_questions_that_are_not_compound_stay_whole():
    for question in [
        "Who met Lukashenko and when?",
        "Which trade and investment deals were signed?",
        "Who is he?",
        "When did Lukashenko and Modi last meet informally?",
        "When did Lukashenko, Modi, and Putin meet?",
        "Name the ministers of India and Belarus.",
    ]:
        assert question_parts(question) == [question]
