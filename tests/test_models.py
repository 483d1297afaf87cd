import pytest

from rag.answer.generation import LlamaGenerator
from rag.answer.models import install, installed_models, packaged_model, quantize, quantized_default, resolve_model
from rag.errors import ModelError


def test_model_resolution_and_validation(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    assert resolve_model(None, models) == packaged_model()
    with pytest.raises(ModelError, match="not found"):
        resolve_model(tmp_path / "missing.gguf", models)
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="not a GGUF"):
        resolve_model(fake, models)
    (models / "one.gguf").write_bytes(b"GGUF....")
    assert resolve_model(None, models) == models / "one.gguf"
    (models / "two.gguf").write_bytes(b"GGUF....")
    with pytest.raises(ModelError, match="several models"):
        resolve_model(None, models)


def test_the_quantized_default_is_preferred_but_a_users_model_wins(tmp_path):
    quantized = quantized_default(tmp_path)
    quantized.parent.mkdir()
    quantized.write_bytes(b"GGUF....")
    assert resolve_model(None, tmp_path) == quantized
    (tmp_path / "mine.gguf").write_bytes(b"GGUF....")
    assert resolve_model(None, tmp_path) == tmp_path / "mine.gguf"
    assert [m.role for m in installed_models(tmp_path)] == ["packaged", "quantized", "user"]


@pytest.mark.model
def test_quantize_writes_a_model_that_answers_like_the_original(tmp_path):
    target = quantize(packaged_model(), tmp_path / "q8.gguf", "Q8_0")
    assert target.stat().st_size > packaged_model().stat().st_size  # 8 bits a weight instead of ~4.5
    messages = [{"role": "user", "content": "What is the capital of France? One word."}]
    original = "".join(LlamaGenerator(packaged_model(), n_ctx=256).complete(messages, max_tokens=6))
    copy = "".join(LlamaGenerator(target, n_ctx=256).complete(messages, max_tokens=6))
    assert "Paris" in original and "Paris" in copy


def test_quantize_refuses_bad_input_and_leaves_nothing(tmp_path):
    with pytest.raises(ModelError, match="unknown format"):
        quantize(packaged_model(), tmp_path / "x.gguf", "Q3_X")
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ModelError, match="could not quantize"):
        quantize(bad, tmp_path / "out.gguf", "Q8_0")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.gguf"]


def test_install_names_what_it_can_install(tmp_path):
    with pytest.raises(ModelError, match=r"unknown model 'nope': choose one of qwen2\.5-coder-0\.5b"):
        install("nope", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_installed_reader_is_the_default_and_smollm2_one_name_away(tmp_path):
    from rag.answer.models import installed_path, small_model

    assert resolve_model(None, tmp_path) == small_model(tmp_path) == packaged_model()
    reader = installed_path("qwen2.5-coder-1.5b", tmp_path)
    with pytest.raises(ModelError, match=r"rag models install qwen2\.5-coder-1\.5b"):
        resolve_model("qwen2.5-coder-1.5b", tmp_path)
    reader.parent.mkdir()
    reader.write_bytes(b"GGUF....")
    assert resolve_model(None, tmp_path) == resolve_model("qwen2.5-coder-1.5b", tmp_path) == reader
    assert resolve_model("smollm2", tmp_path) == packaged_model()
    (tmp_path / "mine.gguf").write_bytes(b"GGUF....")
    assert resolve_model(None, tmp_path) == tmp_path / "mine.gguf"  # a user's own model still wins
    assert [m.role for m in installed_models(tmp_path)] == ["packaged", "installed", "user"]
