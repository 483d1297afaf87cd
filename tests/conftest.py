"""Shared fixtures: tiny corpora in tmp_path, the project's seeds read in place."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


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
    from rag.answering import get_embedder

    return get_embedder()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """A real `rag serve` on loopback over a copy of the seeds, index in a temporary folder."""
    port = free_port()
    index_dir = tmp_path_factory.mktemp("ui-index")
    # A copy of the seeds: the test adds a document through the browser.
    corpus = tmp_path_factory.mktemp("ui-corpus") / "articles"
    shutil.copytree(ROOT / "seeds", corpus)
    log = (tmp_path_factory.mktemp("ui-log") / "serve.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rag.cli",
            "serve",
            "--corpus",
            str(corpus),
            "--index-dir",
            str(index_dir),
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"rag serve exited: {Path(log.name).read_text()}")
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("rag serve did not start in time")
    yield url
    proc.terminate()
    proc.wait(timeout=30)
