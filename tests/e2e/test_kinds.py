"""Questions of every kind on the seed articles, answered by the default reader: each answer is
shaped for its kind, every point rests on a sentence quoted verbatim, and none is another
speaker's. The reply memory is cleared before each question, and a test of the model's
behaviour asserts the model wrote something (generated_tokens > 0)."""

from pathlib import Path

import pytest

from rag import ask
from rag.answer.kinds.timeline import when
from rag.cache import get_generator
from rag.settings import Settings

pytestmark = pytest.mark.e2e


def asked(question: str, settings: Settings):
    get_generator(settings).forget_replies()
    answer = ask(question, settings=settings)
    for c in answer.citations:
        assert (Path(settings.corpus) / c.source).read_text(encoding="utf-8")[c.start : c.end] == c.quote
    for point in answer.points:
        assert point.cited and all(1 <= n <= len(answer.citations) for n in point.cited)
    return answer


def test_what_the_indian_ambassador_said_is_only_his_words(seed_settings):
    a = asked("What did the Indian ambassador say?", seed_settings)
    assert a.kind == "said" and a.answered
    assert {p.label for p in a.points} == {"Ashok Kumar"}
    assert "Lukashenko" not in a.text and "welcome Prime Minister Modi" not in a.text  # the president's words
    assert all(c.source.startswith("000_") for c in a.citations)


def test_a_yes_no_question_is_answered_yes_or_no_first(seed_settings):
    yes = asked("Does Belarus support India's bid for a permanent seat on the UN Security Council?", seed_settings)
    assert yes.kind == "yesno" and yes.generated_tokens > 0
    assert yes.text.startswith("Yes.") and "permanent seat" in yes.citations[0].quote
    no = asked("Is the Indian community in Belarus large?", seed_settings)
    assert no.text.startswith("No.") and "small" in no.citations[0].quote


def test_a_list_gathers_the_items_each_stated_by_its_sentence(seed_settings):
    a = asked("Name the products of Belarus's High Technology Park that Ambassador Kasko mentions.", seed_settings)
    assert a.kind == "list" and a.answered and a.generated_tokens > 0
    apps = {"world of tanks", "msqrd", "viber", "maps.me", "prisma"}
    assert len(apps & {p.text.lower() for p in a.points}) >= 3
    for point in a.points:
        assert point.text.lower() in a.citations[point.cited[0] - 1].quote.lower()
    assert len({p.text.lower() for p in a.points}) == len(a.points)  # each item once


def test_the_article_asked_about_is_the_one_summarised(seed_settings):
    a = asked("What are the main points of the article about the tractor plant?", seed_settings)
    assert a.kind == "summary" and a.answered
    assert 3 <= len(a.points) <= 6
    assert {c.source for c in a.citations} == {"002_7574b6fd87d240d1.txt"}
    assert all(p.quoted for p in a.points) and len({p.text for p in a.points}) == len(a.points)


def test_a_topic_is_summarised_from_several_articles_and_a_topic_they_lack_is_not(seed_settings):
    a = asked("Summarize what the articles say about trade between India and Belarus.", seed_settings)
    assert a.kind == "summary" and a.answered and a.generated_tokens > 0
    assert 3 <= len(a.points) <= 6 and len({c.source for c in a.citations}) >= 2
    lacking = asked("Summarize what the articles say about Belarus's space programme.", seed_settings)
    assert lacking.kind == "summary" and not lacking.answered and lacking.points == []


def test_a_timeline_is_in_the_order_of_its_dates(seed_settings):
    a = asked("Give a timeline of the visits between India and Belarus.", seed_settings)
    assert a.kind == "timeline" and a.answered and len(a.points) >= 2
    keys = [when(a.citations[p.cited[0] - 1].quote, a.citations[p.cited[0] - 1].date).key for p in a.points]
    assert keys == sorted(keys)
    assert all(p.label for p in a.points)


def test_a_timeline_of_one_article_is_told_from_that_article(seed_settings):
    # the interview is named by whom it is with, not by a title: it is found, and only it is read
    a = asked("Give a timeline of the visits described in Ambassador Kasko's interview.", seed_settings)
    assert a.kind == "timeline" and a.answered and len(a.points) >= 2
    assert {c.source for c in a.citations} == {"002_7574b6fd87d240d1.txt"}


def test_a_reason_the_articles_never_give_is_not_invented(seed_settings):
    a = asked("Why did Belarus cancel the joint tractor venture in Punjab?", seed_settings)
    assert a.kind == "reason" and not a.answered
    assert a.text.startswith("The articles do not say why")


def test_no_kinds_answers_as_a_fact(seed_settings):
    a = asked("List the products of the High Technology Park.", seed_settings.replace(kinds=False))
    assert a.kind == "fact" and a.points == []
