"""FAISS and the Qdrant store give the same passages and the same answers on the seeds."""

from pathlib import Path

import pytest

from rag import ask
from rag.answer.models import SMALL_MODEL
from rag.answering import search
from rag.cache import get_index
from rag.measure.eval import load_questions

pytestmark = pytest.mark.e2e

DEV = Path(__file__).resolve().parents[2] / "eval" / "seeds_dev.jsonl"


def test_every_dev_question_retrieves_the_same_passages_on_both_stores(seed_settings):
    index = get_index(seed_settings)
    engine = seed_settings.replace(store="qdrant")
    for q in load_questions(DEV):
        faiss = [(p.chunk_id, p.score) for p in search(index, q.question, seed_settings)]
        qdrant = [(p.chunk_id, p.score) for p in search(index, q.question, engine)]
        assert qdrant == faiss, q.question


def test_seed_answers_are_identical_on_both_stores(seed_settings):
    # What is tested is the store, not how well the model reads: SmolLM2 reads each question
    # through the same pipeline in about a second.
    small = seed_settings.replace(model=SMALL_MODEL)
    engine = small.replace(store="qdrant")
    # a few questions suffice: the passages are the same for every question (above), and the
    # reader given the same passages says the same
    for q in load_questions(DEV)[::28]:
        faiss, qdrant = ask(q.question, settings=small), ask(q.question, settings=engine)
        assert qdrant.text == faiss.text, q.question
        assert qdrant.citations == faiss.citations
