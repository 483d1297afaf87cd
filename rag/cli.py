"""The `rag` command: index, ask, serve, eval. User mistakes print one line and exit 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import RagError
from .settings import Settings


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, help="folder of .txt/.md documents (default: seeds)")
    parser.add_argument("--index-dir", type=Path, help="where the index lives (default: index)")
    parser.add_argument("--model", type=Path, help="a GGUF file (default: RAG_MODEL, models/*.gguf, SmolLM2)")
    parser.add_argument("-k", type=int, help="passages to retrieve (default: 5)")
    parser.add_argument("--baseline", action="store_true", help="plain retrieve-and-generate, no grounding steps")
    parser.add_argument("--extractive", action="store_true", help="answer with quoted evidence only, no model")
    parser.add_argument("--retriever", choices=("hybrid", "dense", "bm25"), help="search method (default: hybrid)")
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
    p.set_defaults(run=cmd_ask)

    p = sub.add_parser("serve", help="the chat UI in the browser")
    _common(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", help="require a login: user:password, or a file of such lines")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("eval", help="answer a question set and score it")
    _common(p)
    p.add_argument("questions", type=Path, help="JSONL: id, question, answers, evidence_docs, unanswerable")
    p.add_argument("--out", type=Path, help="per-question results (JSONL)")
    p.add_argument("--report", type=Path, help="an HTML report with the failures")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--retrieval-only", action="store_true", help="score retrieval only (no generation)")
    p.add_argument("--workers", type=int, default=1, help="questions answered in parallel (use with --llm-url)")
    p.set_defaults(run=cmd_eval)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.from_env().replace(
        corpus=args.corpus,
        index_dir=args.index_dir,
        model=args.model,
        k=args.k,
        grounded=False if args.baseline else None,
        extractive=True if args.extractive else None,
        retriever=args.retriever,
        date_aware=False if args.no_dates else None,
        llm_url=args.llm_url,
    )


def _progress_bar() -> Callable[[str, int, int], None]:
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage) or bars.setdefault(stage, tqdm(total=total, desc=stage, unit="chunk"))
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def cmd_index(args: argparse.Namespace) -> int:
    from .answering import get_embedder
    from .index import build_index, chunking_params, ensure_index

    settings = settings_from(args)
    chunking = chunking_params(settings.chunk_tokens, settings.chunk_overlap_tokens)
    if args.force:
        index = build_index(settings.corpus, settings.index_path, get_embedder(), chunking, _progress_bar())
    else:
        index = ensure_index(settings.corpus, settings.index_path, get_embedder(), chunking, _progress_bar())
    m = index.manifest
    print(
        f"index {index.folder}: {len(m['documents'])} documents, {m['chunk_count']} chunks "
        f"({m['index_type']}, {m['embedder']['name']})"
    )
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from .answering import ask

    answer = ask(args.question, as_of=args.as_of, settings=settings_from(args))
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    for c in answer.citations:
        date = f", {c.date}" if c.date else ""
        print(f"  [{c.n}] {c.source} ({c.title[:60]}{date}): “{c.quote}”")
    for warning in answer.warnings:
        print(f"note: {warning}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .ui import serve

    serve(settings_from(args), host=args.host, port=args.port, auth=args.auth)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .eval import run_eval

    summary = run_eval(
        args.questions,
        settings_from(args),
        out=args.out,
        report=args.report,
        limit=args.limit,
        retrieval_only=args.retrieval_only,
        workers=args.workers,
    )
    print(summary)
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
