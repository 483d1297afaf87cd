"""Index: FAISS vectors + a JSONL chunk store + a manifest, written atomically, rebuilt when stale.

Layout of index_dir:
    CURRENT            name of the live generation folder (replaced atomically)
    gen-<id>/          manifest.json, chunks.jsonl, vectors.npy, index.faiss
A build writes a new generation beside the old one, fsyncs it, then swaps CURRENT, so a
crash at any moment leaves the previous index loadable. No pickle anywhere.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import IndexStateError
from ..ingest.chunking import chunk_document
from ..ingest.documents import TEXTS_FOLDER, TextStore, check_corpus, corpus_files, file_sha256, load_corpus
from ..ingest.extract import EXTRACTOR_VERSION
from ..schema import Chunk, Document
from .embedding import BATCH_SIZE, Embedder

if TYPE_CHECKING:
    import numpy as np

FORMAT_VERSION = 1
CHUNKER_VERSION = 2  # bump when chunk boundaries change for the same settings
HNSW_THRESHOLD = 50_000  # exact search is fast enough below this many chunks
INDEX_FILES = ("chunks.jsonl", "vectors.npy", "index.faiss")
HNSW_EF_SEARCH = 64  # search breadth: recall@10 is measured and recorded at every build
PAUSE_BEFORE_SWAP = "RAG_TEST_PAUSE_BEFORE_SWAP"  # seconds; tests only (see _write_generation)
IVF_THRESHOLD = 500_000  # beyond this, HNSW builds too slowly on a laptop and holds float32 vectors
IVF_MAX_LISTS = 1024
IVF_NPROBE = 64
TITLE_CHARS_EMBEDDED = 120
Progress = Callable[[str, int, int], None]
T = TypeVar("T")


@dataclass
class Index:
    """A loaded index: chunks and their vectors, row i of one is chunk i of the other."""

    folder: Path
    manifest: dict[str, Any]
    chunks: list[Chunk]
    vectors: np.ndarray
    faiss_index: Any
    # What search derives from the chunks (BM25, word weights, dates), built on first use and
    # kept as long as this generation of the index is loaded.
    derived: dict[str, Any] = field(default_factory=dict, repr=False)

    def computed(self, name: str, build: Callable[[], T]) -> T:
        """The value derived from the chunks under `name`, built by `build` the first time."""
        if name not in self.derived:
            self.derived[name] = build()
        return self.derived[name]

    @cached_property
    def rows_by_id(self) -> dict[str, int]:
        """Row of each chunk id: a search engine answers with ids."""
        return {chunk.id: row for row, chunk in enumerate(self.chunks)}

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        return self.manifest["documents"]

    @property
    def warnings(self) -> list[str]:
        return self.manifest.get("warnings", [])


def embedding_text(chunk: Chunk) -> str:
    """What the embedder reads: the article title gives a chunk its topic."""
    title = chunk.title[:TITLE_CHARS_EMBEDDED]
    if title and title not in chunk.text:
        return f"{title}\n{chunk.text}"
    return chunk.text


def chunking_params(max_tokens: int, overlap_tokens: int) -> dict[str, Any]:
    """What the manifest records about chunking; a change to any of it forces a rebuild."""
    return {
        "max_tokens": max_tokens,
        "overlap_tokens": overlap_tokens,
        "title_prefix": True,
        "splitter": CHUNKER_VERSION,
    }


# ---------------------------------------------------------------- staleness


def _file_stamp(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def stale_reason(manifest: dict[str, Any], corpus: Path, embedder: Embedder, chunking: dict[str, Any]) -> str | None:
    """Why an index no longer matches its corpus/configuration, or None when it does."""
    if manifest.get("version") != FORMAT_VERSION:
        return "index format changed"
    if manifest.get("embedder", {}).get("name") != embedder.name:
        return "index was built with another embedder"
    if manifest.get("chunking") != chunking:
        return "chunking settings changed"
    if manifest.get("extractor") != EXTRACTOR_VERSION:
        return "document extraction changed"
    known = manifest.get("files", {})
    current = {p.relative_to(corpus).as_posix(): p for p in corpus_files(corpus)}
    if set(current) != set(known):
        return "documents were added or removed"
    for doc_id, path in current.items():
        try:
            stamp = _file_stamp(path)
        except OSError:
            return f"{doc_id} cannot be read"
        seen = known[doc_id]
        if stamp["size"] != seen["size"]:
            return f"{doc_id} changed"
        if stamp["mtime_ns"] != seen["mtime_ns"] and file_sha256(path) != seen["sha256"]:
            return f"{doc_id} changed"
    return None


# ---------------------------------------------------------------- reading


def _current(index_dir: Path) -> tuple[Path, str] | None:
    """The live generation folder and its manifest's checksum, as CURRENT names them."""
    try:
        name, _, digest = (index_dir / "CURRENT").read_text(encoding="utf-8").strip().partition(" ")
    except (OSError, UnicodeDecodeError):
        return None
    folder = index_dir / name
    if not (name.startswith("gen-") and "/" not in name and folder.is_dir()):
        return None
    return folder, digest


def _current_generation(index_dir: Path) -> Path | None:
    current = _current(index_dir)
    return current[0] if current else None


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    folder = _current_generation(index_dir)
    if folder is None:
        return None
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_index(index_dir: Path) -> Index:
    """Load the live generation, checking every file against the manifest's checksums."""
    import faiss
    import numpy as np

    current = _current(index_dir)
    if current is None:
        raise IndexStateError(f"no index in {index_dir}: run `rag index`")
    folder, manifest_digest = current
    try:
        # The manifest's own checksum lives in CURRENT, so a hand-edited manifest is caught too.
        if not manifest_digest:
            raise IndexStateError(f"index in {folder} is from an older version")
        if file_sha256(folder / "manifest.json") != manifest_digest:
            raise IndexStateError(f"index manifest in {folder} was changed after it was written")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if set(manifest["checksums"]) != set(INDEX_FILES):
            raise IndexStateError(f"index manifest in {folder} does not list every file")
        for name, digest in manifest["checksums"].items():
            if file_sha256(folder / name) != digest:
                raise IndexStateError(f"index file {name} in {folder} is corrupted")
        chunks = [Chunk(**json.loads(line)) for line in (folder / "chunks.jsonl").open(encoding="utf-8")]
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        faiss_index = faiss.read_index(str(folder / "index.faiss"))
    except IndexStateError:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexStateError(f"index in {folder} is unreadable ({type(exc).__name__})") from None
    if len(chunks) != vectors.shape[0] or faiss_index.ntotal != len(chunks):
        raise IndexStateError(f"index in {folder} is inconsistent")
    return Index(folder=folder, manifest=manifest, chunks=chunks, vectors=vectors, faiss_index=faiss_index)


# ---------------------------------------------------------------- building


@contextlib.contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    """One builder per index folder; a second waits rather than interleaving writes."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _reusable_vectors(
    index_dir: Path, embedder: Embedder, chunking: dict[str, Any]
) -> dict[str, tuple[list[Chunk], np.ndarray]]:
    """Chunks and vectors of the previous index by document hash, so unchanged documents
    are not embedded again; nothing is reused across a change of embedder or chunking."""
    try:
        previous = load_index(index_dir)
    except IndexStateError:
        return {}
    if (
        previous.manifest.get("embedder", {}).get("name") != embedder.name
        or previous.manifest.get("chunking") != chunking
    ):
        return {}
    by_doc: dict[str, list[int]] = {}
    for row, chunk in enumerate(previous.chunks):
        by_doc.setdefault(chunk.source, []).append(row)
    reuse = {}
    for doc_id, rows in by_doc.items():
        sha = previous.documents.get(doc_id, {}).get("sha256")
        if sha:
            reuse[sha] = ([previous.chunks[r] for r in rows], previous.vectors[rows])
    return reuse


def build_index(
    corpus: Path,
    index_dir: Path,
    embedder: Embedder,
    chunking: dict[str, Any],
    progress: Progress | None = None,
    log: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
) -> Index:
    """Chunk and embed the corpus into a new generation, then make it live. Skipped files
    are named through log, so nothing is lost silently."""
    import numpy as np

    corpus, index_dir = Path(corpus), Path(index_dir)
    with _build_lock(index_dir):
        store = TextStore(index_dir / TEXTS_FOLDER)
        reading = (lambda done, total: progress("reading", done, total)) if progress else None
        loaded = load_corpus(corpus, store, reading)
        reuse = _reusable_vectors(index_dir, embedder, chunking) if _current_generation(index_dir) else {}
        # One block per document, in corpus order: reused (chunks, vectors) or chunks to embed.
        blocks: list[tuple[list[Chunk], np.ndarray | None]] = []
        for doc in loaded.documents:
            previous = reuse.get(doc.sha256)
            if previous and all(c.title == doc.title and c.date == doc.date for c in previous[0]):
                blocks.append(previous)
            else:
                doc_chunks = chunk_document(
                    doc, embedder.count_tokens, chunking["max_tokens"], chunking["overlap_tokens"]
                )
                blocks.append((doc_chunks, None))
        to_embed = [c for block_chunks, vecs in blocks if vecs is None for c in block_chunks]
        fresh = _embed_with_progress(embedder, to_embed, progress)
        chunks: list[Chunk] = []
        parts: list[np.ndarray] = []
        offset = 0
        for block_chunks, vecs in blocks:
            if vecs is None:
                vecs = fresh[offset : offset + len(block_chunks)]
                offset += len(block_chunks)
            chunks.extend(block_chunks)
            parts.append(vecs)
        vectors = np.ascontiguousarray(np.concatenate(parts), dtype="float32") if parts else fresh
        manifest = _manifest(corpus, loaded.documents, chunks, chunking, embedder, loaded.warnings, len(to_embed))
        _write_generation(index_dir, manifest, chunks, vectors)
        # Texts of files gone from the corpus go too; a skipped file's reason stays (not retried).
        store.prune({f["sha256"] for f in manifest["files"].values()})
    for warning in loaded.warnings:
        log(f"warning: {warning}")
    return load_index(index_dir)


def _embed_with_progress(embedder: Embedder, chunks: list[Chunk], progress: Progress | None) -> np.ndarray:
    import numpy as np

    texts = [embedding_text(c) for c in chunks]
    vectors = np.zeros((len(texts), embedder.dimension), dtype="float32")  # loads the model first
    # Longest first over the whole build: a batch is padded to its longest text, and the
    # encoder sorts only the texts of one call (per 256-chunk step that cost ~10%).
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    step = 8 * BATCH_SIZE  # progress is reported between steps, each whole batches
    if progress and texts:
        progress("embedding", 0, len(texts))  # the clock starts now, so the rate shown is true
    for start in range(0, len(order), step):
        rows = order[start : start + step]
        vectors[rows] = embedder.embed([texts[i] for i in rows])
        if progress:
            progress("embedding", min(start + step, len(texts)), len(texts))
    return vectors


def _manifest(corpus, documents: list[Document], chunks, chunking, embedder, warnings, embedded) -> dict[str, Any]:
    files = {}
    for path in corpus_files(corpus):
        doc_id = path.relative_to(corpus).as_posix()
        with contextlib.suppress(OSError):
            files[doc_id] = {**_file_stamp(path), "sha256": file_sha256(path)}
    counts: dict[str, int] = {}
    for c in chunks:
        counts[c.source] = counts.get(c.source, 0) + 1
    return {
        "version": FORMAT_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "corpus": str(corpus.resolve()),
        "embedder": {"name": embedder.name, "dimension": embedder.dimension, "backend": embedder.backend},
        "chunking": chunking,
        "extractor": EXTRACTOR_VERSION,
        "index_type": choose_index_type(len(chunks)),
        "files": files,
        "documents": {
            d.id: {
                "sha256": d.sha256,
                "title": d.title,
                "date": d.date,
                "chunks": counts.get(d.id, 0),
                **({"pages": d.pages} if d.pages else {}),
            }
            for d in documents
        },
        "chunk_count": len(chunks),
        "embedded_this_build": embedded,
        "warnings": warnings,
    }


def choose_index_type(chunk_count: int) -> str:
    """Exact search while it is fast; HNSW (fast, exact vectors kept) for mid-size corpora;
    IVF with 8-bit vectors for millions, where memory and build time matter most."""
    if chunk_count < HNSW_THRESHOLD:
        return "flat-ip"
    return "hnsw-ip" if chunk_count < IVF_THRESHOLD else "ivf-sq8-ip"


def make_search_index(vectors: np.ndarray, index_type: str):
    import faiss
    import numpy as np

    dim = vectors.shape[1]
    if index_type == "hnsw-ip":
        index: Any = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = HNSW_EF_SEARCH
    elif index_type == "ivf-sq8-ip":
        lists = max(16, min(IVF_MAX_LISTS, int(np.sqrt(len(vectors)))))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, dim, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        sample = np.random.default_rng(0).choice(len(vectors), size=min(len(vectors), 40 * lists), replace=False)
        index.train(vectors[np.sort(sample)])
        index.nprobe = IVF_NPROBE
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index


def recall_at_10(search_index: Any, vectors: np.ndarray, samples: int = 200, seed: int = 0) -> float:
    """How many of the exact 10 nearest neighbours an approximate index finds, with sampled
    stored vectors as queries (each query's own row left out: finding itself is trivial)."""
    import faiss
    import numpy as np

    rows = np.random.default_rng(seed).choice(len(vectors), size=min(samples, len(vectors)), replace=False)
    queries = vectors[rows]
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(queries, 11)
    _, found = search_index.search(queries, 11)
    overlap = total = 0
    for row, t, f in zip(rows.tolist(), truth.tolist(), found.tolist(), strict=True):
        wanted = [r for r in t if r != row][:10]
        overlap += len(set(wanted) & {r for r in f if r != row})
        total += len(wanted)
    return round(overlap / max(total, 1), 4)


def _fsync_write(path: Path, data: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _write_generation(index_dir: Path, manifest: dict[str, Any], chunks: list[Chunk], vectors: np.ndarray) -> Path:
    import io

    import faiss
    import numpy as np

    folder = index_dir / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    folder.mkdir(parents=True)
    payload = {
        "chunks.jsonl": "".join(json.dumps(asdict(c), ensure_ascii=False) + "\n" for c in chunks).encode(),
    }
    buf = io.BytesIO()
    np.save(buf, vectors, allow_pickle=False)
    payload["vectors.npy"] = buf.getvalue()
    search_index = make_search_index(vectors, manifest["index_type"])
    if manifest["index_type"] != "flat-ip":
        manifest["recall_at_10"] = recall_at_10(search_index, vectors)
    payload["index.faiss"] = bytes(faiss.serialize_index(search_index))
    for name, data in payload.items():
        _fsync_write(folder / name, data)
    manifest["checksums"] = {name: hashlib.sha256(data).hexdigest() for name, data in payload.items()}
    manifest_bytes = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
    _fsync_write(folder / "manifest.json", manifest_bytes)
    _fsync_dir(folder)
    if pause := float(os.environ.get(PAUSE_BEFORE_SWAP) or 0):
        # a fault-injection point: the crash tests kill the indexer here, its files all written
        # and CURRENT not yet swapped (the window is milliseconds, too short to hit otherwise)
        print(f"written {folder.name}, swapping in {pause} s", file=sys.stderr, flush=True)
        time.sleep(pause)
    # The swap: CURRENT is replaced in one rename, after everything it names is on disk.
    tmp = index_dir / f".CURRENT.{os.getpid()}"
    _fsync_write(tmp, f"{folder.name} {hashlib.sha256(manifest_bytes).hexdigest()}".encode())
    os.replace(tmp, index_dir / "CURRENT")
    _fsync_dir(index_dir)
    for old in index_dir.glob("gen-*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    return folder


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_index(
    corpus: Path,
    index_dir: Path,
    embedder: Embedder,
    chunking: dict[str, Any],
    progress: Progress | None = None,
    log: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
) -> Index:
    """The live index if it matches the corpus and settings; otherwise build it first."""
    corpus, index_dir = Path(corpus), Path(index_dir)
    check_corpus(corpus)
    manifest = read_manifest(index_dir)
    reason = "no index yet" if manifest is None else stale_reason(manifest, corpus, embedder, chunking)
    if reason is None:
        try:
            return load_index(index_dir)
        except IndexStateError as exc:
            reason = str(exc)
    log(f"building index in {index_dir} ({reason})")
    return build_index(corpus, index_dir, embedder, chunking, progress, log)
