"""The pipeline's ceiling: with the oracle reader (a loopback server that knows the gold answers
and replies as a perfect reader of the evidence it is shown), the pipeline must pass its answers
and refusals through. A rule added later that overrules or caps the reader fails here."""

import json
from pathlib import Path

import pytest

from rag.measure.eval import run_eval, summarize
from rag.measure.oracle import serve_oracle
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

# squad2's held-out half (questions 250-499), where the reader is scored
FIRST_QUESTION = {"squad2_dev500": 250}

REALTIMEQA = BENCH / "realtimeqa_2022"
REALTIMEQA_QUESTIONS = 20  # of 206, over the ~100 articles they need: indexing them is most of the test


def realtimeqa_subset(folder: Path) -> tuple[Path, Path]:
    """realtimeqa's first questions, each asked as of its day, over the articles its search
    results held then (its gold article and the ones beside it): links to the documents, read in place."""
    rows = [json.loads(line) for line in (REALTIMEQA / "questions.jsonl").read_text().splitlines() if line]
    rows = rows[:REALTIMEQA_QUESTIONS]
    corpus = folder / "docs"
    corpus.mkdir()
    for name in sorted({d for r in rows for d in [*r["evidence_docs"], *(r.get("gcs_top_docs") or [])]}):
        (corpus / name).symlink_to(REALTIMEQA / "docs" / name)
    questions = folder / "questions.jsonl"
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return questions, corpus


@pytest.mark.parametrize("name", [*SETS, "realtimeqa"])
def test_a_perfect_reader_is_passed_through(name, tmp_path_factory, request):
    if name == "realtimeqa":
        if not (REALTIMEQA / "questions.jsonl").is_file():
            pytest.skip(f"{REALTIMEQA} is not here (../shared/bench)")
        questions, corpus = realtimeqa_subset(tmp_path_factory.mktemp("realtimeqa"))
    else:
        questions, corpus = SETS[name]
    if not questions.is_file():
        pytest.skip(f"{questions} is not here (../shared/bench)")
    out = tmp_path_factory.mktemp("ceiling") / "rows.jsonl"
    # the seed sets share the session's index of the seeds
    index_dir = request.getfixturevalue("seed_settings").index_dir if corpus == ROOT / "seeds" else None
    with serve_oracle(questions) as url:
        settings = Settings(corpus=corpus, index_dir=index_dir or tmp_path_factory.mktemp("index"), llm_url=url)
        run_eval(questions, settings, out=out, offset=FIRST_QUESTION.get(name, 0))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    s = summarize(rows)
    assert s["direct_accuracy"] >= 0.98 * s["evidence_recall"], s
    if s["refusal_accuracy"] is not None:
        assert s["refusal_accuracy"] >= 98.0, s
    assert s["wrong_direct_rate"] <= 1.0, s
    assert s["citations_verbatim"] == 100.0 and s["answers_with_unsupported_facts"] == 0, s
