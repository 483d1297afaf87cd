"""Generate: a GGUF model through llama-cpp-python, prompted with its own chat template.

Backends share one small protocol (`complete(messages, max_tokens, stream)`), so the rest of
the pipeline never knows which model or server runs."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from ..errors import ModelError

Messages = list[dict[str, str]]


_backends_lock = threading.Lock()
KERNELS_VAR = "RAG_CPU_KERNELS"  # e.g. haswell, skylakex, zen4: one kernel variant, for testing


def llama_cpp() -> ModuleType:
    """llama_cpp with its CPU kernels loaded.

    The Makefile builds llama.cpp with runtime dispatch (GGML_BACKEND_DL, GGML_CPU_ALL_VARIANTS):
    a libggml-cpu-<level>.so for each of five x86-64 levels (x64, haswell, skylakex, zen4,
    sapphirerapids: AMX) beside libllama, and ggml loads the best one this CPU runs, so a wheel
    built on one machine is right on another.
    The bindings never ask ggml to load them (llama-cpp-python issue #2069), so this does, once.
    A build with the kernels linked in has its CPU backend already and loads nothing."""
    import llama_cpp as module
    from llama_cpp._logger import set_verbose

    set_verbose(False)  # llama.cpp's own log lines ("loaded CPU backend…") are not for users
    lib_dir = Path(module.__file__).parent / "lib"
    with _backends_lock:
        ggml = _loaded_libggml(lib_dir)
        ggml.ggml_backend_reg_by_name.restype = ctypes.c_void_p
        ggml.ggml_backend_reg_by_name.argtypes = [ctypes.c_char_p]
        ggml.ggml_backend_load_all_from_path.argtypes = [ctypes.c_char_p]
        if not ggml.ggml_backend_reg_by_name(b"CPU"):
            if os.environ.get(KERNELS_VAR):
                _load_kernels(ggml, lib_dir, os.environ[KERNELS_VAR])
            else:
                ggml.ggml_backend_load_all_from_path(str(lib_dir).encode())
            if not ggml.ggml_backend_reg_by_name(b"CPU"):
                raise ModelError("llama.cpp found no CPU kernels for this processor: run `make setup` again")
    return module


def _load_kernels(ggml: ctypes.CDLL, lib_dir: Path, variant: str) -> None:
    """One chosen kernel variant instead of the best this CPU has: the test suite runs under two
    of them (`make test KERNELS=haswell`), since answers may differ from kernel to kernel. The
    variant must be one this processor runs; ggml does not check."""
    path = lib_dir / f"libggml-cpu-{variant}.so"
    if not path.is_file():
        known = sorted(p.name[len("libggml-cpu-") : -3] for p in lib_dir.glob("libggml-cpu-*.so"))
        raise ModelError(f"no CPU kernels named {variant!r} ({KERNELS_VAR}); choose one of {', '.join(known)}")
    ggml.ggml_backend_load.restype = ctypes.c_void_p
    ggml.ggml_backend_load.argtypes = [ctypes.c_char_p]
    if not ggml.ggml_backend_load(str(path).encode()):
        raise ModelError(f"llama.cpp could not load the {variant} CPU kernels")


def _loaded_libggml(lib_dir: Path) -> ctypes.CDLL:
    """The libggml that libllama itself loaded. The wheel holds libggml.so, .so.0 and .so.0.x as
    copies, not links: opening another of them would give a second ggml whose backend registry
    llama.cpp never reads. Opening the very file already mapped returns the same library."""
    maps = Path("/proc/self/maps")
    if maps.exists():
        for line in maps.read_text().splitlines():
            path = line.split(maxsplit=5)[-1]
            if Path(path).name.startswith("libggml.so") and Path(path).parent == lib_dir.resolve():
                return ctypes.CDLL(path)
    return ctypes.CDLL(str(lib_dir / "libggml.so"))


def cpu_features() -> str:
    """What the loaded CPU kernels use, as llama.cpp reports it ("AVX2 = 1 | AVX512 = 1 …")."""
    return llama_cpp().llama_print_system_info().decode("utf-8", "replace").strip()


class Remembered(str):
    """A reply given before, back whole from the reply memory: the model wrote none of it."""


class PromptStates:
    """llama.cpp's memory of recently read prompts (its state once all but a prompt's last token
    was read), the most recently used kept within a byte budget. A prompt read before (the same question asked again,
    by another user, from an example button, or over another search store) resumes where its
    reading ended instead of being read again: on a CPU, reading the evidence is most of an
    answer's time. The state is the one that was computed, so the answer is the same."""

    def __init__(self, budget_bytes: int = 256 << 20) -> None:
        self.budget = budget_bytes
        self._states: OrderedDict[tuple[int, ...], bytes] = OrderedDict()

    def __len__(self) -> int:
        return len(self._states)

    def best(self, tokens: Sequence[int]) -> tuple[tuple[int, ...], bytes, int] | None:
        """The kept state sharing the longest start with tokens, and how many tokens it shares."""
        found = None
        for key, state in self._states.items():
            shared = common_prefix(key, tokens)
            if found is None or shared > found[2]:
                found = (key, state, shared)
        return found

    def __contains__(self, key: tuple[int, ...]) -> bool:
        return key in self._states

    def keep(self, key: tuple[int, ...], state: bytes) -> None:
        self._states.pop(key, None)
        self._states[key] = state
        while sum(len(s) for s in self._states.values()) > self.budget and len(self._states) > 1:
            self._states.popitem(last=False)


class SavedStarts:
    """The reader's state after the fixed start of its prompts (instructions and worked examples),
    kept on disk: a new process (`rag ask`, `rag serve` starting) resumes there instead of reading
    it again, ~250 tokens that take ~6 s on a 2-core AVX2 CPU. A file holds one state, named by
    what made it: the model file, llama.cpp's settings and version, the features of the CPU
    kernels that computed it (other kernels may compute other numbers) and the tokens. A file that does not load is read
    past (a checksum tells a broken one), so it costs only the reading it was to save."""

    KEPT = 16  # files; older ones are removed (a state is ~7 MB for the default reader)
    SHORTEST = 64  # tokens: a shorter start is read with the rest of its prompt (quicker than loading it)

    def __init__(self, folder: Path, identity: dict[str, Any]) -> None:
        self.folder = Path(folder)
        self.identity = json.dumps(identity, sort_keys=True)

    def path(self, tokens: Sequence[int]) -> Path:
        digest = hashlib.sha256(self.identity.encode() + tokens_digest(tokens)).hexdigest()[:32]
        return self.folder / f"{digest}.state"

    def load(self, tokens: Sequence[int]) -> bytes | None:
        """The saved state, or None when there is none or it is not whole (its checksum leads it)."""
        try:
            data = self.path(tokens).read_bytes()
        except OSError:
            return None
        state = data[32:]
        return state if hashlib.sha256(state).digest() == data[:32] else None

    def save(self, tokens: Sequence[int], state: bytes) -> None:
        """Written aside and renamed, so a reader never sees half a file; a folder that cannot
        be written only means the start is read again next time."""
        target = self.path(tokens)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(f".{os.getpid()}.partial")
            partial.write_bytes(hashlib.sha256(state).digest() + state)
            os.replace(partial, target)
            for old in sorted(self.folder.glob("*.state"), key=lambda f: f.stat().st_mtime)[: -self.KEPT]:
                old.unlink(missing_ok=True)
        except OSError:
            pass


def tokens_digest(tokens: Sequence[int]) -> bytes:
    """A prompt's tokens as 32 bytes: a remembered reply's key, not ~600 Python ints."""
    return hashlib.sha256(array("i", tokens).tobytes()).digest()


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class LlamaGenerator:
    """llama.cpp in process. Loads on first use; one call at a time (llama.cpp is not
    thread-safe), later callers wait on the lock."""

    def __init__(
        self,
        model_path: Path,
        n_ctx: int = 2048,
        n_threads: int = 2,
        seed: int = 0,
        prompt_memory_mb: int = 512,
        saved_starts_dir: Path | None = None,
        remembered_replies: int = 256,
    ) -> None:
        self.model_path = Path(model_path)
        self.saved_starts_dir = saved_starts_dir  # None: the fixed start is read in each process
        self._saved: SavedStarts | None = None
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.seed = seed
        self.lock = threading.Lock()
        self._llm: Any = None
        self._formatter: Any = None  # the chat template, compiled once
        self._aside: LlamaGenerator | None = None
        self.prompt_memory_mb = prompt_memory_mb
        self.states = PromptStates(prompt_memory_mb << 20)
        # A greedy reply depends on the prompt's tokens alone (_read gives a prompt read before
        # its very logits), so one given before is given again without reading or writing.
        self.replies: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.remembered_replies = remembered_replies
        # The logits of each step of the last reply generated, by its prompt's digest: the first
        # are those at the prompt's end, then those after each token written (the tokens too).
        # The reply's odds read next (reply_logprobs) are taken from them instead of reading the
        # prompt's last token and the reply again (~0.18 s an answer for the default reader).
        self._after_prompt: tuple[bytes, list[Any], list[int]] | None = None

    @property
    def name(self) -> str:
        return self.model_path.name

    def llama_params(self) -> dict[str, Any]:
        """How llama.cpp is set up for this model (also what `make bench` compares against)."""
        return {
            "model_path": str(self.model_path),
            "n_ctx": self.n_ctx,
            "n_threads": self.n_threads,
            "n_batch": 512,
            # llama.cpp's fused attention kernel: measured here 1.4x the prompt speed and 1.7x
            # the generation speed of the unfused path (llama-bench -fa), 0.61 vs 0.67 s an answer.
            "flash_attn": True,
            "seed": self.seed,
            "verbose": False,
        }

    @property
    def llm(self) -> Any:
        if self._llm is None:
            try:
                self._llm = llama_cpp().Llama(**self.llama_params())
            except (ValueError, RuntimeError, OSError) as exc:
                raise ModelError(f"cannot load model {self.model_path.name}: {exc}") from None
        return self._llm

    @property
    def aside(self) -> LlamaGenerator:
        """A second context of the same model (its weights shared: llama.cpp maps the file) for
        short questions asked beside the reading, which would otherwise push the reading prompt
        out of this context's cache."""
        with self.lock:
            if self._aside is None:
                # its prompts are short (a sentence, a question, an answer): a quarter of the memory
                self._aside = LlamaGenerator(
                    self.model_path,
                    2048,
                    self.n_threads,
                    self.seed,
                    self.prompt_memory_mb // 4,
                    self.saved_starts_dir,
                    self.remembered_replies,
                )
            return self._aside

    def close(self) -> None:
        if self._aside is not None:
            self._aside.close()
            self._aside = None
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

    def _prompt(self, messages: Messages) -> tuple[list[int], list[str], Any, str, int]:
        """The prompt's tokens as the model's own chat template makes them (a base model: the
        plain completion prompt, stopped at the next turn), its stop strings and criteria, what
        comes between the prompt and a reply, and how many tokens its fixed start takes (all
        turns before the question's). Generation and reply_logprobs both read these tokens, so
        either resumes where the other's reading ended."""
        tokens, stop, criteria, lead = self._tokens(messages)
        fixed = common_prefix(tokens, self._tokens(messages[:-1])[0]) if len(messages) > 1 else 0
        return tokens, stop, criteria, lead, fixed

    def _tokens(self, messages: Messages) -> tuple[list[int], list[str], Any, str]:
        if self.has_chat_template:
            turn = self._template()(messages=messages)
            text, stop, criteria, bos, lead = turn.prompt, turn.stop, turn.stopping_criteria, not turn.added_special, ""
        else:  # the reply follows "Answer:" after a space
            text, stop, criteria, bos, lead = completion_prompt(messages), ["\n\n", "Question:"], None, True, " "
        return self.llm.tokenize(text.encode("utf-8"), add_bos=bos, special=True), stop, criteria, lead

    def _template(self) -> Any:
        """The model's chat template, compiled once."""
        if self._formatter is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            llm = self.llm
            token_text = llm._model.token_get_text
            self._formatter = Jinja2ChatFormatter(
                llm.metadata["tokenizer.chat_template"], token_text(llm.token_eos()), token_text(llm.token_bos())
            )
        return self._formatter

    def _read(self, prompt: list[int], fixed: int = 0) -> None:
        """Bring the model to the end of this prompt, its logits live. All but the last token
        come from what the model holds, or the kept state sharing most of the prompt, and are
        read on from there and kept; the last token is then read alone. So a prompt read before
        gives the very logits it gave then, and the same reply, whatever was asked in between.
        A long fixed start (the prompt's first `fixed` tokens) is always read as a piece of its
        own, and kept on disk, so a new process loads it and reads on the same way."""
        llm = self.llm
        body = tuple(prompt[:-1])
        held = common_prefix(llm._input_ids.tolist(), body)
        if held < len(body):
            found = self.states.best(body)
            if found is not None and found[2] > held:
                held = found[2] if self._load(found[0], found[1]) else 0
                self.states.keep(found[0], found[1])  # used again: kept longest
        if held < fixed < len(body) and fixed >= SavedStarts.SHORTEST:
            held = self._read_start(body[:fixed], held)
        llm.n_tokens = held  # eval() drops what the model holds past this
        if held < len(body):
            llm.eval(body[held:])
            self.states.keep(body, self._state())
        llm.eval(prompt[-1:])

    def _read_start(self, start: tuple[int, ...], held: int) -> int:
        """The model brought to the end of the prompt's fixed start: loaded from disk when saved
        there, else read (on from the `held` tokens) and saved. Returns the tokens now held."""
        llm, saved = self.llm, self._saved_starts()
        state = saved.load(start) if saved is not None and held == 0 else None
        if state is None or not self._load(start, state):
            llm.n_tokens = held
            llm.eval(start[held:])
            state = self._state()
            if saved is not None:
                saved.save(start, state)
        self.states.keep(start, state)
        return len(start)

    def _saved_starts(self) -> SavedStarts | None:
        if self.saved_starts_dir is None:
            return None
        if self._saved is None:
            stat = self.model_path.stat()
            identity = {
                "model": [str(self.model_path.resolve()), stat.st_size, stat.st_mtime_ns],
                "llama": {k: v for k, v in self.llama_params().items() if k not in ("model_path", "verbose")},
                "llama_cpp": getattr(llama_cpp(), "__version__", ""),
                "kernels": cpu_features(),  # what the loaded CPU kernels use: another variant, another file
            }
            self._saved = SavedStarts(self.saved_starts_dir, identity)
        return self._saved

    def forget_replies(self) -> None:
        """Read every prompt again (its own and its second context's remembered replies go)."""
        self.replies.clear()
        if self._aside is not None:
            self._aside.forget_replies()

    def _remembered(self, key: tuple[Any, ...]) -> Any:
        found = self.replies.get(key)
        if found is not None:
            self.replies.move_to_end(key)
        return found

    def _remember(self, key: tuple[Any, ...], reply: Any) -> None:
        if self.remembered_replies > 0:
            self.replies[key] = reply
            while len(self.replies) > self.remembered_replies:
                self.replies.popitem(last=False)

    def _state(self) -> bytes:
        ctx, lib = self.llm._ctx.ctx, llama_cpp()
        size = lib.llama_state_get_size(ctx)
        buffer = (ctypes.c_uint8 * size)()
        return ctypes.string_at(buffer, lib.llama_state_get_data(ctx, buffer, size))

    def _load(self, key: tuple[int, ...], state: bytes) -> bool:
        llm = self.llm
        buffer = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
        if llama_cpp().llama_state_set_data(llm._ctx.ctx, buffer, len(state)) != len(state):
            return False  # nothing usable is held: the prompt is read from its start
        llm.input_ids[: len(key)] = key
        llm.n_tokens = len(key)
        return True

    def reply_logprobs(self, messages: Messages, replies: list[str]) -> list[list[float]]:
        """For each possible reply, the log-probability of each of its tokens as the model's
        answer to the messages. The prompt is evaluated once (and its start reused from the
        previous call, like generation does); the tokens a candidate shares with the reply just
        written are scored from the logits seen while writing it, the rest read one by one."""
        import numpy as np

        with self.lock:
            llm = self.llm
            prompt, _, _, lead, fixed = self._prompt(messages)
            digest = tokens_digest(prompt)
            key = ("logprobs", digest, tuple(replies))
            if (known := self._remembered(key)) is not None:
                return [list(scores) for scores in known]

            def log_softmax(logits: Any) -> np.ndarray:
                values = logits.astype(np.float64)
                values -= values.max()
                return values - np.log(np.exp(values).sum())

            steps, written = self._steps_after(prompt, digest, fixed)
            held = llm._input_ids[len(prompt) :].tolist()  # what the model holds past the prompt
            out: list[list[float]] = []
            for reply in replies:
                tokens = llm.tokenize((lead + reply).encode("utf-8"), add_bos=False, special=False)
                # The odds of the tokens the reply shares with what was written are the ones
                # seen while writing; the rest are read a token at a time, as writing reads
                # them, so that either way gives the very same numbers.
                seen = min(common_prefix(tokens, written) + 1, len(steps), len(tokens))
                scores = [float(log_softmax(steps[j])[t]) for j, t in enumerate(tokens[:seen])]
                if seen < len(tokens):
                    start = min(seen - 1, common_prefix(tokens, held))
                    llm._ctx.kv_cache_seq_rm(-1, len(prompt) + start, -1)
                    for i in range(start, len(tokens) - 1):
                        llm._batch.set_batch([tokens[i]], n_past=len(prompt) + i, logits_all=False)
                        llm._ctx.decode(llm._batch)
                        if i + 1 >= seen:
                            scores.append(float(log_softmax(self._logits(-1))[tokens[i + 1]]))
                    held = tokens[:-1]
                out.append(scores)
            # Leave the model holding just the prompt, as its own bookkeeping expects; its
            # logits are a candidate's now, so the next generation must refresh them.
            llm._ctx.kv_cache_seq_rm(-1, len(prompt), -1)
            llm.n_tokens = len(prompt)
            llm._requires_eval = True
            self._remember(key, [list(scores) for scores in out])
            return out

    def _steps_after(self, prompt: list[int], digest: bytes, fixed: int) -> tuple[list[Any], list[int]]:
        """The logits after the prompt's last token, then after each token of the reply written
        from it that the model still holds, and those tokens. Just generated from this prompt,
        the model still holds it and the reply, and they are the ones kept then; else the prompt
        is read (_read), which gives the very same first ones."""
        kept = self._after_prompt
        held = self.llm._input_ids.tolist()
        if kept is not None and kept[0] == digest and held[: len(prompt)] == prompt:
            written = kept[2][: common_prefix(kept[2], held[len(prompt) :])]
            return kept[1][: 1 + len(written)], written
        self._read(prompt, fixed)
        return [self._logits(-1).copy()], []  # a copy: reading the candidates moves the live ones

    def _logits(self, i: int) -> Any:
        """The model's logits for the i-th token of its last batch (-1: the last), as an array
        over the live buffer: copy it to keep it."""
        import numpy as np

        return np.ctypeslib.as_array(self.llm._ctx.get_logits_ith(i), shape=(self.llm.n_vocab(),))

    def complete(
        self, messages: Messages, max_tokens: int, temperature: float = 0.0, stream: bool = False
    ) -> Iterator[str]:
        """Yield the reply in pieces (one piece when not streaming)."""
        with self.lock:
            llm = self.llm
            # The prompt is tokenized once, read (or resumed) by _read, and generated from as
            # those very tokens: llama.cpp finds it read and samples at once.
            prompt, stop, criteria, _, fixed = self._prompt(messages)
            key = ("reply", tokens_digest(prompt), max_tokens)
            if temperature == 0 and (known := self._remembered(key)) is not None:
                yield Remembered(known)
                return
            from llama_cpp import StoppingCriteriaList

            self._read(prompt, fixed)
            steps, reply_tokens = [self._logits(-1).copy()], list[int]()
            self._after_prompt = (tokens_digest(prompt), steps, reply_tokens)

            def keep_step(input_ids: Any, _logits: Any) -> bool:
                # called as each token is chosen, the logits it was chosen from still live
                if len(input_ids) - len(prompt) == len(steps):
                    steps.append(self._logits(-1).copy())
                    reply_tokens[:] = input_ids[len(prompt) :].tolist()
                return bool(criteria is not None and criteria(input_ids, _logits))

            result = llm.create_completion(
                prompt=prompt, max_tokens=max_tokens, temperature=temperature, seed=self.seed, stream=stream,
                stop=stop, stopping_criteria=StoppingCriteriaList([keep_step]),
            )  # fmt: skip
            pieces = (
                (chunk["choices"][0]["text"] for chunk in result) if stream else iter([result["choices"][0]["text"]])
            )
            # Consume inside the lock: the model is busy until the reply is complete.
            written = []
            for piece in pieces:
                written.append(piece)
                yield piece
            if temperature == 0:  # only a whole reply is remembered (a reader may stop early)
                self._remember(key, "".join(written))


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
        self._http: Any = None
        self._http_lock = threading.Lock()

    def _client(self) -> Any:
        """One client for every request, shared by threads: a new one costs ~45 ms (it loads the
        CA certificates) and a new connection, on each question."""
        import httpx

        with self._http_lock:
            if self._http is None:
                self._http = httpx.Client(base_url=self.url, timeout=self.timeout)
            return self._http

    @property
    def name(self) -> str:
        if self._name is None:
            try:
                models = self._client().get("/models").raise_for_status().json().get("data") or []
                self._name = str(models[0]["id"]) if models else "remote model"
            except Exception as exc:
                raise ModelError(f"the model server at {self.url} does not answer ({type(exc).__name__})") from None
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
            client = self._client()
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
            raise ModelError(f"the model server at {self.url} failed: {type(exc).__name__}") from None

    def forget_replies(self) -> None:
        pass  # nothing is remembered here: the server reads each request

    def close(self) -> None:
        with self._http_lock:
            if self._http is not None:
                self._http.close()
                self._http = None


class TextGenerator(Protocol):
    """What the answering step talks to: a GGUF model in this process (LlamaGenerator) or an
    OpenAI-compatible server (RemoteGenerator). Reading candidate replies' likelihoods
    (`reply_logprobs`) is the in-process model's alone."""

    @property
    def name(self) -> str: ...

    @property
    def context_size(self) -> int: ...

    def prompt_tokens(self, messages: Messages) -> int: ...

    def complete(
        self, messages: Messages, max_tokens: int, temperature: float = 0.0, stream: bool = False
    ) -> Iterator[str]: ...

    def forget_replies(self) -> None: ...

    def close(self) -> None: ...
