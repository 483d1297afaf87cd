from rag.text.words import (
    answer_type,
    content_stems,
    has_answer_type,
    key_terms,
    names_a_date,
    normalize,
    sequence_words,
    stem,
)


def test_normalize_folds_case_accents_punctuation_and_articles():
    assert normalize("The Palace of Independence!") == "palace of independence"
    assert normalize("Lukashenko’s café") == normalize("lukashenko's cafe")


def test_key_terms_are_names_and_numbers_not_sentence_starts():
    terms = key_terms("The meeting was held in Minsk on 27 October 2025.")
    assert {"minsk", "27", "2025", "octob"} <= terms
    assert key_terms("Trade in the India-Belarus zone hit 12,000 on March 11-13.") >= {
        "india",
        "belarus",
        "12000",
        "11",
        "13",
    }
    assert "the" not in terms and "meet" not in terms


def test_content_stems_drop_stopwords():
    assert content_stems("Who is the ambassador of India?") == {"ambassador", "india"}


def test_hyphenated_words_also_count_as_their_parts():
    assert {"high-level", "high", "level"} <= content_stems("High-level talks")


def test_answer_types():
    assert answer_type("When did Belarus join the SCO?") == "date"
    assert answer_type("Where did Belarus rank on the Global SDG Index?") == "number"
    assert answer_type("Where did Lukashenko receive the ambassador?") == "place"
    assert answer_type("Who led the Indian delegation?") == "name"


def test_sequence_words():
    assert sequence_words("When is the next round, after the eighth?") == {"next", "eighth"}
    assert sequence_words("Who won?") == set()


def test_a_month_is_not_a_name():
    question = "On which social media platform did Jaishankar share insights?"
    assert not has_answer_type("On March 11-13", "name", question)
    assert has_answer_type("On the platform X, Jaishankar posted", "name", question)


def test_a_calendar_date_is_a_month_a_year_or_a_dated_day_not_a_weekday():
    for dated in ("In 1985", "on 12 May 2021", "in early September", "the 1990s", "on the 4th", "March 11-13"):
        assert names_a_date(dated), dated
    for undated in ("On Tuesday", "yesterday", "85 students", "Wednesday"):
        assert not names_a_date(undated), undated


def test_an_irregular_past_is_the_same_word_as_its_base():
    assert {"begin", "war"} <= content_stems("The war began in 1939.")
    assert content_stems("Who did Modi meet?") & content_stems("Modi met Lukashenko in Tianjin.") == {"modi", "meet"}
    assert stem("won") == stem("wins") == stem("win")
    # a past form that is also a common noun keeps its own meaning
    assert stem("found") != stem("find")


def test_a_question_becomes_the_clause_a_refusal_says():
    from rag.text.words import indirect_question

    assert indirect_question("Where did MTZ sign the deal?") == "where MTZ signed the deal"
    assert indirect_question("When was the bridge opened?") == "when the bridge was opened"
    assert indirect_question("Who is India's ambassador to Brazil?") == "who India's ambassador to Brazil is"
    assert indirect_question("Who won the vote?") == "who won the vote"
    assert indirect_question("How many students does Belarus have?") == "how many students Belarus has"
    assert indirect_question("Who did the Indian delegation meet?") == "who the Indian delegation met"
    assert (
        indirect_question("How many people were killed in the attack?") == "how many people were killed in the attack"
    )
    assert indirect_question("When will the next round be held?") == "when the next round will be held"
    assert indirect_question("Tell me about Minsk") is None
    assert (
        indirect_question("in which years did lukashenko travel to india?")
        == "in which years lukashenko traveled to india"
    )
    assert (
        indirect_question("which belarusian truck brand does india want?") == "which belarusian truck brand india wants"
    )
    assert (
        indirect_question("when did jaishankar and aleinik meet in uganda?")
        == "when jaishankar and aleinik met in uganda"
    )
    assert indirect_question("When did Modi and Lukashenko meet?") == "when Modi and Lukashenko met"
    # the auxiliary goes after the subject when a preposition ends the question
    assert indirect_question("what wood-based goods is India keen on?") == "what wood-based goods India is keen on"
    assert (
        indirect_question("When was the bridge over the river opened?") == "when the bridge over the river was opened"
    )
    assert indirect_question("what's the capital of Belarus?") == "what the capital of Belarus is"
    assert (
        indirect_question("which Indian company is the partner for the Punjab tractor plant?")
        == "which Indian company the partner for the Punjab tractor plant is"
    )
    # a relative clause's verb is not the question's: quoted as asked instead
    assert indirect_question("what's the festival where Indian movies were screened?") is None
    assert indirect_question("what is the name of the minister the Indian side consulted?") is None
    # an adverb between subject and verb stays there, and "not" keeps its auxiliary
    assert indirect_question("When did Modi first visit Minsk?") == "when Modi first visited Minsk"
    assert (
        indirect_question("in which cities did Lukashenko last catch up with Modi?")
        == "in which cities Lukashenko last caught up with Modi"
    )
    assert indirect_question("Why did India not sign the deal?") == "why India did not sign the deal"
    assert (
        indirect_question("What did the European Community not originally focus on?")
        == "what the European Community did not originally focus on"
    )


def test_a_hyphenated_word_is_one_content_unit_found_by_its_parts() -> None:
    from rag.text.words import content_units, stem

    units = content_units("the high-level visits, high-level talks")
    assert len(units) == 3  # "high-level", "visits", "talks": said twice, counted once
    assert stem("level") in next(u for u in units if len(u) > 1)
