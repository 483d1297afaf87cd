"""Train the reader (rag/reader.py) and write rag/reader_weights.json.

    python -m rag.train_reader            # or: make reader

Training split — never scored on: the project's seeds_dev set, the first TRAIN_SQUAD2 questions
of squad2_dev500, and all of realtimeqa_2022 (a news set that is not among the scored ones).
Scored elsewhere (`rag eval`): seeds_heldout, squad2_dev500 from question TRAIN_SQUAD2 on, RGB.
The evidence each question gets is the pipeline's own (retrieval, then sentence selection, with
the default settings), so the reader learns on what it will see. Questions the evidence gate
already refuses are not shown to it. A candidate is right when it holds an accepted answer and
at most two more words; an unanswerable question's right choice is NONE."""

from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import ModelError
from .reader import (
    WEIGHTS_PATH,
    ReaderWeights,
    Reread,
    candidates,
    none_features,
    reply_text,
    reread_features,
    softmax_with_none,
    span_features,
    top_candidates,
)

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
TRAIN_SQUAD2 = 250
L2 = 1e-3
EXTRA_WORDS = 2


@dataclass
class Example:
    set_name: str
    question: str
    answerable: bool
    evidence: list  # the pipeline's evidence sentences
    spans: list  # reader.Span candidates
    span_x: np.ndarray
    none_x: np.ndarray
    positives: np.ndarray  # indexes of right spans
    # model file name -> reply text -> that model's token log-probabilities for the reply
    logprobs: dict[str, dict[str, list[float]]] = field(default_factory=dict)


def training_sets(bench: Path) -> list[tuple[str, Path, Path, slice]]:
    project = Path(__file__).resolve().parent.parent
    return [
        ("seeds_dev", project / "eval" / "seeds_dev.jsonl", project / "seeds", slice(None)),
        (
            "squad2_train",
            bench / "squad2_dev500" / "questions.jsonl",
            bench / "squad2_dev500" / "docs",
            slice(0, TRAIN_SQUAD2),
        ),
        ("realtimeqa", bench / "realtimeqa_2022" / "questions.jsonl", bench / "realtimeqa_2022" / "docs", slice(None)),
    ]


def is_right(span_text: str, answers: list[str]) -> bool:
    from .eval import contains

    n = len(span_text.split())
    return any(contains(span_text, a) and n <= len(a.split()) + EXTRA_WORDS for a in answers)


def collect(bench: Path, cache: Path | None) -> list[Example]:
    """The pipeline's evidence for every training question, as reader inputs and labels."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    from .answering import examine, search
    from .cache import get_index
    from .dates import as_of_day
    from .eval import load_questions
    from .settings import Settings
    from .words import answer_type

    examples = []
    for name, questions_path, corpus, part in training_sets(bench):
        settings = Settings().replace(corpus=corpus)
        index = get_index(settings)
        questions = load_questions(questions_path)[part]
        for n, q in enumerate(questions, 1):
            if n % 50 == 0:
                print(f"{name}: {n}/{len(questions)}", file=sys.stderr)
            passages = search(index, q.question, settings, as_of=as_of_day(q.as_of))
            found = examine(q.question, answer_type(q.question), passages, index, settings)
            if not found.answering:
                continue
            spans = candidates(q.question, found.evidence)
            if not spans:
                continue
            answers = q.answers or q.answers_all
            positives = [] if q.unanswerable else [i for i, s in enumerate(spans) if is_right(s.text, answers)]
            examples.append(
                Example(
                    name,
                    q.question,
                    not q.unanswerable,
                    found.evidence,
                    spans,
                    span_features(q.question, spans, found.evidence),
                    none_features(q.question, found.evidence, len(spans)),
                    np.array(positives, dtype=np.int64),
                )
            )
    if cache:
        cache.write_bytes(pickle.dumps(examples))
    return examples


Problem = tuple[np.ndarray, np.ndarray, np.ndarray, bool]  # candidates' x, NONE's x, right ones, answerable


def fit(problems: list[Problem], steps: int = 300, rate: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Softmax over each question's candidates (NONE first), maximizing the probability of the
    right ones; Adam on the mean log-likelihood with a little L2."""
    usable = [p for p in problems if not p[3] or len(p[2])]
    d = problems[0][0].shape[1]
    params = np.zeros(d + len(problems[0][1]))
    m1 = np.zeros_like(params)
    m2 = np.zeros_like(params)
    for step in range(1, steps + 1):
        grad = np.zeros_like(params)
        loss = 0.0
        for x, none_x, positives, answerable in usable:
            p = softmax_with_none(none_x @ params[d:], x @ params[:d])
            target = np.zeros_like(p)
            if answerable:
                target[positives + 1] = p[positives + 1] / p[positives + 1].sum()
            else:
                target[0] = 1.0
            loss -= np.log((p * (target > 0)).sum() + 1e-12)
            diff = p - target  # d(-log sum of the right ones' p)/d(logits)
            grad[:d] += diff[1:] @ x
            grad[d:] += diff[0] * none_x
        grad = grad / len(usable) + 2 * L2 * params
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad**2
        params -= rate * (m1 / (1 - 0.9**step)) / (np.sqrt(m2 / (1 - 0.999**step)) + 1e-8)
    print(f"loss {loss / len(usable):.3f} over {len(usable)} questions", file=sys.stderr)
    return params[:d], params[d:]


def first_stage(examples: list[Example]) -> list[Problem]:
    return [(e.span_x, e.none_x, e.positives, e.answerable) for e in examples]


def second_stage(examples: list[Example], span_w: np.ndarray, model: str) -> list[Problem]:
    problems = []
    for e in examples:
        lexical = e.span_x @ span_w
        top = top_candidates(lexical)
        logprobs = [e.logprobs[model].get(reply_text(e.spans[i]), []) for i in top]
        positives = np.array([k for k, i in enumerate(top) if i in set(e.positives.tolist())], dtype=np.int64)
        problems.append((reread_features(lexical[top], logprobs), e.none_x, positives, e.answerable))
    return problems


def add_logprobs(examples: list[Example], span_w: np.ndarray, model: Path | None) -> str:
    """The model's log-probabilities of each example's best TOP_K spans as replies; returns
    the model's name."""
    from .cache import get_generator
    from .generation import LlamaGenerator
    from .prompts import build_messages, evidence_block
    from .settings import Settings

    generator = get_generator(Settings().replace(model=model))
    if not isinstance(generator, LlamaGenerator):
        raise ModelError("the reader is trained with a model in this process, not a model server")
    for n, e in enumerate(examples, 1):
        if n % 100 == 0:
            print(f"reading with {generator.name}: {n}/{len(examples)}", file=sys.stderr)
        known = e.logprobs.setdefault(generator.name, {})
        top = top_candidates(e.span_x @ span_w)
        replies = [reply_text(e.spans[i]) for i in top if reply_text(e.spans[i]) not in known]
        if replies:
            messages = build_messages(e.question, evidence_block(e.evidence))
            known.update(zip(replies, generator.reply_logprobs(messages, replies), strict=True))
    return generator.name


def chosen(problems: list[Problem], w: np.ndarray, v: np.ndarray) -> list[tuple[float, bool]]:
    """Each question's best candidate: its probability and whether it is right."""
    out = []
    for x, none_x, positives, answerable in problems:
        p = softmax_with_none(none_x @ v, x @ w)
        best = int(np.argmax(p[1:]))
        out.append((float(p[best + 1]), answerable and best in set(positives.tolist())))
    return out


def pick_threshold(problems: list[Problem], w: np.ndarray, v: np.ndarray, max_wrong: float) -> float:
    """The lowest probability at which, on the training questions, at most max_wrong of the
    stated answers are wrong."""
    best = 1.0
    right = wrong = 0
    for prob, ok in sorted(chosen(problems, w, v), key=lambda c: -c[0]):
        right += ok
        wrong += not ok
        if wrong <= max_wrong * (right + wrong):
            best = prob
    return best


def report(names: list[str], problems: list[Problem], w: np.ndarray, v: np.ndarray, threshold: float) -> str:
    lines = []
    for name in sorted(set(names)):
        rows = [(c, p[3]) for c, p, n in zip(chosen(problems, w, v), problems, names, strict=True) if n == name]
        stated = [c for c, _ in rows if c[0] >= threshold]
        answerable = [c for c, a in rows if a]
        lines.append(
            f"  {name}: {len(rows)} questions reach the reader ({len(answerable)} answerable); "
            f"best right {sum(c[1] for c in answerable)}; stated {len(stated)}: "
            f"right {sum(c[1] for c in stated)}, wrong {sum(not c[1] for c in stated)}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=BENCH, help="the public question sets (../shared/bench)")
    parser.add_argument("--cache", type=Path, help="keep the collected evidence here between runs")
    parser.add_argument(
        "--model", type=Path, action="append", default=[], help="another GGUF model to read with (repeatable)"
    )
    parser.add_argument("--max-wrong", type=float, default=0.25, help="share of wrong stated answers allowed")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args(argv)
    if not (args.bench / "squad2_dev500").is_dir() and not (args.cache and args.cache.exists()):
        print(f"error: the public question sets are not at {args.bench} (give --bench DIR)", file=sys.stderr)
        return 2
    examples = collect(args.bench, args.cache)
    names = [e.set_name for e in examples]
    problems = first_stage(examples)
    span_w, none_w = fit(problems)
    threshold = pick_threshold(problems, span_w, none_w, args.max_wrong)
    print(f"first stage alone (threshold {threshold:.3f}):\n{report(names, problems, span_w, none_w, threshold)}")
    reread = {}
    for model in [None, *args.model]:  # the default model always
        name = add_logprobs(examples, span_w, model)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(examples))
        problems2 = second_stage(examples, span_w, name)
        w, v = fit(problems2)
        reread[name] = Reread(w, v, pick_threshold(problems2, w, v, args.max_wrong))
        print(
            f"{name} reading (threshold {reread[name].min_probability:.3f}):\n"
            f"{report(names, problems2, w, v, reread[name].min_probability)}"
        )
    provenance = {
        "trained_by": "python -m rag.train_reader" + "".join(f" --model {m.name}" for m in args.model),
        "training_split": [
            f"{n}: {q.name} [{p.start or 0}:{p.stop or ''}]" for n, q, _, p in training_sets(args.bench)
        ],
        "questions_reaching_the_reader": len(examples),
        "max_wrong": args.max_wrong,
    }
    ReaderWeights(span_w, none_w, threshold, reread).save(args.out, provenance)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
