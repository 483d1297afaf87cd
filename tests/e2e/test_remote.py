"""Generation through an OpenAI-compatible server: a real `python -m rag.serve.model_server` (llama_cpp.server) on
loopback, streaming, and `rag eval --workers` against it."""

import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.answer.models import SMALL_MODEL, resolve_model
from rag.answering import ask
from rag.errors import RagError
from rag.measure.eval import run_eval

pytestmark = pytest.mark.e2e
MODELS = Path(__file__).resolve().parents[2] / "models"


@contextlib.contextmanager
def model_server(model: Path, log: Path) -> Iterator[str]:
    """`python -m rag.serve.model_server` on loopback with the given GGUF; yields its /v1 address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "rag.serve.model_server", "--model", str(model), "--host", "127.0.0.1"]
    proc = subprocess.Popen(
        [*command, "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"],
        stdout=log.open("w"),
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


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory):
    """The default reader behind a model server."""
    with model_server(resolve_model(None, MODELS), tmp_path_factory.mktemp("llm") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def small_llm_url(tmp_path_factory):
    """SmolLM2 behind a model server: for what the reader's wording does not decide (fan-out, order)."""
    with model_server(resolve_model(SMALL_MODEL, MODELS), tmp_path_factory.mktemp("small") / "server.log") as url:
        yield url


def test_answers_stream_from_a_model_server(seed_settings, llm_url):
    remote = ask("Who is India's ambassador to Belarus?", settings=seed_settings.replace(llm_url=llm_url))
    assert remote.answered and "Ashok Kumar" in remote.text
    assert remote.timings["first_token"] < remote.timings["generate"]  # it streamed
    assert remote.model != "" and remote.citations


def test_a_server_that_is_down_is_a_clear_error(seed_settings):
    with pytest.raises(RagError, match="does not answer"):
        ask("Who is India's ambassador to Belarus?", settings=seed_settings.replace(llm_url="http://127.0.0.1:9/v1"))


def four_questions(folder: Path) -> Path:
    """Three answerable seed questions and one the articles cannot answer, as a question file."""
    questions = folder / "q.jsonl"
    rows = [
        {"id": "1", "question": "Who is India's ambassador to Belarus?", "answers": ["Ashok Kumar"]},
        {"id": "2", "question": "Who is the Belarusian defence minister?", "answers": ["Khrenin"]},
        {"id": "3", "question": "What is the population of Reykjavik?", "unanswerable": True},
        {"id": "4", "question": "Where did Ashok Kumar meet Lukashenko?", "answers": ["Palace of Independence"]},
    ]
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return questions


def test_eval_runs_questions_in_parallel_against_the_server(seed_settings, llm_url, tmp_path):
    questions = four_questions(tmp_path)
    out = tmp_path / "out.jsonl"
    started = time.perf_counter()
    summary = run_eval(questions, seed_settings.replace(llm_url=llm_url), out=out, workers=4)
    wall = time.perf_counter() - started
    assert "questions" in summary
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in results] == ["1", "2", "3", "4"]  # in question order
    # In parallel: the questions' own times overlap, so they add up to more than the whole run
    # (one after another, each would lie within the run, apart from the others).
    assert sum(r["seconds"] for r in results) > wall, ([r["seconds"] for r in results], wall)
    assert sum(r["correct"] for r in results) >= 3


@pytest.fixture(scope="module")
def dask_cluster(small_llm_url, tmp_path_factory):
    """A real Dask scheduler and two worker processes on loopback, each worker told by its own
    environment which model server to use."""
    import os

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
    dask = [str(Path(sys.executable).parent / "dask")]
    procs = [
        subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=(logs / "scheduler.log").open("w"),
            stderr=subprocess.STDOUT,
        )
    ]
    for name in ("w1", "w2"):
        procs.append(
            subprocess.Popen(
                [*dask, "worker", address, "--nthreads", "1", "--name", name, "--no-dashboard", "--no-nanny"],
                stdout=(logs / f"{name}.log").open("w"),
                stderr=subprocess.STDOUT,
                env={**os.environ, "RAG_LLM_URL": small_llm_url},
            )
        )
    yield address
    for proc in reversed(procs):
        proc.terminate()
        proc.wait(timeout=30)


def test_eval_fans_out_over_a_dask_cluster_in_question_order(seed_settings, small_llm_url, dask_cluster, tmp_path):
    from distributed import Client

    from rag.measure.eval import load_questions
    from rag.measure.fanout import answer_on_cluster

    questions = four_questions(tmp_path)
    here = tmp_path / "here.jsonl"
    run_eval(questions, seed_settings.replace(llm_url=small_llm_url), out=here)
    with Client(dask_cluster, timeout=60) as client:
        client.wait_for_workers(2, timeout=120)
        # The workers' own RAG_LLM_URL, not the coordinator's (which names no server), generates.
        spread = answer_on_cluster(load_questions(questions), seed_settings, dask_cluster, batch=1)
        loaded = client.run(lambda: len(__import__("rag.cache").cache._cache.indexes))
    assert sorted(loaded.values()) == [1, 1]  # both workers answered
    expected = [json.loads(line) for line in here.read_text().splitlines()]
    assert [r["id"] for r in spread] == ["1", "2", "3", "4"]
    drop = ("seconds",)
    assert [{k: v for k, v in r.items() if k not in drop} for r in spread] == [
        {k: v for k, v in r.items() if k not in drop} for r in expected
    ]
    # The command line reaches the same cluster.
    out = tmp_path / "cluster.jsonl"
    summary = run_eval(questions, seed_settings, out=out, cluster=dask_cluster)
    assert f"on the Dask cluster at {dask_cluster}" in summary
    assert [json.loads(line)["answer"] for line in out.read_text().splitlines()] == [r["answer"] for r in expected]


def test_a_dask_scheduler_that_is_down_is_a_clear_error(seed_settings):
    from rag.measure.fanout import answer_on_cluster

    with pytest.raises(RagError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        answer_on_cluster([], seed_settings, "tcp://127.0.0.1:9", timeout=2)
