from pathlib import Path

import pytest

from rag.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory) -> Settings:
    """The project's seeds, read in place; the index goes to a temporary folder."""
    return Settings(corpus=SEEDS, index_dir=tmp_path_factory.mktemp("index"))
