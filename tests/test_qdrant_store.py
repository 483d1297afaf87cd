"""The Qdrant store: kept equal to the index document by document, searching like FAISS, and
every way it can fail a one-line error."""

from __future__ import annotations

import http.server
import socket
import threading
from pathlib import Path

import pytest

from rag.errors import InputError, StoreError
from rag.search.index import build_index, chunking_params
from rag.search.qdrant_store import check_store, cluster_layout, document_sparse, open_store
from rag.search.retrieval import lexical_terms, lexical_text, retrieve_passages

CHUNKING = chunking_params(128, 32)
QUESTIONS = (
    "Where is the Blue Lake festival?",
    "How much do tickets cost?",
    "Who repaired the harbour crane?",
    "harbour",
    "What happened on Friday?",
)


def _write(corpus: Path, name: str, text: str) -> None:
    (corpus / name).write_text(text, encoding="utf-8")


def _same_ranking(index, embedder, store) -> None:
    for question in QUESTIONS:
        faiss = retrieve_passages(index, embedder, question, k=5)
        engine = retrieve_passages(index, embedder, question, k=5, store=store)
        assert [(p.chunk_id, p.score) for p in engine] == [(p.chunk_id, p.score) for p in faiss], question


def test_a_sync_touches_only_documents_that_changed_and_search_matches_faiss(tiny_corpus, tmp_path, embedder):
    index = build_index(tiny_corpus, tmp_path / "index", embedder, CHUNKING)
    store = open_store("qdrant", index)
    assert store.sync(index) == {"added": len(index.documents), "deleted": 0}
    assert store.count() == len(index.chunks)
    assert store.sync(index) == {"added": 0, "deleted": 0}  # the same generation: nothing to do
    _same_ranking(index, embedder, store)

    _write(tiny_corpus, "harbour.txt", "The harbour crane was repaired by Olga Petrova in May.\n")
    index = build_index(tiny_corpus, tmp_path / "index", embedder, CHUNKING)
    assert store.sync(index) == {"added": 1, "deleted": 0}
    assert store.count() == len(index.chunks)
    _same_ranking(index, embedder, store)

    _write(tiny_corpus, "harbour.txt", "The harbour crane was repaired by Ivan Sokol in June.\n")
    index = build_index(tiny_corpus, tmp_path / "index", embedder, CHUNKING)
    assert store.sync(index) == {"added": 1, "deleted": 1}
    top = retrieve_passages(index, embedder, "Who repaired the harbour crane?", k=1, store=store)
    assert "Ivan Sokol" in top[0].text

    (tiny_corpus / "harbour.txt").unlink()
    index = build_index(tiny_corpus, tmp_path / "index", embedder, CHUNKING)
    assert store.sync(index) == {"added": 0, "deleted": 1}
    assert store.count() == len(index.chunks)
    assert all(p.source != "harbour.txt" for p in retrieve_passages(index, embedder, "harbour crane", k=5, store=store))
    _same_ranking(index, embedder, store)


def test_bm25_weights_saturate_and_favour_short_chunks():
    _, once = document_sparse(["crane"], average_length=10)
    _, thrice = document_sparse(["crane"] * 3, average_length=10)
    _, long = document_sparse(["crane"] + ["other"] * 30, average_length=10)
    assert once[0] < thrice[0] < 1.0  # more mentions count, with diminishing returns
    assert long[0] < once[0]  # one mention in a long chunk counts less


def test_a_collection_of_another_embedder_is_refused(tiny_corpus, tmp_path, embedder):
    index = build_index(tiny_corpus, tmp_path / "index", embedder, CHUNKING)
    store = open_store("qdrant", index)
    store.sync(index)
    store.client.update_collection(store.name, metadata={"embedder": "someone/else-v2"})
    store.synced_folder = ""
    with pytest.raises(StoreError, match=r"was built with the embedder 'someone/else-v2'") as caught:
        store.sync(index)
    assert "\n" not in str(caught.value)


def test_unknown_store_names_are_refused():
    with pytest.raises(InputError, match="unknown store 'qdrnt'"):
        check_store("qdrnt")
    with pytest.raises(InputError, match="unknown store"):
        check_store("ftp://host:6333")
    assert check_store("http://10.0.0.5:6333") == "http://10.0.0.5:6333"


def test_a_url_can_ask_for_shards_and_replicas():
    assert cluster_layout("http://q1:6333?shards=6&replicas=2") == (
        "http://q1:6333",
        {"shard_number": 6, "replication_factor": 2},
    )
    assert cluster_layout("https://q1:6333") == ("https://q1:6333", {})
    with pytest.raises(InputError, match="unknown Qdrant URL option shard=6"):
        cluster_layout("http://q1:6333?shard=6")


def test_a_server_that_is_down_is_one_line(tiny_corpus, tmp_path, embedder):
    index = build_index(tiny_corpus, tmp_path / "index", embedder, CHUNKING)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with pytest.raises(
        StoreError, match=r"Qdrant at http://127\.0\.0\.1:\d+ failed to read the collection: .*not reachable"
    ) as caught:
        open_store(url, index).sync(index)
    assert "\n" not in str(caught.value)


class _NotQdrant(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(404)
        self.end_headers()
        self.wfile.write(b"no such page")

    def log_message(self, *args) -> None:
        pass


def test_a_url_that_is_not_qdrant_is_one_line(tiny_corpus, tmp_path, embedder):
    index = build_index(tiny_corpus, tmp_path / "index", embedder, CHUNKING)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotQdrant)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(StoreError, match=r"HTTP 404 \(is this a Qdrant server\?\)") as caught:
            open_store(url, index).sync(index)
        assert "\n" not in str(caught.value)
    finally:
        server.shutdown()


def test_a_sync_cut_short_leaves_no_stray_points(tiny_corpus, tmp_path, embedder):
    from qdrant_client import models

    index = build_index(tiny_corpus, tmp_path / "index", embedder, CHUNKING)
    store = open_store("qdrant", index)
    store.sync(index)
    long_text = " ".join(f"Sentence {n} about the harbour crane and its long repair." for n in range(80))
    _write(tiny_corpus, "harbour.txt", long_text + "\n")
    index = build_index(tiny_corpus, tmp_path / "index", embedder, CHUNKING)
    rows = [r for r, c in enumerate(index.chunks) if c.source == "harbour.txt"]
    assert len(rows) > 1
    # The points went in, then the process died before the document list was recorded.
    average = store.client.get_collection(store.name).config.metadata["bm25_average_length"]
    terms = lexical_terms([lexical_text(index.chunks[r]) for r in rows])
    store.client.upsert(store.name, points=store._points(index, rows, terms, average, models), wait=True)
    _write(tiny_corpus, "harbour.txt", "The harbour crane was repaired.\n")  # now one chunk
    index = build_index(tiny_corpus, tmp_path / "index", embedder, CHUNKING)
    store.sync(index)
    assert store.count() == len(index.chunks)
