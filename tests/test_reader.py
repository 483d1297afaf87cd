import dataclasses
import json

import numpy as np

from rag.evidence import Evidence
from rag.reader import (
    FEATURE_NAMES,
    WEIGHTS_PATH,
    candidate_spans,
    load_weights,
    read,
    shape,
    span_features,
)
from rag.schema import Passage


def evidence(*sentences: str) -> list[Evidence]:
    out = []
    for n, text in enumerate(sentences):
        passage = Passage(f"d{n}.txt", f"d{n}.txt#0", text, 0, len(text), 1.0)
        out.append(Evidence(passage, text, 0, len(text), 0.8 - 0.1 * n, 0.6, 0.5))
    return out


def test_candidates_are_verbatim_and_never_cross_punctuation():
    [ev] = evidence("Ashok Kumar, India's ambassador, met Mikhail Kasko in Minsk on May 12, 2021 (a Friday).")
    spans = candidate_spans([ev])
    texts = {s.text for s in spans}
    assert all(ev.text[s.start : s.end] == s.text for s in spans)
    assert {"Ashok Kumar", "Mikhail Kasko", "May 12, 2021", "Minsk"} <= texts
    assert not any("Kumar, India" in t or "2021 (a" in t for t in texts)  # a comma or bracket ends a span
    assert not any(t.split()[0].lower() in {"in", "on", "the"} for t in texts)  # nor starts on a stopword


def test_span_shapes():
    assert shape(["May", "12,", "2021"]) == "date" and shape(["1997"]) == "date"
    assert shape(["476", "students"]) == "number" and shape(["twelve"]) == "number"
    assert shape(["Bank", "of", "India"]) == "name" and shape(["trade", "talks"]) == "other"


def test_features_see_the_question_around_the_span():
    question = "Who is India's ambassador to Belarus?"
    ev = evidence("India's ambassador to Belarus, Ashok Kumar, met the mayor, Ivan Petrov.")
    spans = candidate_spans(ev)
    x = span_features(question, spans, ev)
    near = FEATURE_NAMES.index("near_anchor")
    by_text = {s.text: row for s, row in zip(spans, x, strict=True)}
    assert by_text["Ashok Kumar"][near] > by_text["Ivan Petrov"][near]
    cut = FEATURE_NAMES.index("cuts_name")
    assert by_text["Ashok"][cut] == 1 and by_text["Ashok Kumar"][cut] == 0


def test_the_trained_reader_ranks_the_answer_first():
    """The first stage's best span, whatever its confidence (alone it states nothing: on the
    training questions no confidence kept wrong answers under a quarter)."""
    ev = evidence(
        "The harbour of Gdansk handled 81 million tonnes of cargo in 2023.",
        "Its director, Lukasz Greinke, said the new quay opened on 3 March 2024.",
    )
    ranking = dataclasses.replace(load_weights(), min_probability=0.0)
    who = read("Who is the director of the Gdansk harbour?", ev, weights=ranking)
    assert who.span is not None and who.span.text == "Lukasz Greinke"
    when = read("When did the new quay open?", ev, weights=ranking)
    assert when.span is not None and "3 March 2024" in when.span.text
    how_much = read("How much cargo did the harbour handle in 2023?", ev, weights=ranking)
    assert how_much.span is not None and "81 million" in how_much.span.text


def test_a_model_reads_only_with_weights_trained_for_it():
    ev = evidence("Its director, Lukasz Greinke, said the new quay opened on 3 March 2024.")
    calls = []

    def score_replies(replies: list[str]) -> list[list[float]]:
        calls.append(replies)
        return [[-1.0] for _ in replies]

    read("Who is the director?", ev, score_replies, model="unknown.gguf")
    assert not calls  # its likelihoods mean nothing to weights trained on another model
    model = next(iter(load_weights().reread))
    read("Who is the director?", ev, score_replies, model=model)
    assert calls and "Lukasz Greinke [1]." in calls[0]


def test_the_weights_say_how_they_were_made_and_stay_small():
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert WEIGHTS_PATH.stat().st_size < 30_000_000
    assert "seeds_dev" in " ".join(data["provenance"]["training_split"])
    assert not any("heldout" in s for s in data["provenance"]["training_split"])  # scored there, never trained
    weights = load_weights()
    assert np.isfinite(weights.span).all() and 0 < weights.min_probability <= 1
    assert "SmolLM2-135M-Instruct.Q8_0.gguf" in weights.reread  # the default model reads
