"""Search on Qdrant: the index's chunks mirrored into a collection that does the hybrid search
itself — dense vectors and BM25 as sparse vectors, fused by reciprocal rank, date filter —
so an archive that outgrows one machine moves to a Qdrant cluster with the same answers.

`--store qdrant` runs Qdrant's local mode in this process (a collection in memory, filled from
the index folder when it is loaded: no pickles on disk); `--store http://host:6333` talks to a
Qdrant server or cluster with the same client calls. The index folder stays the source of
truth: a sync deletes the points of documents that left or changed and adds the new ones,
nothing else, and records what it holds in the collection's metadata.
"""

from __future__ import annotations

import sys
import uuid
import warnings
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlparse

from ..errors import InputError, RagError, StoreError
from ..settings import Retriever
from .index import Index
from .retrieval import lexical_terms, lexical_text

if TYPE_CHECKING:
    import numpy as np

LOCAL = "qdrant"  # the store name for Qdrant's in-process local mode
DENSE, SPARSE = "dense", "bm25"
# BM25 as bm25s scores it (its "lucene" defaults), so both stores rank alike: the document side
# (term-frequency saturation) is written into the sparse vectors, and Qdrant's IDF modifier
# supplies log(1 + (N - df + 0.5) / (df + 0.5)) from the live collection.
BM25_K1, BM25_B = 1.5, 0.75
UPSERT_BATCH = 256
LOCAL_MODE_COMFORT = 20_000  # chunks; Qdrant warns past this, and local-mode search grows linearly
SCHEMA = 1  # bump when what a point holds changes
_POINT_NAMESPACE = uuid.UUID("5b0e6b8e-3c1f-4f7a-9a55-6a3f0c1d2e40")


def cluster_layout(url: str) -> tuple[str, dict[str, int]]:
    """The server URL without its query, and the collection's layout the query asks for:
    http://HOST:6333?shards=6&replicas=2 spreads a new collection over six shards, each held by
    two nodes (Qdrant's defaults otherwise)."""
    parsed = urlparse(url)
    layout: dict[str, int] = {}
    for name, value in parse_qsl(parsed.query):
        key = {"shards": "shard_number", "replicas": "replication_factor"}.get(name)
        if key is None or not value.isdigit() or int(value) < 1:
            raise InputError(f"unknown Qdrant URL option {name}={value}; use shards=N and replicas=N")
        layout[key] = int(value)
    return parsed._replace(query="").geturl(), layout


def check_store(value: str) -> str:
    """The store named, if it is one: faiss, qdrant, or an http(s) URL of a Qdrant server."""
    parsed = urlparse(value)
    if value not in ("faiss", LOCAL) and not (parsed.scheme in ("http", "https") and parsed.hostname):
        raise InputError(f"unknown store {value!r}; choose faiss, qdrant, or a Qdrant server's URL (http://HOST:6333)")
    return value


def collection_name(index: Index) -> str:
    """One collection per index folder, so a server can hold several corpora side by side."""
    folder = index.folder.parent.resolve()
    digest = zlib.crc32(str(folder).encode())
    return f"rag-{folder.name}-{digest:08x}"


def term_id(term: str) -> int:
    # A stable id without a shared vocabulary, so any client can write or query; two stems
    # colliding in 2^32 merely share a document frequency.
    return zlib.crc32(term.encode())


def query_sparse(terms: list[str]) -> tuple[list[int], list[float]]:
    """Term ids and how often each occurs, ids ascending."""
    counts = Counter(term_id(t) for t in terms)
    ids = sorted(counts)
    return ids, [float(counts[i]) for i in ids]


def document_sparse(terms: list[str], average_length: float) -> tuple[list[int], list[float]]:
    """BM25's document side: each count saturated and normalized by the chunk's length."""
    ids, counts = query_sparse(terms)
    norm = BM25_K1 * (1 - BM25_B + BM25_B * len(terms) / max(average_length, 1e-9))
    return ids, [c / (c + norm) for c in counts]


def point_id(chunk_id: str) -> str:
    return str(uuid.uuid5(_POINT_NAMESPACE, chunk_id))


def day_number(day: str | None) -> int:
    """ISO day as an ordinal for the engine's range filter; undated is 0, never after anything."""
    if not day:
        return 0
    try:
        return date.fromisoformat(day).toordinal()
    except ValueError:
        return 0


@dataclass
class QdrantStore:
    """A Qdrant collection kept equal to one index folder's chunks."""

    client: Any
    name: str
    where: str  # "local mode" or the server's URL, for messages
    layout: dict[str, int] = field(default_factory=dict)  # shards and replicas of a new collection
    synced_folder: str = ""

    # ------------------------------------------------------------ sync

    def sync(self, index: Index) -> dict[str, int]:
        """Make the collection hold exactly the index's documents: points of documents that
        left or changed are deleted, new ones added; unchanged documents are not touched."""
        if self.synced_folder == str(index.folder):
            return {"added": 0, "deleted": 0}
        from qdrant_client import models

        embedder = index.manifest["embedder"]
        meta = self._call(lambda: self._metadata(), "read the collection")
        if meta is not None and (meta.get("embedder"), meta.get("dimension")) != (
            embedder["name"],
            embedder["dimension"],
        ):
            raise StoreError(
                f"Qdrant collection {self.name} at {self.where} was built with the embedder "
                f"{meta.get('embedder')!r}, not {embedder['name']!r}: delete the collection or use another server"
            )
        if meta is not None and meta.get("schema") != SCHEMA:
            raise StoreError(f"Qdrant collection {self.name} at {self.where} is from another version: delete it")
        held: dict[str, str] = dict((meta or {}).get("documents") or {})
        wanted = {doc: info["sha256"] for doc, info in index.documents.items() if info.get("chunks")}
        leaving = [doc for doc, sha in held.items() if wanted.get(doc) != sha]
        arriving = [doc for doc, sha in wanted.items() if held.get(doc) != sha]
        new_documents = set(arriving)
        rows = [row for row, chunk in enumerate(index.chunks) if chunk.source in new_documents]
        terms = lexical_terms([lexical_text(index.chunks[row]) for row in rows])
        if meta is None:
            # A new collection takes every chunk, so its BM25 average length is theirs.
            average = sum(map(len, terms)) / len(terms) if terms else 1.0
            meta = self._call(
                lambda: self._create(embedder["dimension"], embedder["name"], average), "create the collection"
            )
        # Arriving documents are cleared too: a sync cut short may have left some of their points.
        clearing = leaving + [doc for doc in arriving if doc not in held]
        if clearing:
            self._call(
                lambda: self.client.delete(
                    self.name,
                    points_selector=models.FilterSelector(
                        filter=models.Filter(
                            must=[models.FieldCondition(key="source", match=models.MatchAny(any=clearing))]
                        )
                    ),
                    wait=True,
                ),
                "delete documents",
            )
        if leaving:
            for doc in leaving:
                held.pop(doc)
            # Recorded at once: a sync cut short here leaves no document listed whose points are gone.
            self._call(lambda: self._set_documents(held), "record the documents")
        if rows and self.where == "local mode" and len(index.chunks) > LOCAL_MODE_COMFORT:
            print(
                f"note: Qdrant's local mode scans every point ({len(index.chunks):,} here, about 1 s a question "
                "at 16k); a corpus this size belongs on a Qdrant server (--store http://HOST:6333)",
                file=sys.stderr,
            )
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Local mode is not recommended")  # said above, once
            for start in range(0, len(rows), UPSERT_BATCH):
                batch = slice(start, start + UPSERT_BATCH)
                points = self._points(index, rows[batch], terms[batch], meta["bm25_average_length"], models)
                self._call(
                    lambda points=points: self.client.upsert(self.name, points=points, wait=True), "add documents"
                )
        held.update({doc: wanted[doc] for doc in arriving})
        self._call(lambda: self._set_documents(held), "record the documents")
        self.synced_folder = str(index.folder)
        return {"added": len(arriving), "deleted": len(leaving)}

    def _metadata(self) -> dict[str, Any] | None:
        if not self.client.collection_exists(self.name):
            return None
        info = self.client.get_collection(self.name)
        meta = dict(info.config.metadata or {})
        if "embedder" not in meta:
            raise StoreError(
                f"Qdrant collection {self.name} at {self.where} was not written by rag: delete it or rename"
            )
        return meta

    def _create(self, dimension: int, embedder: str, average_length: float) -> dict[str, Any]:
        """A new, empty collection; returns the metadata it was given."""
        from qdrant_client import models

        metadata = {
            "embedder": embedder,
            "dimension": dimension,
            "schema": SCHEMA,
            # BM25's length norm uses the average when the collection was made; adding
            # documents later scores them against it (delete the collection to renew it).
            "bm25_average_length": average_length,
            "documents": {},
        }
        self.client.create_collection(
            self.name,
            vectors_config={DENSE: models.VectorParams(size=dimension, distance=models.Distance.DOT)},
            sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
            **self.layout,
            metadata=metadata,
        )
        if self.where != "local mode":  # local mode scans every point and keeps no payload indexes
            for key, kind in (("source", models.PayloadSchemaType.KEYWORD), ("day", models.PayloadSchemaType.INTEGER)):
                self.client.create_payload_index(self.name, field_name=key, field_schema=kind, wait=True)
        return metadata

    def _set_documents(self, documents: dict[str, str]) -> None:
        # Metadata merges by key, so the whole documents map is written each time.
        self.client.update_collection(self.name, metadata={"documents": documents})

    def _points(
        self, index: Index, rows: list[int], terms: list[list[str]], average_length: float, models: Any
    ) -> list[Any]:
        points = []
        for row, chunk_terms in zip(rows, terms, strict=True):
            chunk = index.chunks[row]
            ids, values = document_sparse(chunk_terms, average_length)
            points.append(
                models.PointStruct(
                    id=point_id(chunk.id),
                    vector={
                        DENSE: index.vectors[row].tolist(),
                        SPARSE: models.SparseVector(indices=ids, values=values),
                    },
                    # The chunk itself rides along, so a reader of the collection needs no other store.
                    payload={
                        "chunk_id": chunk.id,
                        "source": chunk.source,
                        "text": chunk.text,
                        "start": chunk.start,
                        "end": chunk.end,
                        "title": chunk.title,
                        "date": chunk.date,
                        "page": chunk.page,
                        "day": day_number(chunk.date),
                    },
                )
            )
        return points

    # ------------------------------------------------------------ search

    def fused_ranking(
        self,
        query: str,
        query_vector: np.ndarray | None,
        candidates: int,
        rrf_k: int,
        retriever: str,
        as_of: date | None,
    ) -> list[tuple[str, float]]:
        """Chunk ids with their reciprocal-rank-fused scores, best first, as the engine fuses
        them: each retriever's `candidates` best, articles published after `as_of` filtered out
        inside the search."""
        from qdrant_client import models

        date_filter = None
        if as_of is not None:
            date_filter = models.Filter(
                must_not=[models.FieldCondition(key="day", range=models.Range(gt=as_of.toordinal()))]
            )
        searches = []
        if retriever in (Retriever.HYBRID, Retriever.DENSE) and query_vector is not None:
            searches.append(
                models.Prefetch(query=query_vector.tolist(), using=DENSE, limit=candidates, filter=date_filter)
            )
        if retriever in (Retriever.HYBRID, Retriever.BM25):
            ids, values = query_sparse(lexical_terms([query])[0])
            if ids:
                sparse = models.SparseVector(indices=ids, values=values)
                searches.append(models.Prefetch(query=sparse, using=SPARSE, limit=candidates, filter=date_filter))
        if not searches:
            return []
        if len(searches) == 1:
            one = searches[0]
            found = self._call(
                lambda: self.client.query_points(
                    self.name,
                    query=one.query,
                    using=one.using,
                    limit=candidates,
                    query_filter=date_filter,
                    with_payload=["chunk_id"],
                ),
                "search",
            )
            # One ranking fused alone: the same reciprocal-rank score the engine gives.
            return [(p.payload["chunk_id"], 1.0 / (rrf_k + rank + 1)) for rank, p in enumerate(found.points)]
        found = self._call(
            lambda: self.client.query_points(
                self.name,
                prefetch=searches,
                # Qdrant scores 1 / (k + position), positions from 0; ours is 1 / (rrf_k + rank + 1).
                query=models.RrfQuery(rrf=models.Rrf(k=rrf_k + 1)),
                limit=candidates * len(searches),
                with_payload=["chunk_id"],
            ),
            "search",
        )
        return [(p.payload["chunk_id"], float(p.score)) for p in found.points]

    def count(self) -> int:
        return self._call(lambda: self.client.count(self.name, exact=True).count, "count points")

    def _call(self, action: Any, doing: str) -> Any:
        """Run one engine call; a failure becomes one line naming the server and what failed."""
        try:
            return action()
        except RagError:
            raise
        except Exception as exc:
            raise StoreError(f"Qdrant at {self.where} failed to {doing}: {_reason(exc)}") from None


def open_store(store: str, index: Index, timeout: int = 10) -> QdrantStore:
    """A Qdrant store for the index: local mode in memory, or the server at a URL."""
    from qdrant_client import QdrantClient

    check_store(store)
    if store == LOCAL:
        return QdrantStore(QdrantClient(location=":memory:"), collection_name(index), "local mode")
    url, layout = cluster_layout(store)
    try:
        client = QdrantClient(url=url, timeout=timeout, check_compatibility=False)
    except Exception as exc:
        raise StoreError(f"cannot use the Qdrant URL {url}: {_reason(exc)}") from None
    return QdrantStore(client, collection_name(index), url, layout)


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    status = getattr(exc, "status_code", None)
    if status is not None:
        return f"HTTP {status} (is this a Qdrant server?)"
    lowered = text.lower()
    if "connection refused" in lowered or "connecterror" in lowered or "connect" in type(exc).__name__.lower():
        return "the server is not reachable (connection refused)"
    if "timed out" in lowered or "timeout" in type(exc).__name__.lower():
        return "the server did not answer in time"
    return text[:200]
