from datetime import date

import pytest

from rag.errors import InputError
from rag.search.dates import Period, as_of_day, parse_day, publication_period, question_period

TODAY = date(2022, 6, 16)


def test_relative_periods_count_back_from_the_day_asked():
    assert question_period("Who won the vote this week?", TODAY) == Period(date(2022, 6, 9), TODAY)
    assert question_period("What happened yesterday?", TODAY) == Period(date(2022, 6, 15), date(2022, 6, 15))


def test_months_and_years():
    # A month without a year is the latest one up to the day asked.
    assert question_period("What did the court rule in March?", TODAY).start == date(2022, 3, 1)
    assert question_period("What did the court rule in August?", TODAY).start == date(2021, 8, 1)
    # asked of articles that end earlier: the latest such month they cover
    assert question_period("Whom did he meet in November?", TODAY, date(2020, 12, 2)).start == date(2020, 11, 1)
    assert question_period("Whom did he meet in December?", TODAY, date(2020, 11, 20)).start == date(2019, 12, 1)
    assert question_period("What did the court rule in March?", TODAY, date(2030, 1, 1)).start == date(2022, 3, 1)
    assert question_period("Who spoke on June 3, 2021?", TODAY) == Period(date(2021, 6, 3), date(2021, 6, 6))
    assert question_period("What changed in 2015?", TODAY) == Period(date(2015, 1, 1), date(2015, 12, 31))


def test_the_news_a_question_asks_about_was_published_in_its_relative_period_or_the_weeks_before_it_was_asked():
    assert publication_period("Who won the vote this week?", TODAY) == Period(date(2022, 6, 9), TODAY)
    assert publication_period("Who won the vote?", TODAY) == Period(date(2022, 6, 2), TODAY)
    # a named month or year is when it happened, which a later article may tell
    assert publication_period("Who visited Minsk in 1985?", TODAY) is None
    assert publication_period("Whom did he meet in November?", TODAY) is None
    assert publication_period("Who won the vote?", None) is None


def test_words_that_only_look_like_dates_are_not_periods():
    for question in ("It may rain on the march", "Super Bowl 2021 location", "Who leads the party?"):
        assert question_period(question, TODAY) is None


def test_days_are_parsed_strictly():
    assert parse_day("2022/06/16") == parse_day("2022-06-16") == TODAY
    assert parse_day("2022-02-30") is None
    assert as_of_day(None) is None
    with pytest.raises(InputError, match="as_of"):
        as_of_day("last tuesday")
