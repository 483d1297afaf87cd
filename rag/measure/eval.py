"""Batch evaluation: answer a JSONL question set and score it with metrics a reader can check.

Question lines: {"id", "question", "answers": [accepted], "answers_all": [all required],
"evidence_docs": [doc ids], "unanswerable": bool}. Bench sets that say
"type": "unanswerable" are read the same way; "fake_answer" (planted wrong answer) is scored
as "repeated without warning".

Kinds lines (a list, summary, yes/no, timeline … question) name no answer but the facts a
complete answer states: {"kind", "key_facts": [[accepted spellings of one fact], …],
"min_facts": how many make it complete, "yes_no": "yes" | "no" | null,
"wrong_speaker_quotes": [another speaker's words, wrong in this answer]}."""

from __future__ import annotations

import dataclasses
import html
import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..answer.grounding import GroundingPolicy
from ..errors import InputError
from ..ingest.chunking import split_sentences
from ..ingest.documents import TEXTS_FOLDER, TextStore, document_text
from ..schema import Answer, Passage
from ..settings import Settings
from ..text.vocabulary import STOPWORDS
from ..text.words import normalize

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
_FIRST_WORD = re.compile(r"\W*([^\W_]+)")
_VERDICT = re.compile(r"^\W*(?:yes|no)\b", re.I)


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
    kind: str | None = None  # "list", "yesno", "summary", … (None: a factual question)
    key_facts: list[list[str]] = field(default_factory=list)  # each fact: its accepted spellings
    min_facts: int | None = None  # None: see facts_needed()
    yes_no: str | None = None  # "yes" | "no": what a yes/no answer must start with
    wrong_speaker_quotes: list[str] = field(default_factory=list)


def is_kinds(q: Question) -> bool:
    """Scored by its key facts (kinds set), not by an accepted answer (factual set)."""
    return bool(q.key_facts) or q.kind is not None


def facts_needed(q: Question) -> int:
    """How many key facts make the answer complete: all of one or two, else 60% of them (a
    list may fairly name most items, not every one)."""
    if q.min_facts is not None:
        return q.min_facts
    n = len(q.key_facts)
    return n if n <= 2 else math.ceil(0.6 * n)


_KINDS = frozenset({"fact", "yesno", "list", "summary", "reason", "said", "timeline", "comparison"})


def _kinds_line(row: dict[str, Any]) -> bool:
    """A line of a kinds set: it lists key facts, or names one of the tool's kinds and no
    answers. The seed sets' "kind" ("who", "list", "unanswerable_near_miss") is a label of the
    question, scored by its answers: it does not make a kinds question."""
    answers = "answers" in row or "answers_all" in row
    return "key_facts" in row or (row.get("kind") in _KINDS and not answers)


def _key_facts(value: Any) -> list[list[str]]:
    # A fact with one spelling may be written bare: "Minsk" for ["Minsk"].
    return [[fact] if isinstance(fact, str) else [str(s) for s in fact] for fact in value or []]


def _yes_no(value: Any) -> str | None:
    if value is None:
        return None
    if str(value).lower() not in ("yes", "no"):
        raise ValueError(f"yes_no must be yes, no or null, not {value!r}")
    return str(value).lower()


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
                    kind=row.get("kind") if _kinds_line(row) else None,
                    key_facts=_key_facts(row.get("key_facts")),
                    min_facts=None if row.get("min_facts") is None else int(row["min_facts"]),
                    yes_no=_yes_no(row.get("yes_no")),
                    wrong_speaker_quotes=list(row.get("wrong_speaker_quotes") or []),
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


def answer_sentence(passages: list[Passage], q: Question) -> str:
    """The first sentence of the passages read that holds an accepted answer ("" if none)."""
    for passage in passages:
        for start, end in split_sentences(passage.text):
            if any(contains(passage.text[start:end], a) for a in q.answers):
                return passage.text[start:end]
    return ""


def first_claim(text: str) -> str:
    """What a person reads as *the* answer: the text before the first citation marker."""
    return _MARKERS.split(text, 1)[0]


def stated(answer: Answer) -> str:
    """What a person reads as the answer: the first claim, or a list's items (read together, a
    list is one answer: "Aleinik; Ryzhenkov")."""
    if answer.kind == "list" and answer.points:
        return "; ".join(p.text for p in answer.points)
    return first_claim(answer.text)


def _stated_parts(word: str) -> list[str]:
    """A range of numbers ("27-28", "2021-22") is stated by its ends, however the quote joins
    them ("27 to 28"); any other word must stand whole."""
    parts = word.split("-")
    return parts if len(parts) > 1 and all(part.isdigit() for part in parts) else [word]


def unsupported_facts(answer: Answer) -> list[str]:
    """Numbers and capitalized words of the answer's own words (its quotes aside) that none of
    its cited quotes holds. Checked here on the text, with none of the verifier's rules (stems,
    key terms), so the pipeline is not graded by the code it is graded on."""
    from ..answering import not_said
    from ..search.conversation import question_parts

    if not answer.answered:
        return []
    # an article's date line is its text too (" date 2025-11-03"): a timeline's "(article of
    # 2025-11-03)" states what its source does
    quotes = (
        f" {normalize(' '.join([*(c.quote for c in answer.citations), *(c.date or '' for c in answer.citations)]))} "
    )
    text = answer.text
    # "The articles do not say which minister Jaishankar met in Kampala." after the answer to
    # another part of the question repeats the question's words; it states nothing.
    for part in question_parts(answer.search_query or answer.question):
        text = text.replace(not_said(part), " ")
    if answer.kind == "yesno":
        # The opening Yes or No is the answer's verdict on its quotes, not a fact they must hold.
        text = _VERDICT.sub(" ", text, count=1)
    own_words = _QUOTED.sub(" ", _MARKERS.sub(" ", text))
    facts = {
        part
        for word in _FACT.findall(own_words)
        if (word[:1].isupper() or any(ch.isdigit() for ch in word))
        and word.lower() not in STOPWORDS  # capitalized only as a sentence's first word
        for part in _stated_parts(_POSSESSIVE.sub("", word))  # "Amazon's" states "Amazon"
    }
    # a comparison's sides and the speaker asked about are labelled in the question's own words
    asked = f" {normalize(answer.question)} " if answer.kind in ("comparison", "said") else "  "
    return sorted(
        word for word in facts if f" {normalize(word)} " not in quotes and f" {normalize(word)} " not in asked
    )


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
    stated_right = answer.answered and not q.unanswerable and answer_correct(stated(answer), q)
    row["direct"] = stated_right
    row["wrong_direct"] = answer.answered and not stated_right
    if q.unanswerable:
        row["correct"] = not answer.answered
    else:
        row["correct"] = answer.answered and answer_correct(answer.text, q)
        row["supported"] = answer.answered and any(contains(quotes, a) for a in (q.answers or q.answers_all))
        # What a perfect reader could have stated: the answer is in the sentences it was shown,
        # and before them in the passages they were chosen from (the loss between is evidence's).
        row["in_passages"] = in_sentences([p.text for p in answer.passages], q)
        row["in_evidence"] = in_sentences(answer.evidence, q)
        row["answer_sentence"] = answer_sentence(answer.passages, q) if not row["in_evidence"] else ""
    if q.fake_answer:
        doubted = any(_DOUBT.search(w) for w in answer.warnings)
        row["repeated_fake"] = contains(answer.text, q.fake_answer) and not doubted
    if is_kinds(q):
        row.update(score_kinds(q, answer, quotes))
    return row


def _found(texts: list[str], fact: list[str]) -> bool:
    """Any accepted spelling of the fact stands within one of the texts."""
    return any(contains(text, spelling) for text in texts for spelling in fact)


def _facts_in(texts: list[str], q: Question) -> int:
    return sum(_found(texts, fact) for fact in q.key_facts)


def yes_no_right(q: Question, answer: Answer) -> bool | None:
    """The answer opens with the expected Yes or No ("Yes. “…” [1]."); None: not a yes/no question."""
    if q.yes_no is None:
        return None
    first = _FIRST_WORD.match(answer.text)
    return answer.answered and first is not None and first.group(1).lower() == q.yes_no


def _kinds_gold(q: Question) -> list[str]:
    # What the report shows as the expected answer: the Yes/No, then each fact's spellings.
    return ([q.yes_no.capitalize()] if q.yes_no else []) + [" / ".join(fact) for fact in q.key_facts]


def score_kinds(q: Question, answer: Answer, quotes: str) -> dict[str, Any]:
    """The scores of a kinds question, over the row score() makes: complete when it states
    enough key facts (and the right Yes/No), or, unanswerable, when it refuses. "correct" and
    "direct" become "complete", so that the accuracy metrics read the same for every set."""
    found = [_found([answer.text], fact) for fact in q.key_facts]
    needed = facts_needed(q)
    right = yes_no_right(q, answer)
    if q.unanswerable:
        complete = not answer.answered
    else:
        complete = answer.answered and sum(found) >= needed and right is not False
    row: dict[str, Any] = {
        "kind": q.kind,
        "asked_kind": answer.kind,
        "gold": _kinds_gold(q),
        "facts_found": [fact[0] for fact, hit in zip(q.key_facts, found, strict=True) if hit],
        "facts_missed": [fact[0] for fact, hit in zip(q.key_facts, found, strict=True) if not hit],
        "facts_needed": needed,
        "key_fact_recall": round(sum(found) / len(found), 3) if found else None,
        "yes_no_right": right,
        "complete": complete,
        "wrong_speaker": answer.answered and any(contains(answer.text, w) for w in q.wrong_speaker_quotes),
        "first_point_s": answer.timings.get("first_point", answer.timings.get("total", 0.0)),
        "points": [{"text": p.text, "cited": list(p.cited), "label": p.label} for p in answer.points],
        "correct": complete,
        "direct": complete and not q.unanswerable,
    }
    row["wrong_direct"] = answer.answered and not row["direct"]
    if not q.unanswerable:
        # As for a factual answer: enough key facts in the cited quotes, and in the evidence
        # sentences the reader was shown (each fact within one sentence).
        row["supported"] = answer.answered and _facts_in([quotes], q) >= needed
        row["in_passages"] = _facts_in([p.text for p in answer.passages], q) >= needed
        row["in_evidence"] = _facts_in(answer.evidence, q) >= needed
    return row


# ------------------------------------------------------------------ summary


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[rank]


def rate(items: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> float | None:
    """The share of items for which key holds, in % (None: no items)."""
    return round(100 * sum(1 for r in items if key(r)) / len(items), 1) if items else None


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if not r["unanswerable"]]
    unanswerable = [r for r in rows if r["unanswerable"]]
    with_evidence = [r for r in rows if r["evidence_hit"] is not None]
    faked = [r for r in rows if "repeated_fake" in r]
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
        # answerable questions whose accepted answer is in the passages read, and in the
        # evidence sentences chosen from them that the reader saw
        "answer_in_passages": rate(answerable, lambda r: r.get("in_passages")),
        "evidence_recall": rate(answerable, lambda r: r.get("in_evidence")),
        "lost_by_evidence": sum(1 for r in answerable if r.get("in_passages") and not r.get("in_evidence")),
        "refusal_accuracy": rate(unanswerable, lambda r: r["correct"]),
        "false_refusal_rate": rate(answerable, lambda r: not r["answered"]),
        "latency_p50_s": round(percentile(seconds, 50), 3),
        "latency_p95_s": round(percentile(seconds, 95), 3),
    }
    if faked:
        summary["fake_answer_repeated_without_warning"] = rate(faked, lambda r: r["repeated_fake"])
    kinds = [r for r in rows if is_kinds_row(r)]
    if kinds:
        summary.update(kinds_summary(kinds))
    return summary


def is_kinds_row(row: dict[str, Any]) -> bool:
    return "complete" in row


def _recall(rows: list[dict[str, Any]]) -> float | None:
    """Mean key-fact recall in % over the rows that have key facts."""
    values = [r["key_fact_recall"] for r in rows if r.get("key_fact_recall") is not None]
    return round(100 * sum(values) / len(values), 1) if values else None


def _first_point_p50(rows: list[dict[str, Any]]) -> float:
    return round(percentile([r["first_point_s"] for r in rows], 50), 3)


def kinds_summary(kinds: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals over the kinds rows, then the same per kind and what each kind was read as."""
    answerable = [r for r in kinds if not r["unanswerable"]]
    yes_no = [r for r in kinds if r["yes_no_right"] is not None]
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in kinds:
        groups.setdefault(r["kind"] or "(none)", []).append(r)
    return {
        "complete": rate(answerable, lambda r: r["complete"]),
        "key_fact_recall": _recall(answerable),
        "yes_no_right": rate(yes_no, lambda r: r["yes_no_right"]),
        "wrong_speaker_answers": sum(1 for r in kinds if r["wrong_speaker"]),
        "first_point_p50_s": _first_point_p50(kinds),
        "by_kind": {kind: kind_scores(groups[kind]) for kind in sorted(groups)},
        "kind_confusion": kind_confusion(kinds),
    }


def kind_scores(group: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in group if not r["unanswerable"]]
    unanswerable = [r for r in group if r["unanswerable"]]
    return {
        "questions": len(group),
        "complete": rate(answerable, lambda r: r["complete"]),
        "key_fact_recall": _recall(answerable),
        "refused": rate(unanswerable, lambda r: not r["answered"]),
        "adding_facts": sum(1 for r in group if r["unsupported"]),
        # the wait a reader feels: until the first point shows (the whole answer for a fact)
        "p50_s": _first_point_p50(group),
    }


def kind_confusion(kinds: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """For each kind of question, how often the tool read it as each kind, most often first."""
    counts: dict[str, Counter[str]] = {}
    for r in kinds:
        counts.setdefault(r["kind"] or "(none)", Counter())[r["asked_kind"]] += 1
    return {kind: dict(counts[kind].most_common()) for kind in sorted(counts)}


def format_summary(summary: dict[str, Any], title: str = "") -> str:
    width = max(len(k) for k in summary)
    lines = [title] if title else []
    for key, value in summary.items():
        if key == "by_kind":
            lines += [f"  {key}", *by_kind_table(value)]
        elif key == "kind_confusion":
            lines += [f"  {key}", *(f"    {kind}: {_counts(read)}" for kind, read in value.items())]
        else:
            lines.append(f"  {key.ljust(width)}  {_shown(value, is_percent(key))}")
    return "\n".join(lines)


def _shown(value: Any, percent: bool) -> str:
    return "n/a" if value is None else f"{value}%" if percent else str(value)


def _counts(read: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in read.items())


_BY_KIND_COLUMNS = ("questions", "complete", "key_fact_recall", "refused", "adding_facts", "p50_s")
_BY_KIND_PERCENT = {"complete", "key_fact_recall", "refused"}


def by_kind_table(by_kind: dict[str, dict[str, Any]]) -> list[str]:
    """One line per kind under a header, the kind left-aligned and the numbers right-aligned."""
    table = [["kind", *_BY_KIND_COLUMNS]] + [
        [kind, *(_shown(scores[c], c in _BY_KIND_PERCENT) for c in _BY_KIND_COLUMNS)]
        for kind, scores in by_kind.items()
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    return [
        "    "
        + "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in table
    ]


_PERCENT_KEYS = {
    "answer_accuracy",
    "direct_accuracy",
    "wrong_direct_rate",
    "citation_support",
    "citations_verbatim",
    "evidence_hit_at_k",
    "answer_in_passages",
    "evidence_recall",
    "refusal_accuracy",
    "false_refusal_rate",
    "fake_answer_repeated_without_warning",
    "hit_at_1",
    "hit_at_5",
    "hit_at_10",
    "complete",
    "key_fact_recall",
    "yes_no_right",
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
    from ..answering import search
    from ..cache import get_index
    from ..search.dates import as_of_day

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
    from ..answering import ask
    from ..cache import get_index

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
    from ..answer.models import resolve_model

    if settings.llm_url:
        return settings.llm_url
    return resolve_model(settings.model, settings.models_dir).name


def write_report(path: Path, summary: dict[str, Any], rows: list[dict[str, Any]], source: str) -> None:
    """A self-contained HTML page: summary, latency histogram, and every failure."""
    esc = html.escape
    failures = [r for r in rows if not r["correct"] or r["unsupported"] or not r["verbatim"] or r.get("wrong_speaker")]
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
    rows_html = "".join(_failure_html(r) for r in failures)
    lost = [r for r in rows if r.get("in_passages") and not r.get("in_evidence")]
    lost_html = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            esc(r["question"]), esc(", ".join(r["gold"])), esc(r.get("answer_sentence") or "")
        )
        for r in lost
    )
    page = f"""<!doctype html><meta charset="utf-8"><title>rag eval: {esc(source)}</title>
<style>body{{font:14px system-ui;margin:2em}}td,th{{border:1px solid #ccc;padding:4px;vertical-align:top}}table{{border-collapse:collapse}}</style>
<h1>rag eval: {esc(source)}</h1><pre>{esc(format_summary(summary))}</pre>
<h2>Accuracy</h2><svg width="600" height="{20 * len(acc) + 10}">{acc_bars}</svg>
<h2>Latency (s, max {top:.2f})</h2><svg width="400" height="125">{bars}</svg>
<h2>Failures ({len(failures)})</h2><table><tr><th>question</th><th>answer</th><th>gold</th><th>cited quotes</th><th>why</th></tr>{rows_html}</table>
<h2>Lost between the passages read and the evidence ({len(lost)})</h2>
<p>The answer is in a passage read but in none of the sentences the reader was shown.</p>
<table><tr><th>question</th><th>gold</th><th>the passage sentence that holds it</th></tr>{lost_html}</table>"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")


def _failure_html(r: dict[str, Any]) -> str:
    """One row of the failures table: question, answer (and its points), gold, quotes, why."""
    esc = html.escape
    return "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
        esc(r["question"]),
        esc(r["answer"]) + _points_html(r.get("points") or []),
        esc(", ".join(r["gold"]) or "(unanswerable)"),
        "<br>".join(f"[{c['n']}] {esc(c['source'])}: {esc(c['quote'])}" for c in r["citations"]),
        esc("; ".join(filter(None, _why(r)))),
    )


def _points_html(points: list[dict[str, Any]]) -> str:
    # The points as the tool split them: whether an item was missed or merged shows here.
    items = "".join(
        "<li>{}{} {}</li>".format(
            f"{html.escape(p['label'])}: " if p["label"] else "",
            html.escape(p["text"]),
            "".join(f"[{n}]" for n in p["cited"]),
        )
        for p in points
    )
    return f"<ol>{items}</ol>" if items else ""


def _why(r: dict[str, Any]) -> list[str]:
    kinds = is_kinds_row(r)
    return [
        ("incomplete" if kinds and not r["unanswerable"] else "wrong") if not r["correct"] else "",
        *(_kinds_why(r) if kinds else []),
        "unsupported: " + ", ".join(r["unsupported"]) if r["unsupported"] else "",
        "" if r["verbatim"] else "quote not verbatim",
        r["decision"],
        "the reader wrote: " + r["reply"] if r["reply"] else "",
    ]


def _kinds_why(r: dict[str, Any]) -> list[str]:
    found, needed = len(r["facts_found"]), r["facts_needed"]
    return [
        f"facts missed: {', '.join(r['facts_missed'])} ({found} found, {needed} needed)" if r["facts_missed"] else "",
        "wrong yes/no" if r["yes_no_right"] is False else "",
        "quotes another speaker" if r["wrong_speaker"] else "",
        f"read as {r['asked_kind']}" if r["kind"] and r["asked_kind"] != r["kind"] else "",
    ]
