from pathlib import Path

from rag.measure.fanout import worker_settings
from rag.settings import Settings


def test_a_worker_takes_its_machine_parts_from_its_own_environment():
    sent = Settings(corpus=Path("/data/news"), k=7, llm_url="http://coordinator:8000/v1")
    mine = worker_settings(
        sent, {"RAG_LLM_URL": "http://gpu2:8000/v1", "RAG_STORE": "http://q1:6333", "RAG_N_THREADS": "8", "RAG_K": "3"}
    )
    assert mine.llm_url == "http://gpu2:8000/v1" and mine.store == "http://q1:6333" and mine.n_threads == 8
    # What the question set is about stays the coordinator's: the same corpus and retrieval for every row.
    assert mine.corpus == Path("/data/news") and mine.k == 7
    assert worker_settings(sent, {}) == sent
