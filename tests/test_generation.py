import pytest

from rag.errors import RagError
from rag.generation import LlamaGenerator, completion_prompt, packaged_model, resolve_model


def test_model_resolution_and_validation(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    assert resolve_model(None, models) == packaged_model()
    with pytest.raises(RagError, match="not found"):
        resolve_model(tmp_path / "missing.gguf", models)
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"not a model")
    with pytest.raises(RagError, match="not a GGUF"):
        resolve_model(fake, models)
    (models / "one.gguf").write_bytes(b"GGUF....")
    assert resolve_model(None, models) == models / "one.gguf"
    (models / "two.gguf").write_bytes(b"GGUF....")
    with pytest.raises(RagError, match="several models"):
        resolve_model(None, models)


def test_truncated_gguf_is_a_clear_error(tmp_path):
    bad = tmp_path / "truncated.gguf"
    bad.write_bytes(packaged_model().read_bytes()[:4096])
    with pytest.raises(RagError, match="cannot load model"):
        _ = LlamaGenerator(bad).llm


def test_completion_prompt_for_base_models():
    prompt = completion_prompt([{"role": "system", "content": "Rules."}, {"role": "user", "content": "Q?"}])
    assert prompt == "Rules.\n\nQ?\nAnswer:"


def test_packaged_model_answers_deterministically():
    gen = LlamaGenerator(packaged_model(), n_ctx=512)
    messages = [{"role": "user", "content": "Say the word: hello"}]
    first = "".join(gen.complete(messages, max_tokens=8))
    streamed = "".join(gen.complete(messages, max_tokens=8, stream=True))
    assert first.strip() and first == streamed
