from rag.retrieval import diversify, fuse


def test_rrf_rewards_agreement_between_retrievers():
    fused = fuse([[1, 2, 3], [3, 1, 4]], rrf_k=60)
    order = sorted(fused, key=lambda r: -fused[r])
    assert order[:2] == [1, 3]
    assert set(fused) == {1, 2, 3, 4}


def test_diversify_caps_one_source_but_fills_when_nothing_else():
    sources = ["a", "a", "a", "b", "a"]
    assert diversify([0, 1, 2, 4, 3], sources, k=3, max_per_source=2) == [0, 1, 3]
    assert diversify([0, 1, 2, 4], sources, k=3, max_per_source=2) == [0, 1, 2]
