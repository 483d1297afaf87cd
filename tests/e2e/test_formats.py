"""A folder of PDFs, web pages and Word files as a user has it: `rag index` reads it, names each
bad file once, and `rag ask` answers from each file, cited to the page. Real processes, real models."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from makers import CRANE, ROOF, SALARY, filler, make_mixed_corpus, make_pdf
from test_extract import bad_files

from rag.ingest.documents import TEXTS_FOLDER, TextStore, document_text
from rag.search.index import load_index

pytestmark = pytest.mark.e2e


def rag(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rag.serve.cli", *args], capture_output=True, text=True, timeout=900, **kwargs
    )


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("documents")
    corpus, idx = make_mixed_corpus(tmp / "corpus"), tmp / "idx"
    bad = bad_files(tmp)
    for name, (data, _) in bad.items():
        (corpus / name).write_bytes(data)
    out = rag("index", "--corpus", str(corpus), "--index-dir", str(idx))
    return corpus, idx, bad, out


def test_index_names_each_bad_file_once_and_indexes_the_rest(indexed):
    _, _, bad, out = indexed
    assert out.returncode == 0, out.stderr
    assert "4 documents" in out.stdout and f"; {len(bad)} files skipped" in out.stdout
    warnings = [line for line in out.stderr.splitlines() if line.startswith("warning: skipped")]
    assert len(warnings) == len(bad)
    for name, (_, reason) in bad.items():
        assert sum(f"skipped {name}: " in w and reason in w for w in warnings) == 1, (name, warnings)
    # One bar, reading files then embedding chunks; the libraries' own bars stay quiet.
    assert "file/s" in out.stderr and "chunk/s" in out.stderr
    assert "Loading weights" not in out.stderr and "Batches" not in out.stderr


@pytest.mark.parametrize(
    ("question", "source", "fact", "page"),
    [
        ("How much is the lighthouse keeper's annual salary?", "report.pdf", SALARY, 2),
        ("How many tonnes can the new harbour crane lift?", "crane.html", CRANE, None),
        ("How much will the museum roof repairs cost?", "memo.docx", ROOF, None),
    ],
)
def test_each_file_answers_its_own_question_cited_to_the_page(indexed, question, source, fact, page):
    corpus, idx, _, _ = indexed
    out = rag("ask", question, "--json", "--extractive", "--local", "--corpus", str(corpus), "--index-dir", str(idx))
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["answered"]
    first = answer["citations"][0]
    assert (first["source"], first["page"]) == (source, page)
    assert first["quote"] in fact or fact in first["quote"]
    store = TextStore(idx / TEXTS_FOLDER)
    for c in answer["citations"]:  # every quote is the stored text at its offsets
        assert document_text(corpus, c["source"], store)[c["start"] : c["end"]] == c["quote"]


def test_an_indexer_killed_while_extracting_leaves_a_whole_index(indexed, tmp_path):
    corpus, idx, _, _ = indexed
    before = load_index(idx)
    for n in range(40):
        make_pdf(corpus / f"extra-{n:02}.pdf", f"Extra report {n}", [filler(6, n), filler(6, n + 1)])
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.serve.cli", "index", "--corpus", str(corpus), "--index-dir", str(idx)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    seen = b""
    deadline = time.monotonic() + 600
    while b"reading" not in seen and time.monotonic() < deadline:
        seen += proc.stderr.read1(4096) if proc.stderr else b""
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert b"reading" in seen
    survived = load_index(idx)  # checksums verified: the previous generation, whole
    assert survived.manifest["chunk_count"] == before.manifest["chunk_count"]
    for stored in (idx / TEXTS_FOLDER).glob("*.json"):  # renamed into place whole, or not there
        json.loads(stored.read_text(encoding="utf-8"))
    out = rag("index", "--corpus", str(corpus), "--index-dir", str(idx))
    assert out.returncode == 0, out.stderr
    after = load_index(idx)
    assert len(after.documents) == 44
    for doc_id in after.documents:
        text = document_text(corpus, doc_id, TextStore(idx / TEXTS_FOLDER))
        assert text is not None
        assert all(text[c.start : c.end] == c.text for c in after.chunks if c.source == doc_id)
