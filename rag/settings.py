"""Every knob in one frozen dataclass; env vars and CLI flags map onto it here only."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from .answer.grounding import GroundingPolicy

# Env var -> Settings field. Everything a user can set from the shell is listed here.
ENV_VARS = {
    "RAG_CORPUS": "corpus",
    "RAG_INDEX_DIR": "index_dir",
    "RAG_MODEL": "model",
    "RAG_K": "k",
    "RAG_TEMPERATURE": "temperature",
    "RAG_N_THREADS": "n_threads",
    "RAG_EMBED_BACKEND": "embed_backend",
    "RAG_N_CTX": "n_ctx",
    "RAG_PROMPT_MEMORY_MB": "prompt_memory_mb",
    "RAG_GROUNDED": "grounded",
    "RAG_EXTRACTIVE": "extractive",
    "RAG_KINDS": "kinds",
    "RAG_RETRIEVER": "retriever",
    "RAG_STORE": "store",
    "RAG_DATE_AWARE": "date_aware",
    "RAG_LLM_URL": "llm_url",
    "RAG_RUNTIME_DIR": "runtime_dir",
    "RAG_SAVED_STARTS_DIR": "saved_starts_dir",
}


# Settings that do not change what an answer says (how fast, where notes go).
# embed_backend: its vectors' cosine to float32 is above 0.999 (tests/test_embedding.py).
NOT_ANSWER_SHAPING = frozenset({"n_threads", "embed_backend", "runtime_dir", "prompt_memory_mb", "saved_starts_dir"})
# Settings that say where things are: the same articles and model answer the same wherever they lie.
LOCATIONS = frozenset({"corpus", "index_dir", "models_dir", "model"})


class Retriever(StrEnum):
    """How passages are searched: both retrievers fused (the default), or one alone to measure it."""

    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"


RETRIEVERS = tuple(r.value for r in Retriever)


def _default_runtime_dir() -> Path:
    return Path(os.environ.get("XDG_RUNTIME_DIR") or Path.home() / ".cache") / "rag"


def _default_saved_starts_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rag" / "prompt-starts"


@dataclass(frozen=True)
class Settings:
    corpus: Path = Path("seeds")
    # None: index/ for the default corpus, index/corpora/<name>-<hash>/ for any other, so
    # querying another folder never overwrites the main index.
    index_dir: Path | None = None
    # None: RAG_MODEL, else the single .gguf in models/, else the packaged SmolLM2.
    model: Path | None = None
    models_dir: Path = Path("models")

    # Chunking, in the embedder's own word-pieces (all-MiniLM-L6-v2 reads 256 incl. specials).
    chunk_tokens: int = 128  # measured on the seed set: 64 loses context, 200 dilutes sentence scores
    chunk_overlap_tokens: int = 32

    # Retrieval.
    k: int = 8  # with the word budget of the evidence, 8 passages found the answer more often than 5 (oracle reader)
    candidates: int = 40  # per retriever, before fusion
    rrf_k: int = 60
    max_per_source: int = 3  # diversity: one article cannot take every slot
    retriever: str = (
        Retriever.HYBRID.value
    )  # or DENSE / BM25 alone, for measuring the fusion (plain str: settings stay plain data)
    date_aware: bool = True  # a question naming a period ("this week") prefers its articles
    # Where dense + BM25 search and their fusion run: "faiss" (FAISS and bm25s in this process),
    # "qdrant" (Qdrant's local mode, in memory) or a Qdrant server's URL (http://HOST:6333).
    store: str = "faiss"

    # Evidence selection, refusal and verification: every threshold of the grounding rule.
    grounding: GroundingPolicy = field(default_factory=GroundingPolicy)

    # Generation. llm_url: an OpenAI-compatible server (http://host:port/v1) instead of the
    # in-process model.
    llm_url: str | None = None
    temperature: float = 0.0
    seed: int = 0
    max_tokens: int = 96
    n_ctx: int = 2048
    n_threads: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    # The embedder's arithmetic (rag/search/embed_backend.py): "auto" is the fastest this CPU
    # runs natively (bf16 where it has AVX512_BF16 or AMX, else fp32); "fp32" or "bf16" forces one.
    embed_backend: str = "auto"
    # Memory for prompts already read (generation.PromptStates): ~20 MB a question for the
    # default reader, so the last ~25 questions asked again are answered without reading again.
    prompt_memory_mb: int = 512
    # False gives the plain "retrieve and generate" baseline, for measuring the grounding steps.
    grounded: bool = True
    # True: the answer is the best evidence quoted, the model is not asked (measured against
    # the model's phrasing by `rag eval`).
    extractive: bool = False
    # True: a question that is not one short fact (yes/no, list, summary, why/how, what someone
    # said, timeline, comparison) gets an answer shaped for its kind (rag/answer/kinds); False: every
    # question takes the short-fact path, as before kinds were read.
    kinds: bool = True

    max_question_chars: int = 2000

    # Where a running `rag serve` leaves its address, so `rag ask` can hand it the question.
    runtime_dir: Path = field(default_factory=_default_runtime_dir)
    # Where the reader's state after its instructions and worked examples is kept, so a new
    # process does not read them again (~6 s of a cold `rag ask` on a 2-core AVX2 CPU).
    saved_starts_dir: Path = field(default_factory=_default_saved_starts_dir)

    @property
    def index_path(self) -> Path:
        if self.index_dir is not None:
            return self.index_dir
        corpus = self.corpus.resolve()
        if corpus == Path("seeds").resolve():
            return Path("index")
        digest = hashlib.sha256(str(corpus).encode()).hexdigest()[:8]
        return Path("index") / "corpora" / f"{corpus.name}-{digest}"

    def replace(self, **changes: Any) -> Settings:
        """A copy with the given fields changed; None values are ignored (unset CLI flags)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **_coerce(changes))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        environ = dict(os.environ if environ is None else environ)
        found = {field_name: environ[var] for var, field_name in ENV_VARS.items() if environ.get(var)}
        return cls().replace(**found)


def _coerce(changes: dict[str, Any]) -> dict[str, Any]:
    """Turn strings from env vars / flags into the field's type."""
    from .errors import InputError

    types = {f.name: f.type for f in dataclasses.fields(Settings)}
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in types:
            raise InputError(f"unknown setting: {name}")
        kind = str(types[name])
        try:
            if "Path" in kind:
                out[name] = Path(value).expanduser()
            elif kind == "int":
                out[name] = int(value)
            elif kind == "float":
                out[name] = float(value)
            elif kind == "bool":
                out[name] = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
            else:
                out[name] = value
        except ValueError:
            raise InputError(f"setting {name} expects {kind}, got {value!r}") from None
    return out
