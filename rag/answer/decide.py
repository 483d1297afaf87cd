"""Decide: whether the reply answers, in one place. The reader decides; verification and the
calibrated check can only take an answer away; nothing here answers for the reader or refuses
for it on word rules.

A reply is answered when the reader gave an answer (or chose a sentence as the answer),
verification found nothing wrong with it, and — where the reader's own probabilities are known
(a model in process) — the calibrated probability that such an answer is right is at least
`GroundingPolicy.min_confidence`. Everything else is a refusal that says why."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..schema import Evidence, Passage
from ..search.dates import Period
from .grounding import DEFAULT_POLICY, GroundingPolicy, missing_key_terms, names_what_was_asked
from .reader import Reading
from .verify import Checked

# The calibrated check's weights: a logistic model over the signals below, trained by
# `python -m rag.measure.train_decision` (see there for the split). Absent: the check is off.
WEIGHTS_FILE = Path(__file__).with_name("decision_weights.json")


@dataclass(frozen=True)
class Decision:
    answered: bool
    reason: str  # "answered", "the reader found no answer", "not verified: …", "not confident: …"
    grounds: tuple[int, ...] = ()  # the evidence positions the answer rests on (one per piece)
    chose_sentence: bool = False  # the answer is that sentence, quoted
    confidence: float | None = None  # calibrated P(right), when the reader's probabilities are known

    @property
    def ground(self) -> int | None:
        return self.grounds[0] if self.grounds else None


def signals(
    question: str,
    reading: Reading,
    checked: Checked,
    evidence: list[Evidence],
    passages: list[Passage],
    logprobs: tuple[list[float], list[float]] | None,
    second_look: float | None = None,
    period: Period | None = None,
) -> dict[str, float]:
    """What the calibrated check may read: the reader's likelihood of its answer against NOT
    FOUND, its second look at the answer (answering.recheck), how the evidence under the answer
    scores and whether its article was published when the news asked about was (`period`,
    dates.publication_period). Recorded with every answer (`rag eval --out`);
    train_decision.FEATURES and ADDED name those the check uses."""
    out: dict[str, float] = {}
    if second_look is not None:
        out["recheck"] = second_look
    if logprobs is not None and logprobs[0] and logprobs[1]:
        answer, not_found = logprobs
        out["answer_logprob"] = sum(answer)
        out["answer_min_logprob"] = min(answer)
        out["not_found_logprob"] = sum(not_found)
        out["margin"] = sum(answer) - sum(not_found)
    if evidence:
        out["top_score"] = evidence[0].score
        out["missing_names"] = float(bool(missing_key_terms(question, passages)))
    if checked.ground is not None:
        ground = evidence[checked.ground]
        out["ground_rank"] = float(checked.ground)
        out["ground_score"] = ground.score
        out["ground_dense"] = ground.dense
        out["ground_coverage"] = ground.coverage
        out["ground_names_all"] = float(names_what_was_asked(question, ground, share=1.0))
        out["cited_right"] = float(bool(reading.cited) and reading.cited[0] == checked.ground)
        # an answer to "this week's" news taken from an article of another time: on realtimeqa
        # 0-99 (zen4), 4 of 22 such verified answers were right, against 48 of the other 60
        day = ground.passage.date
        out["ground_outside_period"] = float(period is not None and bool(day) and not period.contains(day))
    out["answer_words"] = float(len(reading.answer.split()))
    return out


@lru_cache(maxsize=1)
def _weights() -> dict | None:
    if not WEIGHTS_FILE.is_file():
        return None
    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))


def _weights_for(reader: str | None) -> dict | None:
    """The weights, when they were trained on this reader's probabilities (None: any reader).
    Another model's log-probabilities mean something else: trained on the default reader, the
    check refused Qwen2.5-Coder-0.5B's right answer to "Who is India's ambassador to Belarus?"
    (0.25). Such a reader's verified answer stands, as behind a server that returns none."""
    model = _weights()
    if model is None or (reader is not None and model.get("reader", reader) != reader):
        return None
    return model


def reads(signal: str, reader: str | None = None) -> bool:
    """Whether the calibrated check reads this signal for this reader (one that costs model
    time is only computed when it does)."""
    model = _weights_for(reader)
    return model is not None and signal in model["weights"]


def confidence(features: dict[str, float], reader: str | None = None) -> float | None:
    """Calibrated P(the verified answer is right); None without the reader's probabilities or
    weights trained on them."""
    model = _weights_for(reader)
    if model is None or "margin" not in features:
        return None
    z = model["bias"] + sum(
        w * (features.get(name, 0.0) - model["mean"][name]) / model["scale"][name]
        for name, w in model["weights"].items()
    )
    return 1 / (1 + math.exp(-z))


def decide(
    reading: Reading,
    checked: Checked,
    features: dict[str, float] | None = None,
    policy: GroundingPolicy = DEFAULT_POLICY,
    reader: str | None = None,
) -> Decision:
    if reading.refused:
        return Decision(False, "the reader found no answer")
    if not checked.verified:
        return Decision(False, "not verified: " + "; ".join(checked.problems))
    p = confidence(features or {}, reader)
    if p is not None and p < policy.min_confidence:
        return Decision(False, f"not confident: {p:.2f}", confidence=p)
    return Decision(True, "answered", checked.grounds, reading.chose_sentence, p)
