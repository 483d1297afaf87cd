from pathlib import Path

import pytest

from rag.errors import RagError
from rag.settings import Settings


def test_env_vars_map_onto_fields():
    s = Settings.from_env({"RAG_K": "7", "RAG_MODEL": "models/x.gguf", "RAG_GROUNDED": "0", "RAG_TEMPERATURE": "0.5"})
    assert s.k == 7
    assert s.model == Path("models/x.gguf")
    assert s.grounded is False
    assert s.temperature == 0.5


def test_replace_ignores_unset_flags_and_rejects_bad_values():
    s = Settings().replace(k=None, corpus="docs")
    assert s.k == Settings().k and s.corpus == Path("docs")
    with pytest.raises(RagError, match="expects int"):
        Settings.from_env({"RAG_K": "many"})


def test_other_corpus_gets_its_own_index_folder(tmp_path):
    assert Settings().index_path == Path("index")
    other = Settings(corpus=tmp_path / "docs").index_path
    assert other.parent == Path("index/corpora") and other.name.startswith("docs-")
    assert Settings(corpus=tmp_path, index_dir=tmp_path / "i").index_path == tmp_path / "i"
