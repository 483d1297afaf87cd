from rag.answer.kinds.shape import (
    ArticleNamed,
    Composer,
    Found,
    Turn,
    about,
    article_named,
    cited_numbers,
    item_of,
    not_said,
    refused,
    reply_lines,
)
from rag.schema import Answer, Evidence, Passage
from rag.settings import Settings

TEXT = "Belarus sells dump trucks and tractors. India sells tea. Belarus sells dump trucks and tractors."


def evidence() -> list[Evidence]:
    passage = Passage("a.txt", "a.txt#0", TEXT, 0, len(TEXT), 1.0, "Trade", "2025-11-03")
    spans = [(0, 38), (39, 55), (56, len(TEXT))]
    return [Evidence(passage, TEXT[s:e], s, e, 1.0, 1.0, 1.0) for s, e in spans]


def turn() -> Turn:
    answer = Answer("Q?", "", False)
    return Turn("Q?", "list", [], None, None, Settings(), answer, lambda q: [])  # type: ignore[arg-type]


def test_points_are_numbered_by_first_citation_and_said_once():
    t = turn()
    ev = evidence()
    composer = Composer(t, ev)
    streamed = [
        composer.add(Found("tea", (1,))),
        composer.add(Found("dump trucks", (0,))),
        composer.add(Found("Tea", (2,))),
    ]
    composer.finish()
    assert streamed[2] is None  # the same item again
    assert t.answer.text == "- tea [1]\n- dump trucks [2]"
    assert [c.quote for c in t.answer.citations] == [ev[1].text, ev[0].text]
    assert [(p.text, p.cited) for p in t.answer.points] == [("tea", (1,)), ("dump trucks", (2,))]
    assert t.answer.answered and "first_point" in t.answer.timings


def test_a_quoted_point_is_its_sentence_in_quotation_marks():
    t = turn()
    composer = Composer(t, evidence())
    composer.add(Found("India sells tea.", (1,), label="2025", quoted=True))
    composer.finish()
    assert t.answer.text == "- 2025: “India sells tea.” [1]"


def test_reading_a_reply():
    assert list(reply_lines(iter(["- dump", " trucks [1]\n- te", "a [2]"]))) == ["- dump trucks [1]", "- tea [2]"]
    assert item_of("- dump trucks [1].") == "dump trucks"
    assert cited_numbers("[3] [1] [3] [9]", 4) == [2, 0]
    assert refused("NOT FOUND") and not refused("[2]")
    assert (
        not_said("Why did Belarus cancel the venture?") == "The articles do not say why Belarus canceled the venture."
    )


def test_the_article_a_question_names_and_what_it_asks_of_it():
    assert article_named("What are the main points of the article about the tractor plant?") == ArticleNamed(
        "the tractor plant", ""
    )
    assert article_named("Summarize the CNN report on Albanese's victory.") == ArticleNamed(
        "CNN Albanese's victory", ""
    )
    assert article_named(
        "Give a timeline of the high-level visits between India and Belarus described in Ambassador Kasko's interview."
    ) == ArticleNamed("Ambassador Kasko", "the high-level visits between India and Belarus")
    assert article_named("List the states that use the lake's water, according to the report on the shortage.") == (
        ArticleNamed("the shortage", "the states that use the lake's water")
    )
    assert article_named("Summarize the latest article.") == ArticleNamed("", "", "latest")
    # a topic, not one article
    assert article_named("Summarize what the articles say about trade between India and Belarus.") is None
    assert article_named("Give a timeline of the negotiations on a free trade agreement.") is None


def test_how_much_a_sentence_is_about_a_topic_weighs_rare_words_more() -> None:
    topic = "the trial of Patriot Front founder Thomas Rousseau"
    sentence = "Members of Patriot Front were arrested near the parade."
    weights = {"trial": 3.0, "patriot": 1.0, "front": 1.0, "founder": 2.0, "thoma": 3.0, "rousseau": 4.0}
    plain = about(sentence, topic)
    weighted = about(sentence, topic, weights)
    assert plain == 2 / 6 and weighted < plain
    assert about("Rousseau's trial opened.", topic, weights) > about("Rousseau's trial opened.", topic)


def test_a_hyphenated_topic_word_counts_once() -> None:
    topic = "the high-level visits between India and Belarus"
    assert about("India was visited by the President of Belarus.", topic) == 3 / 4
