from pathlib import Path

import numpy as np
import pytest

from rag.errors import InputError
from rag.search import embed_backend
from rag.search.embedding import EMBEDDER_NAME, Embedder, packaged_model_dir
from rag.settings import Settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


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


# ------------------------------------------------------------------ backends


def test_the_backend_follows_the_cpu_flags_and_the_override(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16\n\n", encoding="utf-8")
    flags = embed_backend.cpu_flags(cpuinfo)
    assert "avx512_bf16" in flags and "avx2" in flags
    assert embed_backend.cpu_flags(tmp_path / "absent") == frozenset()
    assert embed_backend.choose("auto", flags) == "bf16"
    assert embed_backend.choose("auto", frozenset({"amx_bf16"})) == "bf16"
    assert embed_backend.choose("auto", frozenset({"avx2"})) == "fp32"
    assert embed_backend.choose("FP32", flags) == "fp32"
    with pytest.raises(InputError, match="needs a CPU with"):
        embed_backend.choose("bf16", frozenset({"avx2"}))
    with pytest.raises(InputError, match="unknown embedding backend"):
        embed_backend.choose("int8", flags)


def test_the_environment_picks_the_backend():
    assert Settings.from_env({"RAG_EMBED_BACKEND": "fp32"}).embed_backend == "fp32"
    assert Settings.from_env({}).embed_backend == "auto"
    assert Embedder(backend="fp32").backend == "fp32"
    with pytest.raises(InputError):
        Embedder(backend="onnx")  # a bad value is one line, before the model loads


def seed_texts(n: int) -> list[str]:
    """Real chunk-sized texts and question-sized ones: what index and queries embed."""
    from rag.ingest.chunking import split_sentences

    texts: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = split_sentences(text)
        texts += [text[s:e] for s, e in spans[1:6]]  # short, like questions
        for first in range(0, len(spans), 4):  # long, like chunks
            texts.append(text[spans[first][0] : spans[min(len(spans), first + 6) - 1][1]])
    return list(dict.fromkeys(texts))[:n]


@pytest.mark.parametrize("backend", embed_backend.BACKENDS)
def test_every_backend_gives_the_float32_vectors(backend, embedder):
    if backend not in embed_backend.available(embed_backend.cpu_flags()):
        pytest.skip(
            f"this CPU has neither {' nor '.join(sorted(embed_backend.BF16_FLAGS))}: {backend} would be emulated"
        )
    texts = seed_texts(48)
    assert len(texts) >= 36
    reference = Embedder(backend="fp32")
    reference._model = embedder.model  # the same weights: only the arithmetic differs
    other = Embedder(backend=backend)
    other._model = embedder.model
    expected, got = reference.embed(texts), other.embed(texts)
    assert got.dtype == np.float32 and got.shape == expected.shape
    cosines = (expected * got).sum(axis=1)
    assert cosines.min() >= 0.999, f"{backend}: worst cosine {cosines.min():.5f}"
    # Retrieval unchanged: each text's nearest other is the same; the five nearest, in order,
    # may swap only where two are tied to the fourth decimal.
    top = np.argsort(-(expected @ expected.T), axis=1)[:, 1:6]
    top_other = np.argsort(-(got @ got.T), axis=1)[:, 1:6]
    assert (top[:, 0] == top_other[:, 0]).all()
    assert np.mean(top == top_other) >= 0.95


def test_a_sentence_gets_one_vector_whatever_shares_its_batch():
    # Evidence sentences are embedded in batches the cache leaves: a sentence's vector must not
    # depend on them, or an answer would depend on the questions asked before it.
    sentence = "Ashok Kumar, Extraordinary and Plenipotentiary Ambassador of India to Belarus:"
    companions = [
        "Belarus.",
        "The two sides discussed trade, investment, pharmaceuticals, information technology and "
        "agriculture at length during the talks held at the Palace of Independence in Minsk on Tuesday.",
    ]
    alone = Embedder(backend=embed_backend.AUTO).embed_cached([sentence])[0]
    batched = Embedder(backend=embed_backend.AUTO).embed_cached([*companions, sentence])[-1]
    assert np.abs(alone - batched).max() < 1e-5
