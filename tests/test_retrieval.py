from rag.search.retrieval import diversify, fuse


def test_rrf_rewards_agreement_between_retrievers():
    fused = fuse([[1, 2, 3], [3, 1, 4]], rrf_k=60)
    order = sorted(fused, key=lambda r: -fused[r])
    assert order[:2] == [1, 3]
    assert set(fused) == {1, 2, 3, 4}


def test_diversify_caps_one_source_but_fills_when_nothing_else():
    sources = ["a", "a", "a", "b", "a"]
    assert diversify([0, 1, 2, 4, 3], sources, k=3, max_per_source=2) == [0, 1, 3]
    assert diversify([0, 1, 2, 4], sources, k=3, max_per_source=2) == [0, 1, 2]


def _news(tmp_path):
    """Three reports of the same kind of event, published on different days."""
    corpus = tmp_path / "news"
    corpus.mkdir()
    for day, city in (("2022-06-01", "Oslo"), ("2022-06-14", "Lima"), ("2022-06-20", "Hanoi")):
        (corpus / f"{day}.txt").write_text(
            f" date {day} The annual chess open was won by a player from {city}. "
            f"The chess open drew large crowds in {city}.\n",
            encoding="utf-8",
        )
    return corpus


def test_as_of_leaves_out_later_articles_and_this_week_prefers_its_own(tmp_path, embedder):
    from datetime import date

    from rag.search.index import build_index, chunking_params
    from rag.search.retrieval import retrieve_passages

    index = build_index(_news(tmp_path), tmp_path / "index", embedder, chunking_params(128, 32))
    question = "Who won the chess open this week?"
    asked = date(2022, 6, 16)

    everything = retrieve_passages(index, embedder, question, k=3, date_aware=False)
    assert {p.date for p in everything} == {"2022-06-01", "2022-06-14", "2022-06-20"}
    as_of = retrieve_passages(index, embedder, question, k=3, as_of=asked)
    assert {p.date for p in as_of} == {"2022-06-01", "2022-06-14"}
    assert as_of[0].date == "2022-06-14"
    undated = retrieve_passages(index, embedder, question, k=3, as_of=asked, date_aware=False)
    assert undated[0].date == "2022-06-01"  # so the period's vote is what put June 14 first
    # Asked on no particular day, a question naming no period gets no date vote...
    oslo = "Who won the chess open in Oslo?"
    assert retrieve_passages(index, embedder, oslo, k=3)[0].date == "2022-06-01"
    # ...while one asked as of a day is about the news of the two weeks before it.
    assert retrieve_passages(index, embedder, oslo, k=3, as_of=asked)[0].date == "2022-06-14"


def test_each_retriever_alone_and_unknown_ones_refused(tmp_path, embedder):
    import pytest

    from rag.errors import InputError
    from rag.search.index import build_index, chunking_params
    from rag.search.retrieval import retrieve_passages

    index = build_index(_news(tmp_path), tmp_path / "index", embedder, chunking_params(128, 32))
    for retriever in ("dense", "bm25", "hybrid"):
        top = retrieve_passages(index, embedder, "chess open Hanoi", k=1, retriever=retriever)
        assert "Hanoi" in top[0].text
    with pytest.raises(InputError, match="unknown retriever"):
        retrieve_passages(index, embedder, "chess", k=1, retriever="magic")


def test_a_month_without_a_year_is_the_latest_such_month_the_articles_cover(tmp_path, embedder):
    from rag.search.index import build_index, chunking_params
    from rag.search.retrieval import retrieve_passages

    corpus = _news(tmp_path)
    (corpus / "2022-05-20.txt").write_text(
        " date 2022-05-20 The annual chess open was won by a player from Tallinn.\n", encoding="utf-8"
    )
    index = build_index(corpus, tmp_path / "index", embedder, chunking_params(128, 32))
    question = "Who won the chess open in May?"
    # Asked today, years after the articles end: May is May 2022, not this year's May. Its
    # article gets the period's vote (scores are fused ranks: one more vote puts it first
    # whatever order the search ranked the four in).
    voted = {p.date: p.score for p in retrieve_passages(index, embedder, question, k=4)}
    unvoted = {p.date: p.score for p in retrieve_passages(index, embedder, question, k=4, date_aware=False)}
    assert voted["2022-05-20"] > unvoted["2022-05-20"]
    assert max(voted, key=voted.__getitem__) == "2022-05-20"
