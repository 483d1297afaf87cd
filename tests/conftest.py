"""Shared fixtures: tiny corpora in tmp_path, the project's seeds read in place."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(
        " date 2024-03-05 The Blue Lake festival opens in Minsk on Friday. "
        "Organizers expect 12,000 visitors this year.\n\n"
        "Tickets cost 15 rubles and are sold at the gate.\n",
        encoding="utf-8",
    )
    (corpus / "sub" / "b.md").write_text(
        "# Rail link agreement\n\nIndia and Belarus signed a rail freight agreement in Delhi. "
        "The first train is planned for May 2026.\n",
        encoding="utf-8",
    )
    return corpus


@pytest.fixture(scope="session")
def embedder():
    from rag.answering import get_embedder

    return get_embedder()
