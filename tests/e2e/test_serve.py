"""The served app through its documented API, as scripts use it: many clients at once."""

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DEV = Path(__file__).resolve().parents[2] / "eval" / "seeds_dev.jsonl"


def ten_questions() -> list[dict]:
    """Ten different questions of the project's own set, on different articles."""
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[::7][:10]


def test_ten_clients_at_once_each_get_their_own_answer(small_served_server, start_server, tmp_path):
    from gradio_client import Client

    questions = ten_questions()
    # Requests kept apart under load is what is tested, not how well the model reads: SmolLM2
    # reads a question in about a second. Each question is asked alone of the shared server;
    # the ten are then asked at once of a server just started, whose reply memory has never
    # seen them, so that each of the ten is written by the model while the others wait.
    client = Client(small_served_server.url, verbose=False)
    alone = {q["question"]: client.predict(q["question"], "", api_name="/answer") for q in questions}
    with start_server(tmp_path, "--model", "smollm2") as fresh:

        def ask_in_own_client(q: dict) -> tuple[str, dict]:
            return q["question"], Client(fresh.url, verbose=False).predict(q["question"], "", api_name="/answer")

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=10) as pool:
            together = dict(pool.map(ask_in_own_client, questions))
        wall = time.perf_counter() - started

    assert len(together) == 10
    for q in questions:
        got = together[q["question"]]
        assert "error" not in got, got
        assert got["question"] == q["question"]
        # The model wrote this reply under load (a remembered reply counts no token written).
        assert got["generated_tokens"] > 0, got
        # Right: its own question's answer is in it (the answer, or the closest quotes of a
        # refusal), and it is the answer the question gets alone: nothing leaked between requests.
        assert any(a.lower() in got["text"].lower() for a in q["answers"]), (q["answers"], got["text"])
        assert got["text"] == alone[q["question"]]["text"]
        assert [c["quote"] for c in got["citations"]] == [c["quote"] for c in alone[q["question"]]["citations"]]
    assert len({got["text"] for got in together.values()}) == 10  # each its own
    # They queued on the one reader: one question read at a time, never two at once.
    assert sum(got["timings"]["generate"] for got in together.values()) <= wall


def test_the_chat_endpoint_streams_into_a_history(served):
    from gradio_client import Client

    history, sources, box = Client(served, verbose=False).predict(
        "Who is India's ambassador to Belarus?", [], "default", 5, 0.0, api_name="/chat"
    )
    assert history[0]["role"] == "user" and "Ashok Kumar" in str(history[-1]["content"])
    assert "<mark>" in sources and box == ""
