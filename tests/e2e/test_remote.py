"""Generation through an OpenAI-compatible server: a real `python -m rag.model_server` (llama_cpp.server) on
loopback, streaming, and `rag eval --workers` against it."""

import json
import socket
import subprocess
import sys
import time

import pytest

from rag.answering import ask
from rag.errors import RagError
from rag.eval import run_eval
from rag.models import resolve_model

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path_factory.mktemp("llm") / "server.log").open("w")
    model = resolve_model(None, tmp_path_factory.mktemp("no-models"))
    command = [sys.executable, "-m", "rag.model_server", "--model", str(model), "--host", "127.0.0.1"]
    proc = subprocess.Popen(
        [*command, "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("llama_cpp.server did not start")
    yield f"http://127.0.0.1:{port}/v1"
    proc.terminate()
    proc.wait(timeout=30)


def test_answers_stream_from_a_model_server(seed_settings, llm_url):
    remote = ask("Who is India's ambassador to Belarus?", settings=seed_settings.replace(llm_url=llm_url))
    assert remote.answered and "Ashok Kumar" in remote.text
    assert remote.timings["first_token"] < remote.timings["generate"]  # it streamed
    assert remote.model != "" and remote.citations


def test_a_server_that_is_down_is_a_clear_error(seed_settings):
    with pytest.raises(RagError, match="does not answer"):
        ask("Who is India's ambassador to Belarus?", settings=seed_settings.replace(llm_url="http://127.0.0.1:9/v1"))


def test_eval_runs_questions_in_parallel_against_the_server(seed_settings, llm_url, tmp_path):
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "1", "question": "Who is India's ambassador to Belarus?", "answers": ["Ashok Kumar"]},
        {"id": "2", "question": "Who is the Belarusian defence minister?", "answers": ["Khrenin"]},
        {"id": "3", "question": "What is the population of Reykjavik?", "unanswerable": True},
        {"id": "4", "question": "Where did Ashok Kumar meet Lukashenko?", "answers": ["Palace of Independence"]},
    ]
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_eval(questions, seed_settings.replace(llm_url=llm_url), out=out, workers=4)
    assert "questions" in summary
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in results] == ["1", "2", "3", "4"]  # in question order
    assert sum(r["correct"] for r in results) >= 3
