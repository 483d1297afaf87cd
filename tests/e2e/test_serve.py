"""The served app through its documented API, as scripts use it: many clients at once."""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DEV = Path(__file__).resolve().parents[2] / "eval" / "seeds_dev.jsonl"


def ten_questions() -> list[dict]:
    """Ten different questions of the project's own set, on different articles."""
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[::7][:10]


def test_ten_clients_at_once_each_get_their_own_answer(small_served_server):
    from gradio_client import Client

    questions = ten_questions()
    # Requests kept apart is what is tested, not how well the model reads: SmolLM2 reads each
    # question (its reply goes through the same generator and prompt memory) in about a second.
    # Asked again, a reply is the one remembered for its prompt's tokens: a request whose prompt
    # took in anything of another's is read anew, and its answer differs from the one alone.
    url = small_served_server.url
    client = Client(url, verbose=False)
    alone = {q["question"]: client.predict(q["question"], "", api_name="/answer") for q in questions}

    def ask_in_own_client(q: dict) -> tuple[str, dict]:
        return q["question"], Client(url, verbose=False).predict(q["question"], "", api_name="/answer")

    with ThreadPoolExecutor(max_workers=10) as pool:
        together = dict(pool.map(ask_in_own_client, questions))

    assert len(together) == 10
    for q in questions:
        got = together[q["question"]]
        assert "error" not in got, got
        assert got["question"] == q["question"]
        # the reader step ran, under load (a remembered reply still renders and tokenizes its prompt: ~3 ms)
        assert got["timings"].get("generate"), got
        # The same answer as when asked alone: nothing leaked between concurrent requests.
        assert got["text"] == alone[q["question"]]["text"]
        assert [c["quote"] for c in got["citations"]] == [c["quote"] for c in alone[q["question"]]["citations"]]
    assert len({got["text"] for got in together.values()}) == 10  # each its own


def test_the_chat_endpoint_streams_into_a_history(served):
    from gradio_client import Client

    history, sources, box = Client(served, verbose=False).predict(
        "Who is India's ambassador to Belarus?", [], "default", 5, 0.0, api_name="/chat"
    )
    assert history[0]["role"] == "user" and "Ashok Kumar" in str(history[-1]["content"])
    assert "<mark>" in sources and box == ""
