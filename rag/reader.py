"""Read: choose the short answer — a span of an evidence sentence, verbatim — or decide that
the evidence holds none.

Every span of up to MAX_SPAN_WORDS words of the evidence sentences is a candidate; so is NONE.
A small learned model scores them (a softmax over the candidates of one question, trained by
`python -m rag.train_reader` on public question sets and the project's dev set; weights in
reader_weights.json beside this file). It reads with what the pipeline already knows about
each sentence (its relevance, whether it names what was asked) and with what it sees around the
span: whether the question's words stand next to it, whether it is of the asked kind (a date for
"when"…), whether the question already says it, whether other evidence repeats it. The answer
is the best span when the model gives it at least `min_probability`, else there is none."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .evidence import Evidence
from .grounding import could_answer, names_what_was_asked
from .vocabulary import DATE_WORDS, JOINERS, NUMBER_WORDS, PLACE_PREPOSITIONS, STOPWORDS
from .words import answer_type, content_stems, normalize, stem

MAX_SPAN_WORDS = 6
WEIGHTS_PATH = Path(__file__).with_name("reader_weights.json")
_TOKEN = re.compile(r"[$€£]?[^\W_]+(?:[’'.,\-/][^\W_]+)*%?")
_YEAR = re.compile(r"^(1[5-9]|20)\d\d(s)?$")
_KINDS = ("date", "number", "place", "name", "other")
_SHAPES = ("date", "number", "name", "other")


@dataclass(frozen=True)
class Span:
    """A candidate answer: text == sentence.text[start:end]."""

    sentence: Evidence
    rank: int  # the sentence's place in the evidence, best first
    start: int
    end: int
    text: str
    first: int  # token positions in the sentence, inclusive
    last: int


@dataclass(frozen=True)
class Reading:
    span: Span | None  # None: the evidence holds no answer
    probability: float  # the model's probability for its choice (for NONE: of NONE)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _joined(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    """Whether two neighbouring tokens may be one answer: nothing but spaces or a dash between
    them, or a comma inside a date ("May 12, 2021")."""
    gap = text[left[1] : right[0]].strip()
    if gap in ("", "-", "–"):
        return True
    return gap == "," and right[2][:1].isdigit() and (left[2][:1].isdigit() or left[2].lower() in DATE_WORDS)


def candidate_spans(evidence: list[Evidence]) -> list[Span]:
    """Spans that start and end on a word that means something, never across punctuation."""
    spans = []
    for rank, ev in enumerate(evidence):
        toks = _tokens(ev.text)
        for i in range(len(toks)):
            if toks[i][2].lower() in STOPWORDS:
                continue
            for j in range(i, min(i + MAX_SPAN_WORDS, len(toks))):
                if j > i and not _joined(ev.text, toks[j - 1], toks[j]):
                    break
                if toks[j][2].lower() in STOPWORDS:
                    continue
                start, end = toks[i][0], toks[j][1]
                spans.append(Span(ev, rank, start, end, ev.text[start:end], i, j))
    return spans


def shape(tokens: list[str]) -> str:
    lower = [t.lower() for t in tokens]
    if any(t in DATE_WORDS or _YEAR.match(t) for t in lower):
        return "date"
    if any(any(c.isdigit() for c in t) or t in NUMBER_WORDS for t in lower):
        return "number"
    meaningful = [t for t in tokens if t.lower() not in JOINERS]
    if meaningful and all(t[:1].isupper() for t in meaningful):
        return "name"
    return "other"


@dataclass
class _Sentence:
    """What the features need of one evidence sentence, computed once."""

    spans: list[tuple[int, int, str]]
    tokens: list[str]
    stems: list[str]
    anchors: list[int]  # positions of the question's words
    typed: bool  # could_answer: a fact of the asked kind, in a passage about what was asked
    names_asked: bool


FEATURE_NAMES = (
    [f"kind={k}&shape={s}" for k in _KINDS for s in _SHAPES]
    + [f"words={n}" for n in (1, 2, 3, 4, 5, 6)]
    + [f"rank={r}" for r in (0, 1, 2, 3)]
    + [
        "sentence_score",
        "sentence_dense",
        "sentence_coverage",
        "sentence_typed",
        "sentence_names_asked",
        "asked_share",  # share of the span's words the question already has
        "near_anchor",  # 1/(1+distance) to the nearest question word outside the span
        "anchors_around",  # question words within 4 tokens either side, as a share
        "anchor_before",  # the word right before the span is a question word
        "anchor_after",
        "place_word_before",  # "in", "at"… right before
        "by_before",
        "sentence_start",
        "comma_after",
        "repeated",  # other evidence sentences that hold the span too
        "capitalized_share",
        "has_digit",
        "cuts_name",  # a capitalized word joins it on either side: "Ashok" of "Ashok Kumar"
        "cuts_number",  # a number joins it on either side: "12" of "May 12, 2021"
    ]
)
_FEATURE_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}
NONE_FEATURES = ("bias", "top_score", "top_coverage", "typed_sentences", "span_count_log")


def candidates(question: str, evidence: list[Evidence]) -> list[Span]:
    """The spans that could answer: those that say something the question does not."""
    asked = content_stems(question)
    return [s for s in candidate_spans(evidence) if content_stems(s.text) - asked]


def top_candidates(lexical: np.ndarray) -> np.ndarray:
    """The first stage's TOP_K best, best first: what the model reads."""
    return np.argsort(-lexical)[:TOP_K]


def span_features(question: str, spans: list[Span], evidence: list[Evidence]) -> np.ndarray:
    asked_kind = answer_type(question)
    kind = asked_kind or "other"
    q_stems = content_stems(question)
    sentences: dict[int, _Sentence] = {}
    for span in spans:
        if span.rank not in sentences:
            ev = span.sentence
            spans_of = _tokens(ev.text)
            toks = [t for _, _, t in spans_of]
            stems = [stem(t) for t in toks]
            anchors = [i for i, s in enumerate(stems) if s in q_stems]
            sentences[span.rank] = _Sentence(
                spans_of,
                toks,
                stems,
                anchors,
                could_answer(question, ev, asked_kind),
                names_what_was_asked(question, ev),
            )
    normalized = [normalize(ev.text) for ev in evidence]
    index = _FEATURE_INDEX
    x = np.zeros((len(spans), len(FEATURE_NAMES)), dtype=np.float32)
    for row, span in enumerate(spans):
        s = sentences[span.rank]
        ev = span.sentence
        toks = s.tokens[span.first : span.last + 1]
        x[row, index[f"kind={kind}&shape={shape(toks)}"]] = 1
        x[row, index[f"words={min(len(toks), 6)}"]] = 1
        x[row, index[f"rank={min(span.rank, 3)}"]] = 1
        x[row, index["sentence_score"]] = ev.score
        x[row, index["sentence_dense"]] = ev.dense
        x[row, index["sentence_coverage"]] = ev.coverage
        x[row, index["sentence_typed"]] = s.typed
        x[row, index["sentence_names_asked"]] = s.names_asked
        content = [
            st for t, st in zip(toks, s.stems[span.first : span.last + 1], strict=True) if t.lower() not in STOPWORDS
        ]
        x[row, index["asked_share"]] = sum(st in q_stems for st in content) / max(len(content), 1)
        outside = [a for a in s.anchors if a < span.first or a > span.last]
        distance = min((span.first - a if a < span.first else a - span.last for a in outside), default=None)
        x[row, index["near_anchor"]] = 0.0 if distance is None else 1.0 / (1 + distance)
        around = {s.stems[a] for a in outside if span.first - 4 <= a <= span.last + 4}
        x[row, index["anchors_around"]] = len(around) / max(len(q_stems), 1)
        x[row, index["anchor_before"]] = span.first - 1 in s.anchors
        x[row, index["anchor_after"]] = span.last + 1 in s.anchors
        before = s.tokens[span.first - 1].lower() if span.first > 0 else ""
        x[row, index["place_word_before"]] = before in PLACE_PREPOSITIONS
        x[row, index["by_before"]] = before == "by"
        x[row, index["sentence_start"]] = span.first == 0
        x[row, index["comma_after"]] = ev.text[span.end : span.end + 1] == ","
        said = f" {normalize(span.text)} "
        x[row, index["repeated"]] = min(sum(said in f" {n} " for n in normalized) - 1, 3) / 3
        x[row, index["capitalized_share"]] = sum(t[:1].isupper() for t in toks) / len(toks)
        x[row, index["has_digit"]] = any(c.isdigit() for c in span.text)
        x[row, index["cuts_name"]] = _joins(s, ev.text, span.first - 1, span.first, str.istitle) or _joins(
            s, ev.text, span.last, span.last + 1, str.istitle
        )
        x[row, index["cuts_number"]] = _joins(s, ev.text, span.first - 1, span.first, _numeric) or _joins(
            s, ev.text, span.last, span.last + 1, _numeric
        )
    return x


def _numeric(token: str) -> bool:
    return token[:1].isdigit() or token.lower() in NUMBER_WORDS or token.lower() in DATE_WORDS


def _joins(s: _Sentence, text: str, left: int, right: int, kind: Callable[[str], bool]) -> bool:
    """Tokens left and right are both of a kind and nothing but a space or a date's comma
    separates them."""
    if left < 0 or right >= len(s.tokens):
        return False
    return kind(s.tokens[left]) and kind(s.tokens[right]) and _joined(text, s.spans[left], s.spans[right])


def none_features(question: str, evidence: list[Evidence], span_count: int) -> np.ndarray:
    kind = answer_type(question)
    return np.array(
        [
            1.0,
            evidence[0].score if evidence else 0.0,
            evidence[0].coverage if evidence else 0.0,
            sum(could_answer(question, ev, kind) for ev in evidence) / max(len(evidence), 1),
            float(np.log1p(span_count)),
        ],
        dtype=np.float32,
    )


# Second stage: the GGUF model reads the best TOP_K spans as its possible replies.
TOP_K = 8
REREAD_FEATURES = ("lexical", "reply_logprob", "reply_mean_logprob", "reply_first_logprob", "reply_margin")
ScoreReplies = Callable[[list[str]], list[list[float]]]


@dataclass(frozen=True)
class Reread:
    """The second stage for one model: its weights and the probability it must reach."""

    features: np.ndarray  # over REREAD_FEATURES
    none: np.ndarray  # NONE, over NONE_FEATURES
    min_probability: float


@dataclass(frozen=True)
class ReaderWeights:
    span: np.ndarray  # first stage, over FEATURE_NAMES
    none: np.ndarray  # first stage, NONE over NONE_FEATURES
    min_probability: float  # first stage alone (no model it was trained to read with)
    reread: dict[str, Reread]  # by model file name: a model's likelihoods are its own

    def save(self, path: Path, provenance: dict) -> None:
        def named(names: tuple[str, ...] | list[str], values: np.ndarray) -> dict[str, float]:
            return dict(zip(names, (round(float(v), 6) for v in values), strict=True))

        data = {
            "span_features": named(FEATURE_NAMES, self.span),
            "none_features": named(NONE_FEATURES, self.none),
            "min_probability": self.min_probability,
            "reread": {
                model: {
                    "features": named(REREAD_FEATURES, r.features),
                    "none_features": named(NONE_FEATURES, r.none),
                    "min_probability": r.min_probability,
                }
                for model, r in sorted(self.reread.items())
            },
            "provenance": provenance,
        }
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load_weights(path: Path = WEIGHTS_PATH) -> ReaderWeights:
    data = json.loads(path.read_text(encoding="utf-8"))

    def vector(values: dict[str, float], names: tuple[str, ...] | list[str]) -> np.ndarray:
        return np.array([values.get(n, 0.0) for n in names], dtype=np.float64)

    return ReaderWeights(
        vector(data["span_features"], FEATURE_NAMES),
        vector(data["none_features"], NONE_FEATURES),
        float(data["min_probability"]),
        {
            model: Reread(
                vector(r["features"], REREAD_FEATURES),
                vector(r["none_features"], NONE_FEATURES),
                float(r["min_probability"]),
            )
            for model, r in data.get("reread", {}).items()
        },
    )


def softmax_with_none(none_logit: float | np.ndarray, logits: np.ndarray) -> np.ndarray:
    """Probabilities of [NONE, candidate 1, candidate 2, …]."""
    z = np.concatenate([[none_logit], logits])
    z -= z.max()
    p = np.exp(z)
    return p / p.sum()


def reply_text(span: Span) -> str:
    """The span as the model would say it, citing its sentence (the worked example's shape)."""
    return f"{span.text} [{span.rank + 1}]."


def reread_features(lexical: np.ndarray, logprobs: list[list[float]]) -> np.ndarray:
    total = np.array([sum(lp) if lp else -50.0 for lp in logprobs])
    x = np.zeros((len(logprobs), len(REREAD_FEATURES)))
    x[:, 0] = lexical
    x[:, 1] = total / 10
    x[:, 2] = [sum(lp) / len(lp) if lp else -10.0 for lp in logprobs]
    x[:, 3] = [lp[0] if lp else -10.0 for lp in logprobs]
    x[:, 4] = (total - total.max()) / 10
    return x


def read(
    question: str,
    evidence: list[Evidence],
    score_replies: ScoreReplies | None = None,
    model: str = "",
    weights: ReaderWeights | None = None,
) -> Reading:
    """The best span, or none. score_replies: the log-probabilities the model named `model`
    gives possible replies (numbered like `evidence`); used when the reader was trained to read
    with that model, else the first stage decides alone."""
    weights = weights or load_weights()
    spans = candidates(question, evidence)
    if not spans:
        return Reading(None, 1.0)
    none_x = none_features(question, evidence, len(spans))
    lexical = span_features(question, spans, evidence) @ weights.span
    reread = weights.reread.get(model)
    if score_replies is None or reread is None:
        p, threshold, chosen = softmax_with_none(none_x @ weights.none, lexical), weights.min_probability, spans
    else:
        top = top_candidates(lexical)
        chosen = [spans[i] for i in top]
        x = reread_features(lexical[top], score_replies([reply_text(s) for s in chosen]))
        p, threshold = softmax_with_none(none_x @ reread.none, x @ reread.features), reread.min_probability
    best = int(np.argmax(p[1:]))
    if p[best + 1] < threshold:
        return Reading(None, float(p[0]))
    return Reading(chosen[best], float(p[best + 1]))
