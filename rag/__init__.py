"""Offline question answering over a folder of articles, with citations you can check.

    from rag import ask, retrieve
    a = ask("Who is India's ambassador to Belarus?")
    print(a.text, a.citations)

Importing is cheap: torch, faiss, llama_cpp and gradio load on first use.
"""

from __future__ import annotations

from typing import Any

from .errors import RagError
from .schema import Answer, Chunk, Citation, Document, Passage
from .settings import Settings

__all__ = ["Answer", "Chunk", "Citation", "Document", "Passage", "RagError", "Settings", "ask", "retrieve"]


def ask(question: str, **kwargs: Any) -> Answer:
    """Answer from the corpus; see rag.answering.ask for the keyword arguments."""
    from .answering import ask as _ask

    return _ask(question, **kwargs)


def retrieve(question: str, k: int = 5, **kwargs: Any) -> list[Passage]:
    """The best passages for a question, best first; see rag.answering.retrieve."""
    from .answering import retrieve as _retrieve

    return _retrieve(question, k=k, **kwargs)
