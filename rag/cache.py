"""The one process-wide cache: the embedder and each model load once, each index once per
folder, each search engine once per store and index folder. Every door (chat, CLI, eval,
bench) gets its components here, so a question never waits on a second load."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .answer.generation import LlamaGenerator, RemoteGenerator, TextGenerator
from .answer.models import resolve_model
from .search.embedding import Embedder
from .search.index import Index, chunking_params, ensure_index, stale_reason
from .search.qdrant_store import QdrantStore, open_store
from .settings import Settings


@dataclass
class _Cache:
    """The one process-wide cache: models load once, indexes once per folder."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    embedder: Embedder | None = None
    indexes: dict[tuple[str, str], Index] = field(default_factory=dict)
    stores: dict[tuple[str, str], QdrantStore] = field(default_factory=dict)
    generators: dict[tuple[str, int], TextGenerator] = field(default_factory=dict)


_cache = _Cache()


@atexit.register
def _close_models() -> None:
    """Free llama.cpp models before interpreter teardown, when its own cleanup would fail."""
    for generator in _cache.generators.values():
        generator.close()


def get_embedder() -> Embedder:
    with _cache.lock:
        if _cache.embedder is None:
            # One embedder for the process, so its arithmetic comes from the environment
            # (RAG_EMBED_BACKEND), not from any one caller's settings.
            _cache.embedder = Embedder(backend=Settings.from_env().embed_backend)
        return _cache.embedder


def get_index(settings: Settings, progress: Callable[[str, int, int], None] | None = None) -> Index:
    """The index for settings.corpus, rebuilt first when the corpus or settings changed."""
    key = (str(Path(settings.corpus).resolve()), str(Path(settings.index_path).resolve()))
    chunking = chunking_params(settings.chunk_tokens, settings.chunk_overlap_tokens)
    with _cache.lock:
        cached = _cache.indexes.get(key)
        embedder = get_embedder()
        if cached is not None and stale_reason(cached.manifest, Path(settings.corpus), embedder, chunking) is None:
            return cached
        index = ensure_index(Path(settings.corpus), Path(settings.index_path), embedder, chunking, progress)
        _cache.indexes[key] = index
        return index


def get_store(settings: Settings, index: Index) -> QdrantStore | None:
    """The search engine mirroring this index (None for FAISS), synced to its current
    generation: documents added or removed since are added to or deleted from it."""
    if settings.store == "faiss":
        return None
    key = (settings.store, str(index.folder.parent.resolve()))
    with _cache.lock:
        store = _cache.stores.get(key)
        if store is None:
            store = open_store(settings.store, index)
            _cache.stores[key] = store
        store.sync(index)
        return store


def get_generator(settings: Settings) -> TextGenerator:
    """The model server named by llm_url, else the GGUF model in process; one per model."""
    make: Callable[[], TextGenerator]
    if settings.llm_url:
        key = (settings.llm_url, settings.n_ctx)
        make = partial(RemoteGenerator, settings.llm_url, settings.n_ctx, settings.seed)
    else:
        path = resolve_model(settings.model, settings.models_dir)
        key = (str(path.resolve()), settings.n_ctx)
        make = partial(
            LlamaGenerator,
            path,
            settings.n_ctx,
            settings.n_threads,
            settings.seed,
            settings.prompt_memory_mb,
            settings.saved_starts_dir,
        )
    with _cache.lock:
        if key not in _cache.generators:
            _cache.generators[key] = make()
        return _cache.generators[key]
