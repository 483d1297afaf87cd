"""`python -m rag.model_server --model FILE.gguf [--host …] [--port …]`: llama-cpp-python's
OpenAI-compatible server (the flags are its own) with llama.cpp's CPU kernels loaded first.

The project's llama.cpp build keeps its kernels in loadable libraries chosen at run time
(see rag.generation.llama_cpp); `python -m llama_cpp.server` alone would find none."""

from __future__ import annotations

from .generation import llama_cpp


def main() -> None:
    llama_cpp()
    from llama_cpp.server.__main__ import main as serve_model

    serve_model()


if __name__ == "__main__":
    main()
