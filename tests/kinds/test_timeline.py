from rag.answer.kinds.timeline import when


def test_a_written_date_places_the_event() -> None:
    held = when("The talks were held in Minsk from 27 to 28 October 2025.", None)
    assert held.key == (2025, 10, 27) and held.label == "27 to 28 October 2025"  # as the sentence writes it
    assert when("On March 11, 2024 the minister arrived.", None).key == (2024, 3, 11)
    assert when("In 1985, Rajiv Gandhi visited Soviet Belarus.", None).label == "1985"
    assert when("In the 1990s the ties were kept.", None).label == "the 1990s"


def test_a_date_without_its_year_is_read_against_the_articles_day() -> None:
    event = when("On November 4, Lukashenko met the ambassador.", "2025-11-03")
    assert event.key == (2025, 11, 4) and event.label == "November 4 (article of 2025-11-03)"
    weekday = when("Kumar met Lukashenko in Minsk on Tuesday.", "2025-11-06")  # a Thursday
    assert weekday.key == (2025, 11, 4) and weekday.label == "on Tuesday (article of 2025-11-06)"


def test_an_undated_sentence_is_not_placed() -> None:
    assert when("Relations are warm and heartfelt.", "2025-11-03") is None
    assert when("The talks were held on Tuesday.", None) is None
