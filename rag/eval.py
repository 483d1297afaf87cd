"""Batch evaluation: answer a JSONL question set and score it with metrics a reader can check.

Question lines: {"id", "question", "answers": [accepted], "answers_all": [all required],
"evidence_docs": [doc ids], "unanswerable": bool}. Bench sets that say
"type": "unanswerable" are read the same way; "fake_answer" (planted wrong answer) is scored
as "repeated without warning"."""

from __future__ import annotations

import dataclasses
import html
import json
import math
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .documents import TEXTS_FOLDER, TextStore, document_text
from .errors import InputError
from .grounding import GroundingPolicy
from .schema import Answer
from .settings import Settings
from .vocabulary import STOPWORDS
from .words import normalize

_MARKERS = re.compile(r"\[\d+\]")
_QUOTED = re.compile(r"“[^”]*”")
_POSSESSIVE = re.compile(r"['’]s$")
_FACT = re.compile(r"[^\W_]+(?:[.,’'\-][^\W_]+)*")
# Only a warning that doubts the sources counts against a planted answer; "nothing in the
# articles answers: …" says nothing about whether the articles are right.
_DOUBT = re.compile(r"\b(disagree|contradict|conflict|may be wrong|doubt)", re.I)
_MAGNITUDES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SCALED = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|trillion)\b", re.I)
_GROUPED = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.I)


@dataclass
class Question:
    id: str
    question: str
    answers: list[str] = field(default_factory=list)
    answers_all: list[str] = field(default_factory=list)
    evidence_docs: list[str] = field(default_factory=list)
    unanswerable: bool = False
    fake_answer: str | None = None
    as_of: str | None = None


def load_questions(path: Path) -> list[Question]:
    if not Path(path).is_file():
        raise InputError(f"question file not found: {path}")
    questions = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            questions.append(
                Question(
                    id=str(row.get("id", number)),
                    question=row["question"],
                    answers=list(row.get("answers") or []),
                    answers_all=list(row.get("answers_all") or []),
                    evidence_docs=list(row.get("evidence_docs") or []),
                    unanswerable=bool(row.get("unanswerable")) or row.get("type") == "unanswerable",
                    fake_answer=row.get("fake_answer"),
                    as_of=row.get("question_date"),
                )
            )
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{path}:{number}: not a question line (needs at least 'question')") from None
    if not questions:
        raise InputError(f"no questions in {path}")
    return questions


# ------------------------------------------------------------------ per-question scores


def _whole_number(match: re.Match[str]) -> str:
    amount = Decimal(match.group(1).replace(",", "")) * _MAGNITUDES[match.group(2).lower()]
    return str(int(amount)) if amount == amount.to_integral_value() else match.group(0)


def comparable(text: str) -> str:
    """normalize(), with each number written one way, so that a right answer in other figures
    counts: "$12.6 million" is "$12,600,000", "1,600" is "1600", "20th" is "20"."""
    text = _SCALED.sub(_whole_number, text)
    text = _GROUPED.sub(lambda m: m.group(0).replace(",", ""), text)
    return normalize(_ORDINAL.sub(r"\1", text))


def contains(haystack: str, needle: str) -> bool:
    """Normalized containment on word boundaries: "Kumar" is in "Ashok Kumar [1]."; a gold
    answer of several words also counts written in another order within a span barely longer
    than itself ("October 27 to 28, 2025" states "27 to 28 October 2025"; "1997, 2007, 2017"
    states "1997, 2007 and 2017"), since dates and lists are written either way."""
    n = comparable(needle)
    if not n:
        return False
    text = comparable(haystack)
    if f" {n} " in f" {text} ":
        return True
    wanted = {w for w in n.split() if w not in STOPWORDS}
    if len(wanted) < 2:
        return False
    tokens = text.split()
    width = len(n.split()) + 2
    return any(wanted <= set(tokens[i : i + width]) for i in range(len(tokens)))


def answer_correct(text: str, q: Question) -> bool:
    if q.answers_all and not all(contains(text, a) for a in q.answers_all):
        return False
    return not q.answers or any(contains(text, a) for a in q.answers)


def in_sentences(sentences: list[str], q: Question) -> bool:
    """An accepted answer stands within one of the sentences (each required one, within one
    sentence each): what a perfect reader shown them could state."""
    if q.answers_all and not all(any(contains(s, a) for s in sentences) for a in q.answers_all):
        return False
    return not q.answers or any(contains(s, a) for s in sentences for a in q.answers)


def first_claim(text: str) -> str:
    """What a person reads as *the* answer: the text before the first citation marker."""
    return _MARKERS.split(text, 1)[0]


def _stated_parts(word: str) -> list[str]:
    """A range of numbers ("27-28", "2021-22") is stated by its ends, however the quote joins
    them ("27 to 28"); any other word must stand whole."""
    parts = word.split("-")
    return parts if len(parts) > 1 and all(part.isdigit() for part in parts) else [word]


def unsupported_facts(answer: Answer) -> list[str]:
    """Numbers and capitalized words of the answer's own words (its quotes aside) that none of
    its cited quotes holds. Checked here on the text, with none of the verifier's rules (stems,
    key terms), so the pipeline is not graded by the code it is graded on."""
    from .answering import not_said
    from .conversation import question_parts

    if not answer.answered:
        return []
    quotes = f" {normalize(' '.join(c.quote for c in answer.citations))} "
    text = answer.text
    # "The articles do not say which minister Jaishankar met in Kampala." after the answer to
    # another part of the question repeats the question's words; it states nothing.
    for part in question_parts(answer.search_query or answer.question):
        text = text.replace(not_said(part), " ")
    own_words = _QUOTED.sub(" ", _MARKERS.sub(" ", text))
    facts = {
        part
        for word in _FACT.findall(own_words)
        if (word[:1].isupper() or any(ch.isdigit() for ch in word))
        and word.lower() not in STOPWORDS  # capitalized only as a sentence's first word
        for part in _stated_parts(_POSSESSIVE.sub("", word))  # "Amazon's" states "Amazon"
    }
    return sorted(word for word in facts if f" {normalize(word)} " not in quotes)


def citations_verbatim(answer: Answer, corpus: Path, index_dir: Path | None = None) -> bool:
    """Every quote is its document's text at its offsets: the file for .txt/.md, the text
    extracted from a PDF/HTML/DOCX (kept with the index in index_dir) for the others."""
    store = TextStore(Path(index_dir) / TEXTS_FOLDER) if index_dir else None
    texts: dict[str, str | None] = {}
    for c in answer.citations:
        if c.source not in texts:
            texts[c.source] = document_text(corpus, c.source, store)
        text = texts[c.source]
        if text is None or text[c.start : c.end] != c.quote:
            return False
    return True


def score(q: Question, answer: Answer, corpus: Path, index_dir: Path | None = None) -> dict[str, Any]:
    quotes = " ".join(c.quote for c in answer.citations)
    retrieved = [p.source for p in answer.passages]
    row: dict[str, Any] = {
        "id": q.id,
        "question": q.question,
        "unanswerable": q.unanswerable,
        "gold": q.answers or q.answers_all,
        "answer": answer.text,
        "answered": answer.answered,
        "citations": [{"n": c.n, "source": c.source, "quote": c.quote} for c in answer.citations],
        "retrieved": retrieved,
        "evidence_hit": bool(set(q.evidence_docs) & set(retrieved)) if q.evidence_docs else None,
        "verbatim": citations_verbatim(answer, corpus, index_dir),
        "unsupported": unsupported_facts(answer),
        "warnings": answer.warnings,
        "seconds": answer.timings.get("total", 0.0),
        "decision": answer.decision,
        "reply": answer.reply,
        "signals": answer.signals,
    }
    stated_right = answer.answered and not q.unanswerable and answer_correct(first_claim(answer.text), q)
    row["direct"] = stated_right
    row["wrong_direct"] = answer.answered and not stated_right
    if q.unanswerable:
        row["correct"] = not answer.answered
    else:
        row["correct"] = answer.answered and answer_correct(answer.text, q)
        row["supported"] = answer.answered and any(contains(quotes, a) for a in (q.answers or q.answers_all))
        # What a perfect reader could have stated: the answer is in the sentences it was shown.
        row["in_evidence"] = in_sentences(answer.evidence, q)
    if q.fake_answer:
        doubted = any(_DOUBT.search(w) for w in answer.warnings)
        row["repeated_fake"] = contains(answer.text, q.fake_answer) and not doubted
    return row


# ------------------------------------------------------------------ summary


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[rank]


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if not r["unanswerable"]]
    unanswerable = [r for r in rows if r["unanswerable"]]
    with_evidence = [r for r in rows if r["evidence_hit"] is not None]
    faked = [r for r in rows if "repeated_fake" in r]

    def rate(items: list, key: Any) -> float | None:
        return round(100 * sum(1 for r in items if key(r)) / len(items), 1) if items else None

    seconds = [r["seconds"] for r in rows]
    summary = {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "answer_accuracy": rate(answerable, lambda r: r["correct"]),
        # Scored on the first claim only (the text before the first marker), as a person reads it.
        "direct_accuracy": rate(answerable, lambda r: r.get("direct")),
        "wrong_direct_rate": rate([r for r in rows if r["answered"]], lambda r: r.get("wrong_direct")),
        "citation_support": rate(answerable, lambda r: r.get("supported")),
        "citations_verbatim": rate(rows, lambda r: r["verbatim"]),
        "answers_with_unsupported_facts": sum(1 for r in rows if r["unsupported"]),
        "evidence_hit_at_k": rate(with_evidence, lambda r: r["evidence_hit"]),
        # answerable questions whose accepted answer is in the evidence sentences the reader saw
        "evidence_recall": rate(answerable, lambda r: r.get("in_evidence")),
        "refusal_accuracy": rate(unanswerable, lambda r: r["correct"]),
        "false_refusal_rate": rate(answerable, lambda r: not r["answered"]),
        "latency_p50_s": round(percentile(seconds, 50), 3),
        "latency_p95_s": round(percentile(seconds, 95), 3),
    }
    if faked:
        summary["fake_answer_repeated_without_warning"] = rate(faked, lambda r: r["repeated_fake"])
    return summary


def format_summary(summary: dict[str, Any], title: str = "") -> str:
    width = max(len(k) for k in summary)
    lines = [title] if title else []
    for key, value in summary.items():
        shown = "n/a" if value is None else f"{value}%" if is_percent(key) else value
        lines.append(f"  {key.ljust(width)}  {shown}")
    return "\n".join(lines)


_PERCENT_KEYS = {
    "answer_accuracy",
    "direct_accuracy",
    "wrong_direct_rate",
    "citation_support",
    "citations_verbatim",
    "evidence_hit_at_k",
    "evidence_recall",
    "refusal_accuracy",
    "false_refusal_rate",
    "fake_answer_repeated_without_warning",
    "hit_at_1",
    "hit_at_5",
    "hit_at_10",
}


def is_percent(key: str) -> bool:
    return key in _PERCENT_KEYS or key.startswith("answer_in_top_")


# ------------------------------------------------------------------ retrieval-only


def question_day(q: Question, settings: Settings) -> str | None:
    """The day a benchmark question was asked; ignored when dates are switched off, so that
    `--no-dates` measures retrieval without any date information."""
    return q.as_of if settings.date_aware else None


def retrieval_scores(questions: list[Question], settings: Settings) -> dict[str, Any]:
    """hit@1/5/10 and MRR@10 over articles: passages are ranked, and an article takes the
    rank of its best passage (so three passages of one article count once)."""
    from .answering import search
    from .cache import get_index
    from .dates import as_of_day

    index = get_index(settings)
    cuts = (1, 5, 10)
    hits = dict.fromkeys(cuts, 0)
    reciprocal = 0.0
    latencies = []
    answer_in_passages = []
    scored = [q for q in questions if q.evidence_docs]
    # Enough passages that ten distinct articles are nearly always among them.
    depth = max(settings.candidates, 30)
    for q in _progress(scored, "retrieving"):
        t0 = time.perf_counter()
        as_of = as_of_day(question_day(q, settings))
        passages = search(index, q.question, settings.replace(max_per_source=1), k=depth, as_of=as_of)
        latencies.append(time.perf_counter() - t0)
        if q.answers and not q.unanswerable:
            # What the answer step sees: the k passages the product retrieves.
            shown = search(index, q.question, settings, as_of=as_of)
            answer_in_passages.append(any(contains(p.text, a) for p in shown for a in q.answers))
        articles = list(dict.fromkeys(p.source for p in passages))[:10]
        ranks = [i for i, source in enumerate(articles) if source in q.evidence_docs]
        if ranks:
            for cut in cuts:
                hits[cut] += ranks[0] < cut
            reciprocal += 1 / (ranks[0] + 1)
    n = len(scored) or 1
    return {
        "questions": len(scored),
        "hit_at_1": round(100 * hits[1] / n, 1),
        "hit_at_5": round(100 * hits[5] / n, 1),
        "hit_at_10": round(100 * hits[10] / n, 1),
        "mrr_at_10": round(reciprocal / n, 3),
        f"answer_in_top_{settings.k}_passages": (
            round(100 * sum(answer_in_passages) / len(answer_in_passages), 1) if answer_in_passages else None
        ),
        "latency_p50_ms": round(1000 * percentile(latencies, 50), 1),
    }


def _progress(items: Any, desc: str, total: int | None = None):
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="q", total=total)


# ------------------------------------------------------------------ run


def run_eval(
    path: Path,
    settings: Settings,
    out: Path | None = None,
    report: Path | None = None,
    limit: int | None = None,
    offset: int = 0,
    retrieval_only: bool = False,
    workers: int = 1,
    cluster: str | None = None,
) -> str:
    from .answering import ask
    from .cache import get_index

    if offset < 0:
        raise InputError("--offset must be 0 or more")
    questions = load_questions(path)[offset:][:limit]
    if retrieval_only:
        dates = ", date-aware" if settings.date_aware else ""
        return format_summary(
            retrieval_scores(questions, settings),
            f"retrieval on {path} ({settings.retriever}{dates}, {settings.store} store)",
        )
    if workers < 1:
        raise InputError("--workers must be at least 1")
    if cluster:
        from .fanout import answer_on_cluster

        with _progress(None, "answering", total=len(questions)) as bar:
            rows = answer_on_cluster(questions, settings, cluster, progress=bar.update)
    else:
        get_index(settings)  # build once, before any worker needs it

        def answer_one(q: Question) -> dict[str, Any]:
            return score(
                q,
                ask(q.question, as_of=question_day(q, settings), settings=settings),
                Path(settings.corpus),
                Path(settings.index_path),
            )

        with ThreadPoolExecutor(max_workers=workers) as pool:
            # map keeps the question order; the in-process model still answers one at a time.
            rows = list(_progress(pool.map(answer_one, questions), "answering", total=len(questions)))
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    summary = summarize(rows)
    if report:
        write_report(Path(report), summary, rows, str(path))
    mode = ("extractive" if settings.extractive else "grounded") if settings.grounded else "baseline"
    where = f", {settings.store} store" if settings.store != "faiss" else ""
    changed = policy_changes(settings.grounding)
    where += f", policy {changed}" if changed else ""
    where += f", on the Dask cluster at {cluster}" if cluster else ""
    return format_summary(summary, f"{path} ({mode}, model {_model_name(settings)}{where})")


def policy_changes(policy: GroundingPolicy) -> str:
    """The thresholds that differ from the defaults, as NAME=VALUE (empty: none)."""
    default = GroundingPolicy()
    return " ".join(
        f"{f.name}={getattr(policy, f.name)}"
        for f in dataclasses.fields(policy)
        if getattr(policy, f.name) != getattr(default, f.name)
    )


def _model_name(settings: Settings) -> str:
    from .models import resolve_model

    if settings.llm_url:
        return settings.llm_url
    return resolve_model(settings.model, settings.models_dir).name


def write_report(path: Path, summary: dict[str, Any], rows: list[dict[str, Any]], source: str) -> None:
    """A self-contained HTML page: summary, latency histogram, and every failure."""
    esc = html.escape
    failures = [r for r in rows if not r["correct"] or r["unsupported"] or not r["verbatim"]]
    seconds = [r["seconds"] for r in rows]
    top = max(seconds) if seconds else 1.0
    bins = [0] * 10
    for s in seconds:
        bins[min(9, int(10 * s / (top or 1)))] += 1
    tallest = max(bins) or 1
    bars = "".join(
        f'<rect x="{i * 40}" y="{120 - 110 * b / tallest:.0f}" width="36" height="{110 * b / tallest:.0f}" fill="#4a78b0">'
        f"<title>{b} questions, {i * top / 10:.2f}-{(i + 1) * top / 10:.2f}s</title></rect>"
        for i, b in enumerate(bins)
    )
    acc = [(k, v) for k, v in summary.items() if is_percent(k) and v is not None]
    acc_bars = "".join(
        f'<text x="0" y="{20 * i + 14}">{esc(k)}</text><rect x="260" y="{20 * i + 3}" width="{3 * v:.0f}" height="14" fill="#3c9a5f"/>'
        f'<text x="{265 + 3 * v:.0f}" y="{20 * i + 14}">{v}%</text>'
        for i, (k, v) in enumerate(acc)
    )
    rows_html = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            esc(r["question"]),
            esc(r["answer"]),
            esc(", ".join(r["gold"]) or "(unanswerable)"),
            "<br>".join(f"[{c['n']}] {esc(c['source'])}: {esc(c['quote'])}" for c in r["citations"]),
            esc(
                "; ".join(
                    filter(
                        None,
                        [
                            "wrong" if not r["correct"] else "",
                            "unsupported: " + ", ".join(r["unsupported"]) if r["unsupported"] else "",
                            "" if r["verbatim"] else "quote not verbatim",
                            r["decision"],
                            "the reader wrote: " + r["reply"] if r["reply"] else "",
                        ],
                    )
                )
            ),
        )
        for r in failures
    )
    page = f"""<!doctype html><meta charset="utf-8"><title>rag eval: {esc(source)}</title>
<style>body{{font:14px system-ui;margin:2em}}td,th{{border:1px solid #ccc;padding:4px;vertical-align:top}}table{{border-collapse:collapse}}</style>
<h1>rag eval: {esc(source)}</h1><pre>{esc(format_summary(summary))}</pre>
<h2>Accuracy</h2><svg width="600" height="{20 * len(acc) + 10}">{acc_bars}</svg>
<h2>Latency (s, max {top:.2f})</h2><svg width="400" height="125">{bars}</svg>
<h2>Failures ({len(failures)})</h2><table><tr><th>question</th><th>answer</th><th>gold</th><th>cited quotes</th><th>why</th></tr>{rows_html}</table>"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
