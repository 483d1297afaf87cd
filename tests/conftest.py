"""Shared fixtures: tiny corpora in tmp_path, the project's seeds read in place.

A rule for tests of the model's behaviour: the generator remembers each greedy reply by its
prompt's tokens (LlamaGenerator.replies), and asked again gives it back without reading or
writing. Such a test either clears that memory first (generator.forget_replies(), or a server
just started that has never seen its questions) or asserts that the model was asked (its eval
read tokens; an Answer's generated_tokens > 0, which counts no token of a remembered reply),
so that the memory never stands in for the model."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MODEL_FIXTURES = {
    "embedder",
    "seed_settings",
    "served",
    "served_server",
    "small_served_server",
    "start_server",
    "llm_url",
    "small_llm_url",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for a loaded model is in the slow tier (`model`), however it is written:
    `make check` runs the rest in seconds."""
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


@pytest.fixture
def belarus_passages() -> list:
    """One retrieved passage about India and Belarus, starting at offset 100 of its document."""
    from rag.schema import Passage

    text = (
        "Indian Ambassador to Belarus, Ashok Kumar, held a meeting with Lukashenko. "
        "The weather in Minsk was cold. Trade turnover doubled to half a billion dollars."
    )
    return [Passage("001.txt", "001.txt#0", text, 100, 100 + len(text), 0.03, "India and Belarus", None)]


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(
        " date 2024-03-05 The Blue Lake festival opens in Minsk on Friday. "
        "Organizers expect 12,000 visitors this year.\n\n"
        "Tickets cost 15 rubles and are sold at the gate.\n",
        encoding="utf-8",
    )
    (corpus / "sub" / "b.md").write_text(
        "# Rail link agreement\n\nIndia and Belarus signed a rail freight agreement in Delhi. "
        "The first train is planned for May 2026.\n",
        encoding="utf-8",
    )
    return corpus


@pytest.fixture(scope="session")
def embedder():
    from rag.cache import get_embedder

    return get_embedder()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(workdir: Path) -> dict[str, str]:
    return {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "RAG_RUNTIME_DIR": str(workdir / "run")}


@dataclass
class Server:
    url: str
    pid: int
    workdir: Path  # its corpus in articles/, its index in index/, its note for `rag ask` in run/


# The first server's index of the seeds, with the example questions it checked at its start. A
# later server starts from a copy, as `rag serve` restarted over the same articles does; examples
# checked for other settings (another model) are checked again by the server itself.
PREPARED_INDEX: list[Path] = []


@contextlib.contextmanager
def rag_server(workdir: Path, *extra: str, host: str = "127.0.0.1") -> Iterator[Server]:
    """A real `rag serve` on loopback (or on `host`, an address of this machine) over a copy of
    the seeds (tests add documents to it), the index in workdir, its note for `rag ask` in
    workdir/run; yields it once it accepts connections."""
    port = free_port()
    corpus = workdir / "articles"
    shutil.copytree(ROOT / "seeds", corpus)  # copy2 keeps the files' times: a copied index stays fresh
    if PREPARED_INDEX:
        shutil.copytree(PREPARED_INDEX[0], workdir / "index")
    log = (workdir / "serve.log").open("w")
    command = [sys.executable, "-m", "rag.serve.cli", "serve", "--corpus", str(corpus)]
    command += ["--index-dir", str(workdir / "index"), "--host", host, "--port", str(port), *extra]
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=server_env(workdir))
    url = f"http://{host}:{port}/"
    try:
        deadline = time.time() + 300
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"rag serve exited: {(workdir / 'serve.log').read_text()}")
            if time.time() > deadline:
                raise RuntimeError("rag serve did not start in time")
            try:
                with socket.create_connection((host, port), timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        if not PREPARED_INDEX:
            prepared = Path(tempfile.mkdtemp(prefix="rag-prepared-")) / "index"
            shutil.copytree(workdir / "index", prepared)
            PREPARED_INDEX.append(prepared)
        yield Server(url, proc.pid, workdir)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    # Stopped, it takes back its note for `rag ask`: no later `rag ask` hands a question to it.
    assert not any((workdir / "run").glob("serve-*.json")), "the server's note outlives it"


@pytest.fixture(scope="session")
def served_server(tmp_path_factory) -> Iterator[Server]:
    """One `rag serve` with the default settings, shared by the tests that need no other flags."""
    with rag_server(tmp_path_factory.mktemp("served")) as server:
        yield server


@pytest.fixture(scope="session")
def small_served_server(tmp_path_factory) -> Iterator[Server]:
    """One `rag serve --model smollm2`, for the load tests: what they test is requests kept apart
    under load, not how well the model reads, and SmolLM2 reads a question in about a second."""
    with rag_server(tmp_path_factory.mktemp("small-served"), "--model", "smollm2") as server:
        yield server


@pytest.fixture(scope="session")
def served(served_server: Server) -> str:
    return served_server.url


@pytest.fixture(scope="session")
def start_server():
    """rag_server itself, for tests that need a server with other flags."""
    return rag_server
