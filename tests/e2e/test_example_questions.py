"""Example questions for a corpus that is not the seeds: generated from its articles and kept
only when the real pipeline answers them."""

import shutil
from pathlib import Path

import pytest

from rag import ask
from rag.measure.examples import for_corpus
from rag.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.e2e


def test_examples_for_any_corpus_are_answered_and_remembered(tmp_path):
    corpus = tmp_path / "articles"
    shutil.copytree(SEEDS, corpus)
    settings = Settings(corpus=corpus, index_dir=tmp_path / "index")
    examples = for_corpus(settings)
    assert 1 <= len(examples) <= 3
    assert all(q.endswith("?") and len(q.split()) <= 9 and "“" not in q for q in examples)
    assert all(ask(q, settings=settings).answered for q in examples)
    assert (tmp_path / "index" / "examples.json").is_file()
    assert for_corpus(settings) == examples  # the second start reads them back
    # An empty corpus offers nothing rather than failing.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert for_corpus(Settings(corpus=empty, index_dir=tmp_path / "index2")) == []
