from rag.answer.kinds.comparison import sides


def test_the_two_sides_and_what_they_are_compared_on() -> None:
    assert sides("Compare India and Belarus on security.") == ("India", "Belarus", "security")
    assert sides("How does Belarus's trade differ from India's trade?") == ("Belarus's trade", "India's trade", "")
    assert sides("What are the differences between the 2021 and 2022 budgets?") == ("the 2021", "2022 budgets", "")
    assert sides("Compare what Belarus sells to India with what it buys from India, according to Kasko.") == (
        "what Belarus sells to India",
        "what it buys from India",
        "",
    )
    assert sides("How do the old rule and the new rule differ on price?") == ("the old rule", "the new rule", "price")
    assert sides("In what ways did the 2021 plan differ from the 2022 plan?") == ("the 2021 plan", "the 2022 plan", "")
    assert sides("Who is the ambassador?") is None
