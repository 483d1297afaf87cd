from rag.schema import Answer, Citation
from rag.serve.transcript import conversation_markdown


def citation(n: int, quote: str, start: int) -> Citation:
    return Citation(
        n, "000_a.txt", f"000_a.txt#{n}", quote, start, start + len(quote), 1.0, "Envoy *meets* [leader]", "2025-11-04"
    )


def test_questions_answers_quotes_and_where_each_quote_is():
    answered = Answer(
        "Who is India's ambassador?",
        "Ashok Kumar [1].",
        True,
        [citation(1, "Ambassador Ashok Kumar met <b>Lukashenko</b>.", 120)],
        search_query="Who is India's ambassador to Belarus?",
    )
    refused = Answer("What is the population of Reykjavik?", "The articles do not say.", False, [], warnings=["slow"])
    text = conversation_markdown([answered, refused])
    assert text.startswith("# Conversation with the articles")
    assert "## 1. Who is India's ambassador?" in text and "## 2. What is the population of Reykjavik?" in text
    assert "Ashok Kumar [1]." in text  # markers stay markers
    assert "*Searched for: Who is India's ambassador to Belarus?*" in text
    # The quote in full, its file, date and offsets; document text never becomes markup.
    assert "> Ambassador Ashok Kumar met \\<b\\>Lukashenko\\</b\\>." in text
    assert "- [1] Envoy \\*meets\\* \\[leader\\] (`000_a.txt`, 2025-11-04, characters 120–165)" in text
    assert "*Not in the articles.*" in text and "*Note: slow*" in text


def test_file_names_with_backticks_stay_whole():
    odd = Citation(1, "a`b.txt", "a`b.txt#0", "Quote.", 0, 6, 1.0)
    assert "(`` a`b.txt ``, characters 0–6)" in conversation_markdown([Answer("Q?", "A [1].", True, [odd])])


def test_an_empty_conversation_says_so():
    assert "No questions asked yet." in conversation_markdown([])


def test_a_pdf_quote_names_its_page():
    from dataclasses import replace

    cited = replace(citation(1, "The salary rose.", 40), source="report.pdf", page=2)
    text = conversation_markdown([Answer("How much?", "It rose [1].", True, [cited])])
    assert "(`report.pdf`, p. 2, 2025-11-04, characters 40–56)" in text


def test_an_answer_of_points_is_a_list_one_point_a_line():
    listed = Answer(
        "List the goods India wants.",
        "- BELAZ vehicles [1]\n- dairy products [1]",
        True,
        [citation(1, "He named BELAZ vehicles and dairy products.", 10)],
    )
    text = conversation_markdown([listed])
    assert "\n- BELAZ vehicles [1]\n- dairy products [1]\n" in text
