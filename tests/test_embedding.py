import numpy as np

from rag.search.embedding import EMBEDDER_NAME, Embedder, packaged_model_dir


def test_model_loads_from_the_package_offline(embedder):
    assert packaged_model_dir().is_dir()
    assert embedder.name == EMBEDDER_NAME
    assert embedder.dimension == 384


def test_vectors_are_unit_length_and_meaningful(embedder):
    v = embedder.embed(
        ["The ambassador met the president.", "The envoy held talks with the head of state.", "Bananas are yellow."]
    )
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_token_counts_use_word_pieces_with_or_without_the_model_loaded(embedder):
    fresh = Embedder()  # tokenizer only, model not loaded
    long_text = "word " * 300
    for counter in (fresh, embedder):
        assert counter.count_tokens("Lukashenko") > 1
        assert counter.count_tokens("the cat") == 2
        assert counter.count_tokens(long_text) == 300  # neither padded nor truncated
    assert fresh._model is None
