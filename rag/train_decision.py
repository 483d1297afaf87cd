"""Train the calibrated check of decide.py: a logistic model of P(a verified answer is right)
from the signals `rag eval --out` records with every answer.

    python -m rag.train_decision ROWS.jsonl [ROWS.jsonl …] [--target-wrong 0.10]

Train only on rows from the training split — eval/seeds_dev.jsonl and realtimeqa_2022
questions 0–59 (`make decision`) — answered with the check off
(`--policy min_confidence=0`, or no weights file). seeds_heldout, squad2 250–499, realtimeqa
100–205 and RGB are where it is scored. The weights go
to rag/decision_weights.json, with the operating point chosen on the training rows (where a
wrong answer costs `--wrong-cost` right ones); GroundingPolicy.min_confidence sets it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .decide import WEIGHTS_FILE
from .models import DEFAULT_READER, DOWNLOADS

# Few features, for few training answers (a few hundred): the reader's odds of its answer
# against NOT FOUND, and its odds of yes when asked apart whether the sentence shows the answer
# is right (answering.recheck). Chosen by 5-fold cross-validation on the training rows (157
# answers): log-loss 0.484 with these two, 0.556 with the five used before the recheck (margin,
# answer_min_logprob, ground_score, ground_names_all, cited_right); a third feature beside these
# two moved it by less than 0.004.
# squad2 questions 0–249 were read too (167 verified answers, 78 right: half of its unanswerable
# questions answered) and left out: trained with them, the check, at the operating point chosen
# the same way (0.65; 0.6 with answer_words as a third feature), kept fewer right answers on every
# held-out set (seeds_heldout direct 54 -> 38, squad2 250-299 52 -> 32, realtimeqa 100-149 50 -> 30)
# and no fewer wrong ones on squad2 (40.9% -> 42.9%).
FEATURES = ("margin", "recheck")


def training_rows(paths: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    """Verified answers with the reader's probabilities, and whether each was right."""
    x, y = [], []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            features = row.get("signals") or {}
            if not row["answered"] or "margin" not in features:
                continue
            x.append([float(features.get(name, 0.0)) for name in FEATURES])
            y.append(float(bool(row.get("direct"))))
    return np.array(x), np.array(y)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 3000) -> tuple[np.ndarray, float]:
    """Logistic regression by gradient descent on standardized features."""
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        w -= 0.5 * ((x.T @ (p - y)) / len(y) + l2 * w)
        b -= 0.5 * float(np.mean(p - y))
    return w, b


def out_of_fold(x: np.ndarray, y: np.ndarray, folds: int = 5) -> np.ndarray:
    """Each answer's probability from a model fitted without it (every folds-th row held out)."""
    p = np.zeros(len(y))
    fold = np.arange(len(y)) % folds
    for k in range(folds):
        train, held = fold != k, fold == k
        mean, scale = x[train].mean(axis=0), x[train].std(axis=0) + 1e-6
        w, b = fit((x[train] - mean) / scale, y[train])
        p[held] = 1 / (1 + np.exp(-(((x[held] - mean) / scale) @ w + b)))
    return p


def operating_point(p: np.ndarray, y: np.ndarray, wrong_cost: float) -> float:
    """The threshold where the answers kept are worth most, a wrong one costing `wrong_cost`
    right ones: a person who reads a wrong answer as *the* answer is worse off than one told
    the articles do not say."""
    thresholds = np.arange(0.0, 1.0, 0.05)
    worth = [float(y[p >= t].sum() - wrong_cost * (1 - y[p >= t]).sum()) for t in thresholds]
    return round(float(thresholds[int(np.argmax(worth))]), 2)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m rag.train_decision", description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", type=Path, nargs="+", help="rag eval --out files of the training split")
    parser.add_argument("--wrong-cost", type=float, default=2.0, help="a wrong answer costs this many right ones")
    parser.add_argument(
        "--reader", default=DOWNLOADS[DEFAULT_READER].file, help="the GGUF file name of the reader that read the rows"
    )
    args = parser.parse_args()
    x, y = training_rows(args.rows)
    if len(y) < 20 or y.min() == y.max():
        raise SystemExit("error: too few verified answers (or all of one kind) to train on")
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    w, b = fit((x - mean) / scale, y)
    p = 1 / (1 + np.exp(-(((x - mean) / scale) @ w + b)))
    # The operating point from out-of-fold probabilities: in-sample ones flatter the model and
    # put the threshold where it only looks safe (on seeds_dev + realtimeqa 0–59: 0.7 in-sample, 0.6 out of fold).
    threshold = operating_point(out_of_fold(x, y), y, args.wrong_cost)
    model = {
        "trained_on": [str(p) for p in args.rows],
        "reader": args.reader,  # the check applies to this reader only (decide.py)
        "answers": len(y),
        "right": int(y.sum()),
        "suggested_min_confidence": threshold,
        "bias": b,
        "weights": dict(zip(FEATURES, map(float, w), strict=True)),
        "mean": dict(zip(FEATURES, map(float, mean), strict=True)),
        "scale": dict(zip(FEATURES, map(float, scale), strict=True)),
    }
    WEIGHTS_FILE.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    kept = p >= threshold
    print(f"{len(y)} verified answers, {int(y.sum())} right; at min_confidence {threshold}: keeps {int(kept.sum())},")
    print(f"of which {int(y[kept].sum())} right; weights in {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
