"""The `rag` command: index, ask, serve, eval. User mistakes print one line and exit 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError, RagError
from ..settings import RETRIEVERS, Settings


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus", type=Path, help="folder of documents: .txt, .md, .pdf, .html, .docx, .epub (default: seeds)"
    )
    parser.add_argument("--index-dir", type=Path, help="where the index lives (default: index)")
    parser.add_argument("--model", type=Path, help="a GGUF file (default: RAG_MODEL, models/*.gguf, SmolLM2)")
    parser.add_argument("-k", type=int, help="passages to retrieve (default: 8)")
    parser.add_argument("--baseline", action="store_true", help="plain retrieve-and-generate, no grounding steps")
    parser.add_argument("--extractive", action="store_true", help="answer with quoted evidence only, no model")
    parser.add_argument(
        "--no-kinds", action="store_true", help="answer every question as one short fact (no lists, summaries, yes/no…)"
    )
    parser.add_argument("--retriever", choices=RETRIEVERS, help="search method (default: hybrid)")
    parser.add_argument(
        "--store", help="where search runs: faiss (default), qdrant (local mode), or a Qdrant URL http://HOST:6333"
    )
    parser.add_argument("--no-dates", action="store_true", help="ignore the periods questions name")
    parser.add_argument("--llm-url", help="generate through an OpenAI-compatible server, e.g. http://HOST:PORT/v1")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Ask questions about a folder of articles, offline.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("index", help="build or refresh the index")
    _common(p)
    p.add_argument("--force", action="store_true", help="rebuild even if the index is current")
    p.set_defaults(run=cmd_index)

    p = sub.add_parser("ask", help="answer one question with citations")
    _common(p)
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the full answer as JSON")
    p.add_argument("--as-of", help="ask as of a day (YYYY-MM-DD): later articles are left out")
    p.add_argument("--local", action="store_true", help="answer in this process even if `rag serve` is running")
    p.set_defaults(run=cmd_ask)

    p = sub.add_parser("serve", help="the chat UI in the browser")
    _common(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument(
        "--auth",
        help="require a login: user:password, or a file of such lines (user:HASH from `rag hash-password`)",
    )
    p.add_argument(
        "--read-only",
        action="store_true",
        help="questions and answers only: no upload, no removal (in the chat and its API)",
    )
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("hash-password", help="a user:HASH line for `rag serve --auth FILE`")
    p.add_argument("user")
    p.set_defaults(run=cmd_hash_password)

    p = sub.add_parser("eval", help="answer a question set and score it")
    _common(p)
    p.add_argument("questions", type=Path, help="JSONL: id, question, answers, evidence_docs, unanswerable")
    p.add_argument("--out", type=Path, help="per-question results (JSONL)")
    p.add_argument("--report", type=Path, help="an HTML report with the failures")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--offset", type=int, default=0, help="skip the first N questions (e.g. a training split)")
    p.add_argument("--retrieval-only", action="store_true", help="score retrieval only (no generation)")
    p.add_argument("--workers", type=int, default=1, help="questions answered in parallel (use with --llm-url)")
    p.add_argument(
        "--cluster",
        help="answer on a Dask cluster: the scheduler's address, e.g. tcp://HOST:8786 (see rag/measure/fanout.py)",
    )
    p.add_argument(
        "--oracle",
        action="store_true",
        help="read with the oracle: a loopback server that knows the set's gold answers (the pipeline's ceiling)",
    )
    p.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="NAME=V1[,V2…]",
        help="change a grounding threshold (rag/answer/grounding.py); several values sweep it, one run each",
    )
    p.set_defaults(run=cmd_eval)

    p = sub.add_parser("models", help="list the GGUF models, install a bigger one, or requantize the default")
    p.add_argument("action", nargs="?", choices=("list", "install", "quantize"), default="list")
    p.add_argument("name", nargs="?", help="with install: qwen2.5-coder-0.5b or qwen2.5-coder-1.5b")
    p.add_argument("--models-dir", type=Path, help="folder of GGUF files (default: models)")
    p.set_defaults(run=cmd_models)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.from_env().replace(
        corpus=args.corpus,
        index_dir=args.index_dir,
        model=args.model,
        k=args.k,
        grounded=False if args.baseline else None,
        extractive=True if args.extractive else None,
        kinds=False if args.no_kinds else None,
        retriever=args.retriever,
        date_aware=False if args.no_dates else None,
        llm_url=args.llm_url,
        store=args.store,
    )


def _progress_bar() -> Callable[[str, int, int], None]:
    from tqdm import tqdm

    units = {"reading": "file", "embedding": "chunk"}
    state: dict[str, Any] = {"bar": None, "stage": None}

    def update(stage: str, done: int, total: int) -> None:
        """One bar on one line: reading files, then embedding chunks. Each stage restarts its
        clock, so the rate is files/s while reading and chunks/s while embedding."""
        bar = state["bar"]
        if bar is None:
            bar = state["bar"] = tqdm(total=total, desc=stage, unit=units.get(stage, "it"))
        if stage != state["stage"]:
            state["stage"] = stage
            bar.unit = units.get(stage, "it")
            bar.set_description(stage, refresh=False)
            bar.reset(total=total)
        bar.update(done - bar.n)
        if stage == "embedding" and done >= total:
            bar.close()

    return update


def cmd_index(args: argparse.Namespace) -> int:
    from ..cache import get_embedder, get_store
    from ..search.index import build_index, chunking_params, ensure_index
    from ..search.qdrant_store import check_store

    settings = settings_from(args)
    check_store(settings.store)
    chunking = chunking_params(settings.chunk_tokens, settings.chunk_overlap_tokens)
    if args.force:
        index = build_index(settings.corpus, settings.index_path, get_embedder(), chunking, _progress_bar())
    else:
        index = ensure_index(settings.corpus, settings.index_path, get_embedder(), chunking, _progress_bar())
    m = index.manifest
    print(
        f"index {index.folder}: {len(m['documents'])} documents, {m['chunk_count']} chunks "
        f"({m['index_type']}, {m['embedder']['name']})"
        # Every file accounted for: the skipped ones were each named above with why.
        + (f"; {len(m['warnings'])} files skipped" if m.get("warnings") else "")
    )
    store = get_store(settings, index)
    if store is not None:
        print(f"Qdrant collection {store.name} at {store.where}: {store.count()} chunks")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    answer = None if args.local else _ask_running_server(args.question, args.as_of, settings)
    if answer is None:
        from ..answering import ask

        answer = ask(args.question, as_of=args.as_of, settings=settings).to_dict()
    if "error" in answer:
        raise RagError(answer["error"])
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, indent=2))
        return 0
    print(answer["text"])
    for c in answer["citations"]:
        date = f", {c['date']}" if c["date"] else ""
        page = f", p. {c['page']}" if c.get("page") is not None else ""
        print(f"  [{c['n']}] {c['source']}{page} ({c['title'][:60]}{date}): “{c['quote']}”")
    for warning in answer["warnings"]:
        print(f"note: {warning}", file=sys.stderr)
    return 0


def _ask_running_server(question: str, as_of: str | None, settings: Settings) -> dict[str, Any] | None:
    """The answer from a `rag serve` with the same settings, when one is running (its models are
    loaded: a new process answers in a fraction of the time), else None."""
    from ..answer.models import resolve_model
    from .daemon import ask_server, find_server

    model = None if settings.llm_url else resolve_model(settings.model, settings.models_dir)
    url = find_server(settings, model)
    answer = ask_server(url, question, as_of) if url else None
    if answer is not None and "error" not in answer:
        print(f"note: answered by the running `rag serve` at {url} (--local to answer here)", file=sys.stderr)
    return answer


def cmd_serve(args: argparse.Namespace) -> int:
    from .ui import serve

    serve(settings_from(args), host=args.host, port=args.port, auth=args.auth, read_only=args.read_only)
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    """Asks for the password twice at a terminal, or reads one line from a pipe; prints the line
    to add to an --auth file."""
    import getpass

    from .passwords import hash_password

    if not args.user.strip() or ":" in args.user:
        raise InputError("the user name must be non-empty and hold no ':'")
    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.user}: ")
        if getpass.getpass("again: ") != password:
            raise InputError("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    print(f"{args.user.strip()}:{hash_password(password)}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    import contextlib

    from ..measure.eval import load_questions
    from ..measure.oracle import serve_oracle

    settings = settings_from(args)
    with contextlib.ExitStack() as stack:
        if args.oracle:
            load_questions(args.questions)  # a bad file is one line before any server starts
            settings = settings.replace(llm_url=stack.enter_context(serve_oracle(args.questions)))
        _eval_grid(args, settings)
    return 0


def _eval_grid(args: argparse.Namespace, settings: Settings) -> None:
    from ..measure.eval import run_eval

    for changes in policy_grid(args.policy):
        summary = run_eval(
            args.questions,
            settings.replace(grounding=settings.grounding.replace(**changes)),
            out=args.out,
            report=args.report,
            limit=args.limit,
            offset=args.offset,
            retrieval_only=args.retrieval_only,
            workers=args.workers,
            cluster=args.cluster,
        )
        print(summary, flush=True)


def policy_grid(flags: list[str]) -> list[dict[str, str]]:
    """`--policy a=1,2 --policy b=3` -> [{a: 1, b: 3}, {a: 2, b: 3}]: every combination once."""
    import itertools

    axes = []
    for flag in flags:
        name, sep, values = flag.partition("=")
        if not sep or not name.strip() or not values.strip():
            raise InputError(f"--policy expects NAME=VALUE[,VALUE…], got {flag!r}")
        axes.append([(name.strip(), v.strip()) for v in values.split(",") if v.strip()])
    return [dict(combo) for combo in itertools.product(*axes)]


def cmd_models(args: argparse.Namespace) -> int:
    from ..answer.models import (
        DEFAULT_FORMAT,
        DOWNLOADS,
        ensure_quantized_default,
        install,
        installed_models,
        resolve_model,
    )

    settings = Settings.from_env().replace(models_dir=args.models_dir)
    if args.action == "install":
        if not args.name:
            raise InputError(f"name the model to install: {', '.join(DOWNLOADS)}")
        install(args.name, settings.models_dir)
        return 0
    if args.action == "quantize":
        print(f"{DEFAULT_FORMAT} copy of the default model: {ensure_quantized_default(settings.models_dir)}")
        return 0
    try:
        default: Path | None = resolve_model(settings.model, settings.models_dir).resolve()
    except RagError:
        default = None  # several files in models/ and none chosen: listed all the same
    for m in installed_models(settings.models_dir):
        mark = "*" if m.path.resolve() == default else " "
        print(f"{mark} {m.path.name:<44} {m.size_mb:7.0f} MB  {m.role:<9} {m.path}")
    print("* answers by default (--model FILE or RAG_MODEL to choose another)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
