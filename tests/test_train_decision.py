import json

import numpy as np

from rag.measure.train_decision import ADDED, FEATURES, train


def rows_file(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def answer(margin: float, right: bool, outside: float = 0.0) -> dict:
    signals = {"margin": margin, "recheck": margin / 2, "ground_outside_period": outside}
    return {"answered": True, "direct": right, "signals": signals}


def test_an_added_signal_is_fitted_on_top_and_leaves_the_rest_of_the_check_as_it_was(tmp_path):
    rng = np.random.default_rng(0)
    plain = [answer(m, bool(m + rng.normal() > 0)) for m in rng.normal(size=80)]
    # answers from an article of another time: most of them wrong, whatever the reader's odds
    dated = [answer(m, i % 4 == 0, outside=1.0) for i, m in enumerate(rng.normal(1.0, size=40))]
    refused = [{"answered": False, "direct": False, "signals": {}}]  # not an answer: not trained on
    rows = [rows_file(tmp_path / "rows.jsonl", plain + dated + refused)]
    model, p, y = train(rows, 2.0, "reader.gguf")
    assert list(model["weights"]) == [*FEATURES, *ADDED] and len(y) == 120
    assert model["weights"]["ground_outside_period"] < -0.5  # it learned that such answers are wrong
    assert 0 < model["suggested_min_confidence"] < 1 and p.shape == y.shape
    # extended: the first signals' weights, bias and operating point stay; only the added one is fitted
    kept = {**model, "weights": {"margin": 2.0, "recheck": 0.0}, "bias": 0.5}
    kept |= {"mean": {"margin": 0.0, "recheck": 0.0}, "scale": {"margin": 1.0, "recheck": 1.0}}
    extended, _, _ = train(rows, 2.0, "reader.gguf", kept)
    assert extended["weights"]["margin"] == 2.0 and extended["bias"] == 0.5
    assert extended["weights"]["ground_outside_period"] < -0.5
    assert extended["suggested_min_confidence"] == model["suggested_min_confidence"]
    assert len(extended["trained_on"]) == len(model["trained_on"]) + 1
