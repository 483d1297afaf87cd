import json
import os

import pytest

from rag.errors import IndexStateError
from rag.search.index import build_index, chunking_params, ensure_index, load_index, read_manifest, stale_reason

CHUNKING = chunking_params(200, 48)


def test_build_writes_manifest_and_chunks_with_exact_spans(tiny_corpus, tmp_path, embedder):
    index = build_index(tiny_corpus, tmp_path / "idx", embedder, CHUNKING)
    m = index.manifest
    assert m["embedder"] == {"name": embedder.name, "dimension": 384, "backend": embedder.backend}
    assert m["chunking"] == CHUNKING and set(m["files"]) == {"a.txt", "sub/b.md"}
    assert all(len(f["sha256"]) == 64 for f in m["files"].values())
    assert index.faiss_index.ntotal == len(index.chunks) == m["chunk_count"]
    for c in index.chunks:
        assert (tiny_corpus / c.source).read_text(encoding="utf-8")[c.start : c.end] == c.text
    assert not list((tmp_path / "idx").rglob("*.pkl"))


def test_stale_index_is_rebuilt_reembedding_only_the_changed_document(tiny_corpus, tmp_path, embedder):
    idx = tmp_path / "idx"
    build_index(tiny_corpus, idx, embedder, CHUNKING)
    assert stale_reason(read_manifest(idx), tiny_corpus, embedder, CHUNKING) is None
    (tiny_corpus / "a.txt").write_text("Completely new text about a harbour in Gdansk.", encoding="utf-8")
    assert "a.txt changed" in stale_reason(read_manifest(idx), tiny_corpus, embedder, CHUNKING)
    index = ensure_index(tiny_corpus, idx, embedder, CHUNKING, log=lambda m: None)
    assert index.manifest["embedded_this_build"] == 1
    assert any("Gdansk" in c.text for c in index.chunks)
    (tiny_corpus / "a.txt").unlink()
    index = ensure_index(tiny_corpus, idx, embedder, CHUNKING, log=lambda m: None)
    assert {c.source for c in index.chunks} == {"sub/b.md"}
    assert index.manifest["embedded_this_build"] == 0
    smaller = chunking_params(16, 4)
    assert stale_reason(index.manifest, tiny_corpus, embedder, smaller) == "chunking settings changed"
    rechunked = ensure_index(tiny_corpus, idx, embedder, smaller, log=lambda m: None)
    assert rechunked.manifest["embedded_this_build"] == len(rechunked.chunks) > len(index.chunks)


def test_corrupted_index_is_detected_and_rebuilt(tiny_corpus, tmp_path, embedder):
    idx = tmp_path / "idx"
    index = build_index(tiny_corpus, idx, embedder, CHUNKING)
    chunks_file = index.folder / "chunks.jsonl"
    chunks_file.write_text(chunks_file.read_text(encoding="utf-8").replace("Minsk", "Paris"), encoding="utf-8")
    with pytest.raises(IndexStateError, match="corrupted"):
        load_index(idx)
    messages = []
    rebuilt = ensure_index(tiny_corpus, idx, embedder, CHUNKING, log=messages.append)
    assert any("corrupted" in m for m in messages)
    assert any("Minsk" in c.text for c in rebuilt.chunks)


def test_a_half_written_generation_leaves_the_live_index_loadable(tiny_corpus, tmp_path, embedder):
    idx = tmp_path / "idx"
    live = build_index(tiny_corpus, idx, embedder, CHUNKING)
    partial = idx / "gen-99999999999999-1-1"
    partial.mkdir()
    (partial / "chunks.jsonl").write_text('{"broken', encoding="utf-8")
    assert load_index(idx).folder == live.folder
    (idx / "CURRENT").write_text("gen-does-not-exist", encoding="utf-8")
    with pytest.raises(IndexStateError, match="no index"):
        load_index(idx)


def test_manifest_is_plain_json(tiny_corpus, tmp_path, embedder):
    index = build_index(tiny_corpus, tmp_path / "idx", embedder, CHUNKING)
    json.loads((index.folder / "manifest.json").read_text(encoding="utf-8"))
    assert os.path.exists(index.folder / "index.faiss")


def test_skipped_files_are_named_when_the_index_is_built(tiny_corpus, tmp_path, embedder):
    (tiny_corpus / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    messages: list[str] = []
    ensure_index(tiny_corpus, tmp_path / "idx", embedder, CHUNKING, log=messages.append)
    assert any("latin1.txt" in m and "UTF-8" in m for m in messages)


def test_the_approximate_index_finds_the_exact_neighbours():
    import numpy as np

    from rag.search.index import make_search_index, recall_at_10

    # Text embeddings have few effective dimensions: 24 latent ones spread over 384.
    rng = np.random.default_rng(1)
    vectors = (rng.normal(size=(10_000, 24)) @ rng.normal(size=(24, 384))).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert recall_at_10(make_search_index(vectors, "flat-ip"), vectors) == 1.0
    assert recall_at_10(make_search_index(vectors, "hnsw-ip"), vectors) >= 0.9
    assert recall_at_10(make_search_index(vectors, "ivf-sq8-ip"), vectors) >= 0.9


def _edit_manifest(folder, change):
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda f: _edit_manifest(f, lambda m: m["embedder"].update(name="other/model")), "another embedder"),
        (lambda f: (f / "vectors.npy").unlink(), "unreadable"),
        (lambda f: (f / "index.faiss").write_bytes(b"junk"), "corrupted"),
        (lambda f: (f / "manifest.json").write_text("{not json", encoding="utf-8"), "no index yet"),
        (lambda f: (f.parent / "CURRENT").write_text("../../etc", encoding="utf-8"), "no index yet"),
        (lambda f: _edit_manifest(f, lambda m: m["checksums"].pop("vectors.npy")), "changed after it was written"),
    ],
    ids=["other-embedder", "missing-file", "garbage-file", "broken-manifest", "current-escapes", "hand-edited"],
)
def test_a_damaged_index_is_rebuilt_with_a_message(tiny_corpus, tmp_path, embedder, damage, reason):
    idx = tmp_path / "idx"
    damage(build_index(tiny_corpus, idx, embedder, CHUNKING).folder)
    messages: list[str] = []
    index = ensure_index(tiny_corpus, idx, embedder, CHUNKING, log=messages.append)
    assert any(reason in m for m in messages), messages
    assert {c.source for c in index.chunks} == {"a.txt", "sub/b.md"}


def test_a_file_that_vanishes_while_indexing_is_skipped_with_a_warning(tiny_corpus, tmp_path, embedder, monkeypatch):
    from pathlib import Path

    real = Path.read_bytes

    def vanishing(self):
        if self.name == "a.txt":
            raise FileNotFoundError(2, "No such file or directory")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", vanishing)
    messages: list[str] = []
    index = ensure_index(tiny_corpus, tmp_path / "idx", embedder, CHUNKING, log=messages.append)
    assert {c.source for c in index.chunks} == {"sub/b.md"}
    assert any("a.txt" in m and "cannot read" in m for m in messages)


def test_ten_thousand_tiny_files(tmp_path, embedder):
    corpus = tmp_path / "many"
    for folder in range(10):
        (corpus / f"d{folder}").mkdir(parents=True)
        for n in range(1000):
            (corpus / f"d{folder}" / f"{n}.txt").write_text(f"Note {folder}-{n}: bay {n % 7}.", encoding="utf-8")
    index = build_index(corpus, tmp_path / "idx", embedder, CHUNKING)
    assert len(index.documents) == 10_000 == len(index.chunks)
    assert load_index(tmp_path / "idx").faiss_index.ntotal == 10_000


def test_pdf_web_page_and_word_file_are_indexed_with_pages_and_checkable_spans(tmp_path, embedder):
    from makers import SALARY, make_mixed_corpus

    from rag.ingest.documents import TEXTS_FOLDER, TextStore, document_text

    corpus, idx = make_mixed_corpus(tmp_path / "c"), tmp_path / "idx"
    index = build_index(corpus, idx, embedder, CHUNKING)
    assert set(index.documents) == {"festival.txt", "report.pdf", "crane.html", "memo.docx"}
    assert index.documents["report.pdf"]["pages"] == 3
    assert stale_reason(index.manifest, corpus, embedder, CHUNKING) is None
    older = {**index.manifest, "extractor": 0}  # built by an older extraction
    assert stale_reason(older, corpus, embedder, CHUNKING) == "document extraction changed"
    store = TextStore(idx / TEXTS_FOLDER)
    for c in index.chunks:
        text = document_text(corpus, c.source, store)
        assert text is not None and text[c.start : c.end] == c.text
        assert (c.page is not None) == (c.source == "report.pdf")
    (salary,) = [c for c in index.chunks if SALARY in c.text]
    assert salary.page + salary.text[: salary.text.index(SALARY)].count("\f") == 2


def test_a_changed_pdf_alone_is_extracted_and_embedded_again_and_a_removed_one_leaves(tmp_path, embedder):
    from makers import FILLER, make_mixed_corpus, make_pdf

    corpus, idx = make_mixed_corpus(tmp_path / "c"), tmp_path / "idx"
    first = build_index(corpus, idx, embedder, CHUNKING)
    texts = {p.name for p in (idx / "texts").iterdir()}
    assert len(texts) == 3
    make_pdf(corpus / "report.pdf", "Harbour annual report", [[FILLER[0], "The pier was rebuilt in 1987."]])
    second = ensure_index(corpus, idx, embedder, CHUNKING, log=lambda m: None)
    assert second.manifest["embedded_this_build"] == second.documents["report.pdf"]["chunks"]
    assert {c.source for c in second.chunks} == {c.source for c in first.chunks}
    assert len({p.name for p in (idx / "texts").iterdir()} - texts) == 1
    (corpus / "memo.docx").unlink()
    third = ensure_index(corpus, idx, embedder, CHUNKING, log=lambda m: None)
    assert third.manifest["embedded_this_build"] == 0 and "memo.docx" not in third.documents
    assert len(list((idx / "texts").iterdir())) == 2  # the removed file's text went with it
