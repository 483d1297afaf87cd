"""`make bench`: where the time goes on this machine, each figure a median of repeats.

Prints one table and writes it to bench/results.md with the core count, so a run on another
machine compares by ratio. A script, not tests: nothing here passes or fails."""

from __future__ import annotations

import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
QUESTION = "Who is India's ambassador to Belarus?"
rows: list[tuple[str, str, str]] = []  # (figure, value, note)


def record(figure: str, value: str, note: str = "") -> None:
    rows.append((figure, value, note))
    print(f"{figure:<48} {value:>14}  {note}", flush=True)


def median_of(repeats: int, run) -> float:
    return statistics.median(run() for _ in range(repeats))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def timed_process(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


# ------------------------------------------------------------------ start-up


def bench_startup() -> None:
    py = sys.executable
    record("import rag", f"{median_of(5, lambda: timed_process([py, '-c', 'import rag'])):.3f} s", "median of 5")
    subprocess.run([py, "-m", "rag.serve.cli", "index"], cwd=ROOT, check=True, capture_output=True)
    ask = [py, "-m", "rag.serve.cli", "ask", QUESTION]
    cold = median_of(3, lambda: timed_process([*ask, "--local"]))
    record(
        "cold start: `rag ask --local` to printed answer", f"{cold:.2f} s", "new process loads everything; median of 3"
    )
    runtime_dir = Path(tempfile.mkdtemp())
    env = {**os.environ, "RAG_RUNTIME_DIR": str(runtime_dir), "GRADIO_ANALYTICS_ENABLED": "False"}
    port = "7999"
    started = time.perf_counter()
    server = subprocess.Popen(
        [py, "-m", "rag.serve.cli", "serve", "--port", port], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        for line in server.stdout:  # "serving on …" is printed once the models are warm and the port open
            if line.startswith("serving on"):
                break
        record("`rag serve` start, warm and listening", f"{time.perf_counter() - started:.2f} s", "index built")
        from rag.serve.daemon import ask_server

        # A server whose example questions were not checked before checks them as it starts, and
        # remembers their replies: asking one of them would measure that memory, not an answer.
        examples = shown_examples()
        unasked = [q for q in seed_questions(20) if q not in examples]
        t0 = time.perf_counter()
        first = ask_server(f"http://127.0.0.1:{port}", unasked[0], None)
        record(
            "first answer from the server after start",
            f"{time.perf_counter() - t0:.3f} s",
            "the chat's /answer API over HTTP, a question it was not asked at start"
            + ("" if first and first.get("answered") else " (NOT answered)"),
        )
        later = [timed_ask_server(ask_server, port, q) for q in unasked[1:7]]
        record("  later answers from the server p50", f"{statistics.median(later):.3f} s", "6 more seed questions")

        def delegated() -> float:
            started = time.perf_counter()
            subprocess.run(ask, cwd=ROOT, env=env, check=True, capture_output=True)
            return time.perf_counter() - started

        record(
            "cold start: `rag ask` with `rag serve` running",
            f"{median_of(3, delegated):.2f} s",
            "new process hands the question over; median of 3 (the 2nd and 3rd reply is remembered)",
        )
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(runtime_dir, ignore_errors=True)


def timed_ask_server(ask_server, port: str, question: str) -> float:
    t0 = time.perf_counter()
    ask_server(f"http://127.0.0.1:{port}", question, None)
    return time.perf_counter() - t0


# ------------------------------------------------------------------ warm ask()


def shown_examples() -> list[str]:
    """The example questions the chat shows for the seed corpus (checked, so answered, at start)."""
    from rag.measure.examples import read_cached
    from rag.settings import Settings

    return read_cached(ROOT / Settings().index_path, None) or []


def seed_questions(n: int) -> list[str]:
    lines = (ROOT / "eval" / "seeds_dev.jsonl").read_text(encoding="utf-8").splitlines()
    rows_ = [json.loads(line) for line in lines if line.strip()]
    return [r["question"] for r in rows_ if not r.get("unanswerable")][:n]


def bench_ask() -> list[str]:
    from rag.answering import ask
    from rag.cache import get_generator
    from rag.settings import Settings

    questions = seed_questions(20)
    ask(questions[0])  # load models and index
    get_generator(Settings.from_env()).forget_replies()  # so the first question is read again below
    stages: dict[str, list[float]] = {}
    for q in questions:
        a = ask(q)
        for key, value in a.timings.items():
            stages.setdefault(key, []).append(value)
        if "generate" in a.timings:
            stages.setdefault("generated_tokens", []).append(float(a.generated_tokens))
    total = stages["total"]
    record(
        "warm ask() total p50 / p95",
        f"{pct(total, 50):.3f} / {pct(total, 95):.3f} s",
        f"{len(questions)} seed questions",
    )
    for key, label in [("retrieve", "retrieve"), ("evidence", "select evidence"), ("generate", "generate")]:
        if key in stages:
            record(f"  {label} p50", f"{pct(stages[key], 50):.3f} s")
    if "first_token" in stages:
        ttft = [stages["retrieve"][i] + stages["evidence"][i] + stages["first_token"][i] for i in range(len(total))]
        record("  time to first token p50 (from the question)", f"{pct(ttft, 50):.3f} s")
    if "generated_tokens" in stages:
        speeds = [
            (n - 1) / (g - f)
            for n, g, f in zip(stages["generated_tokens"], stages["generate"], stages["first_token"], strict=True)
            if n > 1 and g > f
        ]
        if speeds:
            record("  generated tokens per second p50", f"{pct(speeds, 50):.1f}")
    # Asked again, each reply is the one remembered for its prompt (LlamaGenerator.replies)...
    again = [ask(q).timings["total"] for q in questions]
    record("the same questions asked again: total p50 / p95", f"{pct(again, 50):.3f} / {pct(again, 95):.3f} s")
    # ...and with the replies forgotten, each prompt resumes from its kept state (PromptStates).
    get_generator(Settings.from_env()).forget_replies()
    again = [ask(q).timings["total"] for q in questions]
    record(
        "  asked again, replies forgotten (prompts kept): total p50 / p95",
        f"{pct(again, 50):.3f} / {pct(again, 95):.3f} s",
    )
    return questions


# ------------------------------------------------------------------ our generation vs raw llama.cpp


def bench_generation(questions: list[str]) -> None:
    from rag.answer.evidence import select_evidence
    from rag.answer.generation import llama_cpp
    from rag.answer.prompts import build_messages, evidence_block
    from rag.answering import search
    from rag.cache import get_embedder, get_generator, get_index
    from rag.search.retrieval import term_weights
    from rag.settings import Settings

    settings = Settings()
    index, generator = get_index(settings), get_generator(settings)
    prompts = []
    for q in questions[:6]:
        passages = search(index, q, settings)
        evidence = select_evidence(q, passages, get_embedder(), term_weights(index), settings.grounding)
        prompts.append(build_messages(q, evidence_block(evidence)))
    raw = llama_cpp().Llama(**generator.llama_params())  # the same settings: this measures our overhead

    def ours(messages) -> float:
        generator.forget_replies()  # generation is measured, not the remembered reply
        t0 = time.perf_counter()
        "".join(generator.complete(messages, settings.max_tokens, 0.0, stream=True))
        return time.perf_counter() - t0

    def plain(messages, reset: bool = False) -> float:
        if reset:
            raw.reset()  # forget the evaluated prompt: the shared prefix is evaluated again
        t0 = time.perf_counter()
        raw.create_chat_completion(messages=messages, max_tokens=settings.max_tokens, temperature=0.0, seed=0)
        return time.perf_counter() - t0

    for m in prompts[:2]:  # warm both
        ours(m)
        plain(m)
    ratios, ours_t, raw_t, cold_t = [], [], [], []
    for m in prompts:
        o = statistics.median(ours(m) for _ in range(3))
        r = statistics.median(plain(m) for _ in range(3))
        c = statistics.median(plain(m, reset=True) for _ in range(3))
        ours_t.append(o)
        raw_t.append(r)
        cold_t.append(c)
        ratios.append(o / r)
    # Each prompt repeated 3x: the second and third reuse everything; the fairer comparison
    # of prefix reuse is the different-question case below.
    record("our generation / raw llama-cpp-python", f"{statistics.median(ratios):.3f}", "same prompts, target <= 1.05")
    record("  raw generation p50 (prefix reused)", f"{statistics.median(raw_t):.3f} s")
    record("  raw generation p50 (prompt from scratch)", f"{statistics.median(cold_t):.3f} s")
    alternating = []
    for a, b in itertools.pairwise(prompts):
        plain(a)
        alternating.append(plain(b))
    record(
        "  new question after another (shared prefix)",
        f"{statistics.median(alternating):.3f} s",
        f"saves {statistics.median(cold_t) - statistics.median(alternating):.3f} s vs from scratch",
    )
    raw.close()


# ------------------------------------------------------------------ llama.cpp speed, ours vs its own llama-bench


def our_speed(path: Path, n_prompt: int = 512, n_gen: int = 128) -> tuple[float, float]:
    """Prompt and generation tokens/s through our LlamaGenerator (its threads, batch, context):
    a 512-token prompt evaluated from scratch, then a greedy continuation streamed as the
    pipeline streams answers; medians of 3."""
    from rag.answer.generation import LlamaGenerator
    from rag.settings import Settings

    generator = LlamaGenerator(path, n_ctx=1024, n_threads=Settings().n_threads)
    llm = generator.llm
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    tokens = llm.tokenize(text.encode("utf-8"))[:n_prompt]
    prompt_speeds, gen_speeds = [], []
    for _ in range(4):  # the first run warms up
        llm.reset()
        t0 = time.perf_counter()
        llm.eval(tokens)
        prompt_speeds.append(len(tokens) / (time.perf_counter() - t0))
        llm.reset()
        stamps = [
            time.perf_counter()
            for _ in llm.create_completion(prompt=tokens[:16], max_tokens=n_gen, temperature=0.0, stream=True)
        ]
        if len(stamps) > 1:
            gen_speeds.append((len(stamps) - 1) / (stamps[-1] - stamps[0]))
    generator.close()
    return statistics.median(prompt_speeds[1:]), statistics.median(gen_speeds[1:] or gen_speeds or [0.0])


def llama_bench_speed(path: Path, n_prompt: int = 512, n_gen: int = 128) -> tuple[float, float] | None:
    """llama.cpp's own llama-bench, built by the Makefile from the same vendored source, run in
    the installed wheel's lib folder so it loads the very same CPU kernels."""
    import llama_cpp

    binary = os.environ.get("LLAMA_BENCH", "")
    if not binary or not Path(binary).is_file():
        return None
    from rag.settings import Settings

    threads = str(Settings().n_threads)
    args = [binary, "-m", str(path), "-p", str(n_prompt), "-n", str(n_gen), "-t", threads, "-r", "3", "-o", "json"]
    out = subprocess.run(args, cwd=Path(llama_cpp.__file__).parent / "lib", capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr[-2000:], file=sys.stderr)
        return None
    results = json.loads(out.stdout)
    prompt = next(r["avg_ts"] for r in results if r["n_prompt"] and not r["n_gen"])
    gen = next(r["avg_ts"] for r in results if r["n_gen"] and not r["n_prompt"])
    return prompt, gen


def bench_llama() -> None:
    """Every installed GGUF, plus the packaged model and the default reader requantized to each
    candidate format (to choose their formats by measurement), through our code and through
    llama-bench. "(default)" marks the model the tool reads with when none is named."""
    from rag.answer.generation import cpu_features
    from rag.answer.models import INSTALLED_DIR, installed_models, packaged_model, quantize, resolve_model

    reported = cpu_features().removeprefix("CPU :").split("|")  # "CPU : SSE3 = 1 | AVX2 = 1 | …"
    features = [f.split("=")[0].strip() for f in reported if f.strip().endswith("= 1")]
    maps = Path("/proc/self/maps").read_text() if Path("/proc/self/maps").exists() else ""
    variant = next((w for w in maps.split() if "/libggml-cpu-" in w), "libggml-cpu-?.so").rsplit("/", 1)[-1]
    record("llama.cpp CPU kernels loaded", variant, " ".join(features))
    candidates = [(m.path, m.role) for m in installed_models(ROOT / "models")]
    scratch = Path(tempfile.mkdtemp())
    for fmt in ("Q4_0", "Q8_0"):
        if not any(f".{fmt}." in path.name for path, _ in candidates):
            candidates.append((quantize(packaged_model(), scratch / f"SmolLM2-135M-Instruct.{fmt}.gguf", fmt), "trial"))
    default = resolve_model(None, ROOT / "models")
    if default.parent.name == INSTALLED_DIR:  # the reader, requantized to the format issue 25 measured fastest
        candidates.append((quantize(default, scratch / f"{default.stem}.Q4_0.gguf", "Q4_0"), "trial, requantized"))
    for path, role in candidates:
        prompt, gen = our_speed(path)
        anchor = llama_bench_speed(path)
        note = f"{role}, {path.stat().st_size / 2**20:.0f} MB"
        if anchor:
            note += f"; llama-bench {anchor[0]:.0f} / {anchor[1]:.0f}; ratio {prompt / anchor[0]:.2f} / {gen / anchor[1]:.2f}"
        else:
            note += "; llama-bench not built (make bench builds it)"
        chosen = " (default)" if path == default else ""
        record(f"{path.name}{chosen}: prompt / generation tok/s", f"{prompt:.0f} / {gen:.0f}", note)
    shutil.rmtree(scratch, ignore_errors=True)


# ------------------------------------------------------------------ indexing


def linked_corpus(source: Path, names: list[str], folder: Path) -> Path:
    """A corpus of symlinks: benchmark documents are read in place, never copied."""
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).symlink_to(source / name)
    return folder


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return "unknown CPU"


def timed_index_command(corpus: Path, backend: str) -> tuple[float, int]:
    """`rag index` as a user runs it, in a new process with an empty index folder: seconds
    from start to exit (imports, model load, reading, chunking, embedding, writing) and chunks."""
    out = Path(tempfile.mkdtemp())
    try:
        args = [sys.executable, "-m", "rag.serve.cli", "index", "--corpus", str(corpus), "--index-dir", str(out)]
        env = {**os.environ, "RAG_EMBED_BACKEND": backend}
        t0 = time.perf_counter()
        subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True)
        took = time.perf_counter() - t0
        from rag.search.index import read_manifest

        return took, int(read_manifest(out)["chunk_count"])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def bench_indexing() -> None:
    """The whole `rag index` command against the plain float32 encode of the same chunk texts
    (sentence-transformers, batch 32, as a script would call it): the reference for issue 42."""
    from rag.cache import get_embedder
    from rag.search import embed_backend
    from rag.search.index import build_index, chunking_params, embedding_text

    embedder = get_embedder()
    embedder.embed(["warm up"])
    flags = embed_backend.cpu_flags()
    record(
        "CPU / embedding backend",
        f"{embedder.backend}",
        f"{cpu_name()}, {os.cpu_count()} cores; native here: {', '.join(embed_backend.available(flags))}"
        + ("; has " + ", ".join(sorted(flags & embed_backend.BF16_FLAGS)) if flags & embed_backend.BF16_FLAGS else ""),
    )
    corpora = [("seed corpus", ROOT / "seeds")]
    rtqa = SHARED / "realtimeqa_2022" / "docs"
    if rtqa.is_dir():
        names = sorted(p.name for p in rtqa.glob("*.txt"))[:150]
        corpora.append(
            ("realtimeqa_2022, 150 of 946 articles", linked_corpus(rtqa, names, Path(tempfile.mkdtemp()) / "c"))
        )
    for label, corpus in corpora:
        out = Path(tempfile.mkdtemp())
        index = build_index(corpus, out / "idx", embedder, chunking_params(128, 32))
        texts = [embedding_text(c) for c in index.chunks]
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.perf_counter()
        embedder.model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
        plain = len(texts) / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        embedder.embed(texts)
        ours_encode = len(texts) / (time.perf_counter() - t0)
        record(
            f"plain fp32 encode, {label}",
            f"{plain:.1f} chunks/s",
            f"{len(texts)} chunks; sentence-transformers batch 32; {embedder.backend} embed() {ours_encode:.1f}/s",
        )
        for backend in dict.fromkeys(("auto", "fp32")):
            took, chunks = timed_index_command(corpus, backend)
            speed = chunks / took
            record(
                f"`rag index` whole command, {label}, {embedder.backend if backend == 'auto' else backend}",
                f"{speed:.1f} chunks/s",
                f"{chunks} chunks in {took:.1f} s, new process and empty index; {speed / plain:.2f}x the plain fp32 encode",
            )
    record("peak memory of this process so far", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


# ------------------------------------------------------------------ vector search at scale


def synthetic_vectors(n: int, dim: int = 384, seed: int = 0):
    """Unit vectors with text-like structure (few effective dimensions), in blocks."""
    import numpy as np

    rng = np.random.default_rng(seed)
    basis = rng.normal(size=(48, dim)).astype("float32")
    out = np.empty((n, dim), dtype="float32")
    for start in range(0, n, 100_000):
        block = rng.normal(size=(min(100_000, n - start), 48)).astype("float32") @ basis
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + len(block)] = block
    return out


def bench_search() -> None:
    from rag.search.index import choose_index_type, make_search_index, recall_at_10

    for n in (10_000, 100_000, 1_000_000):
        vectors = synthetic_vectors(n)
        kind = choose_index_type(n)
        t0 = time.perf_counter()
        index = make_search_index(vectors, kind)
        built = time.perf_counter() - t0
        queries = synthetic_vectors(200, seed=1)
        latencies = []
        for q in queries:
            t0 = time.perf_counter()
            index.search(q.reshape(1, -1), 10)
            latencies.append(time.perf_counter() - t0)
        recall = recall_at_10(index, vectors) if kind != "flat-ip" else 1.0
        mb = index_bytes(index) / 2**20
        record(
            f"vector search p50 at {n:,} chunks",
            f"{1000 * statistics.median(latencies):.2f} ms",
            f"{kind}, recall@10 {recall:.3f}, built in {built:.0f} s, {mb:.0f} MB in RAM (synthetic vectors)",
        )
        del vectors, index
    per_million_text = 1_000_000 * 700 / 2**20  # ~700 bytes of text and JSON per 128-token chunk
    record(
        "disk per million chunks",
        f"{1_000_000 * 384 * 4 / 2**20 + per_million_text:.0f} MB",
        "float32 vectors + chunk store",
    )


# ------------------------------------------------------------------ the Qdrant store


def rss_mb() -> float:
    """This process's resident memory now (ru_maxrss only ever grows)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def mirrored(index):
    """The index mirrored into Qdrant's local mode, the seconds it took and the MB it added."""
    from rag.search.qdrant_store import open_store

    before = rss_mb()
    t0 = time.perf_counter()
    store = open_store("qdrant", index)
    store.sync(index)
    return store, time.perf_counter() - t0, rss_mb() - before


def bench_engine() -> None:
    """`--store qdrant` (Qdrant's local mode in this process) against FAISS + bm25s: mirroring an
    index into the collection, hybrid search with the date filter, memory. Real chunks
    (realtimeqa_2022, 15.7k) and 100k synthetic ones (words drawn Zipf-like)."""
    from rag.cache import get_embedder, get_index
    from rag.measure.eval import load_questions, question_day
    from rag.search.dates import as_of_day
    from rag.search.retrieval import retrieve_passages
    from rag.settings import Settings

    rtqa = SHARED / "realtimeqa_2022"
    if rtqa.is_dir():
        settings = Settings(corpus=rtqa / "docs")
        index = get_index(settings)
        questions = load_questions(rtqa / "questions.jsonl")[:50]
        embedder = get_embedder()
        store, took, grown = mirrored(index)
        latency: dict[str, list[float]] = {"faiss": [], "qdrant": []}
        for q in questions:
            day = as_of_day(question_day(q, settings))
            for name, engine in (("faiss", None), ("qdrant", store)):
                t0 = time.perf_counter()
                retrieve_passages(index, embedder, q.question, k=5, as_of=day, store=engine)
                latency[name].append(time.perf_counter() - t0)
        record(
            f"qdrant local mode: mirror {len(index.chunks):,} chunks",
            f"{len(index.chunks) / took:.0f} chunks/s",
            f"realtimeqa_2022, vectors from the index; +{grown:.0f} MB in RAM",
        )
        record(
            f"qdrant local mode: hybrid search p50 at {len(index.chunks):,} chunks",
            f"{1000 * statistics.median(latency['qdrant']):.0f} ms",
            f"50 questions with as_of, embedding included; FAISS + bm25s {1000 * statistics.median(latency['faiss']):.0f} ms",
        )
        del store
    bench_engine_synthetic(100_000, 5)
    # Not 1M: local mode grows each sparse point's bookkeeping array by copying it (np.append),
    # so filling it is quadratic — 100k take ~1 min, 1M did not finish in 25 min. A million
    # chunks is a Qdrant server's job, and no server binary is reachable from this machine.
    record("qdrant local mode at 1,000,000 chunks", "not run", "filling local mode is quadratic; use a server")


def synthetic_index(n: int, folder: Path):
    """An Index of n chunks of Zipf-distributed words with synthetic vectors."""
    import numpy as np

    from rag.schema import Chunk
    from rag.search.index import Index

    rng = np.random.default_rng(0)
    words = np.array([f"w{i}x" for i in range(50_000)])
    ranks = np.minimum(rng.zipf(1.3, size=(n, 60)), 50_000) - 1
    chunks, documents = [], {}
    for row in range(n):
        doc = f"doc{row // 20}.txt"
        text = " ".join(words[ranks[row]])
        chunks.append(Chunk(f"{doc}#{row % 20}", doc, text, 0, len(text), "", f"2022-{1 + row % 12:02d}-01"))
        documents.setdefault(doc, {"sha256": doc, "chunks": 0})["chunks"] += 1
    manifest = {"embedder": {"name": "synthetic", "dimension": 384}, "documents": documents}
    return Index(folder / "gen-synthetic", manifest, chunks, synthetic_vectors(n), None)


def bench_engine_synthetic(n: int, repeats: int) -> None:
    from datetime import date

    index = synthetic_index(n, Path(tempfile.mkdtemp()))
    store, took, grown = mirrored(index)
    queries = synthetic_vectors(repeats, seed=1)
    latencies = []
    for i, vector in enumerate(queries):
        text = " ".join(index.chunks[i * 7].text.split()[:8])
        t0 = time.perf_counter()
        store.fused_ranking(text, vector, 40, 60, "hybrid", date(2022, 6, 30))
        latencies.append(time.perf_counter() - t0)
    record(f"qdrant local mode: mirror {n:,} chunks", f"{n / took:.0f} chunks/s", f"synthetic; +{grown:.0f} MB in RAM")
    record(
        f"qdrant local mode: hybrid search p50 at {n:,} chunks",
        f"{1000 * statistics.median(latencies):.0f} ms",
        f"synthetic, {repeats} queries with the date filter",
    )


def index_bytes(index) -> int:
    import faiss

    return len(faiss.serialize_index(index))


def main() -> None:
    os.chdir(ROOT)
    if sys.argv[1:] == ["indexing"]:  # one part alone, printed and not written: `python bench/bench.py indexing`
        bench_indexing()
        return
    started = time.perf_counter()
    print(f"rag bench on {os.cpu_count()} cores", flush=True)
    bench_llama()
    bench_startup()
    questions = bench_ask()
    bench_generation(questions)
    bench_indexing()
    from documents import bench_documents  # bench/documents.py: PDF, web pages and Word files

    bench_documents(record)
    bench_search()
    bench_engine()
    took = time.perf_counter() - started
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; run took {took / 60:.1f} min "
        f"({time.strftime('%Y-%m-%d %H:%M')}). Regenerate with `make bench`.",
        "",
        "| figure | value | note |",
        "|---|---|---|",
        *[f"| {f} | {v} | {n} |" for f, v, n in rows],
        "",
    ]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"\nwritten to bench/results.md in {took / 60:.1f} min")


if __name__ == "__main__":
    main()
