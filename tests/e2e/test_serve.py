"""The served app through its documented API, as scripts use it: many clients at once."""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DEV = Path(__file__).resolve().parents[2] / "eval" / "seeds_dev.jsonl"


def ten_questions() -> list[dict]:
    """Ten different answerable questions from the project's own set."""
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if not r.get("unanswerable") and r.get("answers")][::9][:10]


def test_ten_clients_at_once_each_get_their_own_answer(served):
    from gradio_client import Client

    questions = ten_questions()
    alone = {}
    client = Client(served, verbose=False)
    for q in questions:
        alone[q["question"]] = client.predict(q["question"], "", api_name="/answer")

    def ask_in_own_client(q: dict) -> tuple[str, dict]:
        return q["question"], Client(served, verbose=False).predict(q["question"], "", api_name="/answer")

    with ThreadPoolExecutor(max_workers=10) as pool:
        together = dict(pool.map(ask_in_own_client, questions))

    assert len(together) == 10
    for q in questions:
        got = together[q["question"]]
        assert "error" not in got, got
        assert got["question"] == q["question"]
        # The same answer as when asked alone: nothing leaked between concurrent requests.
        assert got["text"] == alone[q["question"]]["text"]
        assert [c["quote"] for c in got["citations"]] == [c["quote"] for c in alone[q["question"]]["citations"]]
    # most are answered (the reader refuses what it cannot verify; which ones may vary by kernel)
    answered = [q for q in questions if together[q["question"]]["answered"]]
    assert len(answered) >= 4


def test_the_chat_endpoint_streams_into_a_history(served):
    from gradio_client import Client

    history, sources, box = Client(served, verbose=False).predict(
        "Who is India's ambassador to Belarus?", [], "default", 5, 0.0, api_name="/chat"
    )
    assert history[0]["role"] == "user" and "Ashok Kumar" in str(history[-1]["content"])
    assert "<mark>" in sources and box == ""
