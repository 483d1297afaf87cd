"""The pipeline's ceiling: with the oracle reader (a loopback server that knows the gold answers
and replies as a perfect reader of the evidence it is shown), the pipeline must pass its answers
and refusals through. A rule added later that overrules or caps the reader fails here."""

import json
from pathlib import Path

import pytest

from rag.eval import run_eval, summarize
from rag.oracle import serve_oracle
from rag.settings import Settings

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench"

SETS = {
    "seeds_dev": (ROOT / "eval" / "seeds_dev.jsonl", ROOT / "seeds"),
    "seeds_heldout": (ROOT / "eval" / "seeds_heldout.jsonl", ROOT / "seeds"),
    "squad2_dev500": (BENCH / "squad2_dev500" / "questions.jsonl", BENCH / "squad2_dev500" / "docs"),
    "rgb_standard": (
        BENCH / "rgb_en_fact" / "standard" / "questions.jsonl",
        BENCH / "rgb_en_fact" / "standard" / "docs",
    ),
}


@pytest.mark.parametrize("name", list(SETS))
def test_a_perfect_reader_is_passed_through(name, tmp_path_factory):
    questions, corpus = SETS[name]
    if not questions.is_file():
        pytest.skip(f"{questions} is not here (../shared/bench)")
    out = tmp_path_factory.mktemp("ceiling") / "rows.jsonl"
    index_dir = tmp_path_factory.mktemp("index")
    with serve_oracle(questions) as url:
        settings = Settings(corpus=corpus, index_dir=index_dir, llm_url=url)
        run_eval(questions, settings, out=out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    s = summarize(rows)
    assert s["direct_accuracy"] >= 0.98 * s["evidence_recall"], s
    if s["refusal_accuracy"] is not None:
        assert s["refusal_accuracy"] >= 98.0, s
    assert s["wrong_direct_rate"] <= 1.0, s
    assert s["citations_verbatim"] == 100.0 and s["answers_with_unsupported_facts"] == 0, s
