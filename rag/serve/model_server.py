"""`python -m rag.serve.model_server --model FILE.gguf [--host …] [--port …]`: llama-cpp-python's
OpenAI-compatible server (the flags are its own) with llama.cpp's CPU kernels loaded first.

The project's llama.cpp build keeps its kernels in loadable libraries chosen at run time
(see rag.answer.generation.llama_cpp); `python -m llama_cpp.server` alone would find none. Requests
are answered one after another, never interrupted by the next."""

from __future__ import annotations

import sys

from ..answer.generation import llama_cpp


def main() -> None:
    llama_cpp()
    from llama_cpp.server.__main__ import main as serve_model

    # Its default cuts a reply short when another request arrives: with several chat processes
    # or `rag eval --workers N` on one server, readers would get half answers. Requests queue.
    if not any(arg.startswith("--interrupt_requests") for arg in sys.argv):
        sys.argv += ["--interrupt_requests", "False"]
    serve_model()


if __name__ == "__main__":
    main()
