from rag.answer.kinds.listing import items_of


def test_items_one_a_line_or_several_on_one():
    assert items_of("- dump trucks [3]", 5) == [("dump trucks", [2])]
    assert items_of("Arizona [2], Nevada [2], Mexico [4].", 5) == [("Arizona", [1]), ("Nevada", [1]), ("Mexico", [3])]
    assert items_of("- tea", 5) == [("tea", [])]  # the item stands or falls by the sentences that state it
