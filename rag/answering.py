"""Answer: run the steps in order — retrieve, select evidence, read, verify, decide.

This is the one place that knows the order; cli, ui and eval are doors into it."""

from __future__ import annotations

import re
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from .answer.decide import Decision, decide, reads, signals
from .answer.disagreement import answers_otherwise, disagreeing
from .answer.evidence import candidate_sentences, select_evidence, sentence_vectors_of
from .answer.generation import LlamaGenerator, Messages, Remembered, TextGenerator
from .answer.kinds import FACT, SHAPES, Turn, classify
from .answer.kinds.classify import request_removed
from .answer.kinds.shape import not_said
from .answer.prompts import NOT_FOUND, baseline_messages, build_messages, evidence_block, recheck_messages
from .answer.reader import Reading, parse_reply
from .answer.verify import check, render
from .cache import get_embedder, get_generator, get_index, get_store
from .errors import InputError, ModelError
from .schema import Answer, Citation, Claim, Evidence, Passage
from .search.conversation import question_parts, standalone_question
from .search.dates import Period, as_of_day, publication_period
from .search.index import Index
from .search.qdrant_store import check_store
from .search.retrieval import as_passage, retrieve_passages, term_weights
from .settings import Settings
from .text.words import normalize

KIND_PASSAGES = 12  # passages a list, a summary … is gathered from (a fact reads settings.k)
WARM_UP_CHUNKS = 100  # ~400 sentences, ~4 s of embedding on 2 cores when the chat starts
# --extractive: no reader, the best evidence sentence of each part is the reply.
EXTRACTIVE_LEAD_IN = "The articles say:"
DISAGREEMENT = "But another passage may disagree:"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Event = tuple[str, Any]  # ("status", str) | ("token", str) | ("answer", Answer)


def warm_up(settings: Settings) -> None:
    """Load the index, the embedder and the model, and evaluate the instructions and worked
    example every prompt starts with (llama.cpp keeps them in its cache between questions), so
    the first question is answered as fast as the tenth."""
    index = get_index(settings)
    generator = get_generator(settings)
    _ = generator.name  # a server named by --llm-url is asked now, so a wrong URL fails at once
    # The sentences evidence is chosen from, embedded now rather than on the first question
    # that retrieves them (~0.2 s a passage); a corpus too big for a few seconds of this
    # warms its first chunks only.
    chunks = index.chunks[:WARM_UP_CHUNKS]
    sentence_vectors_of(candidate_sentences([as_passage(c, 0.0) for c in chunks]), get_embedder())
    question = "What do the articles report?"
    evidence = select_evidence(
        question, search(index, question, settings), get_embedder(), term_weights(index), settings.grounding
    )
    if isinstance(generator, LlamaGenerator) and settings.grounded and not settings.extractive:
        # the second context too (a rival sentence is read in it with the same instructions; a
        # yes/no's verdict is asked there): loaded now, its memory taken before anyone asks
        for reader in (generator, generator.aside):
            for _ in reader.complete(build_messages(question, evidence_block(evidence[:1])), max_tokens=1):
                pass
        if reads("recheck", generator.name):
            recheck(generator, "The bridge was opened in 2021.", "When was the bridge opened?", "2021")


# ------------------------------------------------------------------ steps


def clean_question(question: Any, max_chars: int) -> str:
    if not isinstance(question, str):
        raise InputError("the question must be text")
    question = _CONTROL.sub(" ", question.replace("\ufffd", " "))
    question = question.encode("utf-8", "replace").decode("utf-8")  # lone surrogates
    question = " ".join(question.split())
    if not question:
        raise InputError("the question is empty")
    if len(question) > max_chars:
        raise InputError(f"the question is too long ({len(question)} characters; the limit is {max_chars})")
    return question


def fit_evidence(generator: TextGenerator, question: str, evidence: list[Evidence], max_tokens: int) -> list[Evidence]:
    """Drop the weakest evidence until the prompt and the reply fit the model's context."""
    budget = generator.context_size - max_tokens
    kept = list(evidence)
    while kept and generator.prompt_tokens(build_messages(question, evidence_block(kept))) > budget:
        kept.pop()
    if not kept and evidence:
        raise ModelError(f"the model's context ({generator.context_size} tokens) is too small for any evidence")
    return kept


def search(
    index: Index, query: str, settings: Settings, k: int | None = None, as_of: date | None = None
) -> list[Passage]:
    """Hybrid retrieval with the settings' knobs; the one way every door retrieves."""
    return retrieve_passages(
        index,
        get_embedder(),
        query,
        k=k or settings.k,
        candidates=settings.candidates,
        rrf_k=settings.rrf_k,
        max_per_source=settings.max_per_source,
        retriever=settings.retriever,
        as_of=as_of,
        date_aware=settings.date_aware,
        store=get_store(settings, index),
    )


def passage_citations(text: str, passages: list[Passage]) -> list[Citation]:
    """Baseline mode: markers point at whole passages, quoted as they are."""
    cited = sorted({int(n) for n in re.findall(r"\[(\d+)\]", text) if 1 <= int(n) <= len(passages)})
    return [
        Citation(n, p.source, p.chunk_id, p.text, p.start, p.end, p.score, p.title, p.date, p.page)
        for n, p in ((n, passages[n - 1]) for n in cited)
    ]


# ------------------------------------------------------------------ the pipeline


def ask_events(
    question: Any, settings: Settings, history: list[Any] | None = None, as_of: str | date | None = None
) -> Iterator[Event]:
    """The whole pipeline as a stream of events; ask() keeps only the final answer.
    `as_of` asks the question as of a day: later articles are unknown, "this week" is that week."""
    started = time.perf_counter()
    question = clean_question(question, settings.max_question_chars)
    check_store(settings.store)
    day = as_of_day(as_of)
    timings: dict[str, float] = {}
    yield ("status", "searching")
    index = get_index(settings)
    generator = get_generator(settings)
    query = standalone_question(question, history)
    kind = classify(query) if settings.grounded and settings.kinds and not settings.extractive else FACT
    if len(question_parts(query)) > 1:
        kind = FACT  # a compound question asks facts, each part searched and answered on its own
    # A compound question is searched part by part: each half's answer is often in another
    # article. The baseline, and a question of another kind, search the question as asked.
    parts = question_parts(query) if settings.grounded and kind == FACT else [query]
    t0 = time.perf_counter()
    # a list, a summary … is searched for what it is about, not for the words that ask for it
    searched = parts if kind == FACT else [request_removed(query)]
    # …and from more passages: its points are spread over articles
    k = settings.k if kind == FACT else max(settings.k, KIND_PASSAGES)
    retrieved = [search(index, part, settings, k=k, as_of=day) for part in searched]
    timings["retrieve"] = time.perf_counter() - t0
    passages: list[Passage] = []
    for part_passages in retrieved:
        shown = {p.chunk_id for p in passages}
        passages += [p for p in part_passages if p.chunk_id not in shown]
    answer = Answer(
        question=question,
        text="",
        answered=False,
        passages=passages,
        timings=timings,
        model=generator.name,
        search_query=query,
    )

    answer.kind = kind
    if not settings.grounded:
        yield from _baseline(answer, generator, settings)
    elif kind != FACT:

        def search_more(text: str) -> list[Passage]:
            return search(index, text, settings, as_of=day)

        yield from SHAPES[kind](
            Turn(query, kind, passages, index, generator, settings, answer, search_more, day, started)
        )
    else:
        yield from _grounded(answer, list(zip(parts, retrieved, strict=True)), index, generator, settings, day)
    timings["total"] = time.perf_counter() - started
    timings.update({k: round(v, 4) for k, v in timings.items()})
    yield ("answer", answer)


def _generate(
    generator: TextGenerator, messages: Messages, settings: Settings, answer: Answer
) -> Generator[Event, None, str]:
    """Stream the model's tokens as events; the whole reply is the generator's return value."""
    timings = answer.timings
    t0 = time.perf_counter()
    reply: list[str] = []
    for piece in generator.complete(messages, settings.max_tokens, settings.temperature, stream=True):
        if piece:
            if not reply:
                timings["first_token"] = time.perf_counter() - t0
            reply.append(piece)
            yield ("token", piece)
    timings["generate"] = time.perf_counter() - t0
    # llama.cpp streams one token per piece; a remembered reply was not written now
    answer.generated_tokens = sum(not isinstance(piece, Remembered) for piece in reply)
    return "".join(reply)


@dataclass
class Part:
    """One question (or one part of a compound question): its evidence, what the reader said
    of it and what was decided."""

    question: str
    evidence: list[Evidence]
    passages: list[Passage]
    decision: Decision = field(default_factory=lambda: Decision(False, "no evidence"))
    answer: str = ""  # the reader's short answer, when it gave one
    reply: str = ""  # what the reader wrote
    signals: dict[str, float] = field(default_factory=dict)  # what the calibrated check read
    disagrees: Evidence | None = None  # evidence that answers the part otherwise


def _grounded(
    answer: Answer,
    retrieved: list[tuple[str, list[Passage]]],
    index: Index,
    generator: TextGenerator,
    settings: Settings,
    as_of: date | None = None,
) -> Iterator[Event]:
    """retrieved: each part of the question (the whole question when it is not compound) with
    the passages found for it. The reader reads each part's evidence and answers or refuses;
    verification checks each answer; each part is decided on its own."""
    policy = settings.grounding
    t0 = time.perf_counter()
    weights = term_weights(index)
    parts = [
        Part(question, select_evidence(question, passages, get_embedder(), weights, policy), passages)
        for question, passages in retrieved
    ]
    answer.timings["evidence"] = time.perf_counter() - t0
    for part in parts:
        if not part.evidence:
            continue
        if settings.extractive:
            part.decision = Decision(True, "extractive", (0,), chose_sentence=True)
            continue
        yield ("status", "reading")
        part.evidence = fit_evidence(generator, part.question, part.evidence, settings.max_tokens)
        messages = build_messages(part.question, evidence_block(part.evidence))
        reply = yield from _generate(generator, messages, settings, answer)
        part.reply = reply.strip()
        period = publication_period(part.question, as_of) if settings.date_aware else None
        reading, part.signals, part.decision = judge(
            generator, generator, part.question, part.evidence, part.passages, messages, reply, settings, period
        )
        part.answer = reading.answer
        ground = part.decision.ground
        if (
            policy.rival_relevance
            and part.decision.answered
            and not part.decision.chose_sentence
            and ground is not None
        ):
            rival = disagreeing(
                part.question, part.answer, part.evidence[ground], part.evidence, policy.rival_relevance
            )
            if rival is not None and policy.rival_reread:
                rival = confirmed_rival(generator, part, part.evidence[ground], rival, settings, period)
            part.disagrees = rival
    _compose(answer, parts, policy.closest_quotes, settings.extractive)


def judge(
    generator: TextGenerator,
    reader: TextGenerator,
    question: str,
    evidence: list[Evidence],
    passages: list[Passage],
    messages: Messages,
    reply: str,
    settings: Settings,
    period: Period | None,
) -> tuple[Reading, dict[str, float], Decision]:
    """What the reader's reply to these messages is worth: read, verified against the evidence,
    weighed by the calibrated check (the reader's own odds of its answer against NOT FOUND, read
    in the context that wrote it, the prompt cached) and decided."""
    reading = parse_reply(reply, len(evidence))
    checked = check(reading, evidence, question, settings.grounding)
    logprobs, second_look = None, None
    if checked.verified and isinstance(reader, LlamaGenerator) and isinstance(generator, LlamaGenerator):
        answer_lp, not_found_lp = reader.reply_logprobs(messages, [reply.strip(), NOT_FOUND])
        logprobs = (answer_lp, not_found_lp)
        if checked.ground is not None and reads("recheck", generator.name):
            sentence = evidence[checked.ground].text
            second_look = recheck(generator, sentence, question, reading.answer or sentence)
    found = signals(question, reading, checked, evidence, passages, logprobs, second_look, period)
    return reading, found, decide(reading, checked, found, settings.grounding, generator.name)


def confirmed_rival(
    generator: TextGenerator, part: Part, ground: Evidence, rival: Evidence, settings: Settings, period: Period | None
) -> Evidence | None:
    """The rival sentence, if the tool, shown it alone, would answer the question otherwise.
    The word rule finds a sentence as much on topic that names something else of the kind;
    whether it answers the same question is the reader's to say, and whether that answer would
    stand is the same verification and calibrated check as any answer's (the small reader names
    a team from "2010 FIFA World Cup South Africa™" asked who won it). Read in the second
    context, so the reading prompt stays cached; a generator without one reads it itself."""
    reader = generator.aside if isinstance(generator, LlamaGenerator) else generator
    messages = build_messages(part.question, evidence_block([rival]))
    reply = "".join(reader.complete(messages, settings.max_tokens, settings.temperature))
    alone, _, decision = judge(
        generator, reader, part.question, [rival], part.passages, messages, reply, settings, period
    )
    # verified in the rival sentence (answered, or refused only for its calibrated chance)
    verified = decision.answered or decision.confidence is not None
    chance = 1.0 if decision.confidence is None else decision.confidence
    otherwise = verified and answers_otherwise(alone, part.answer, ground.text)
    # read after the decision, for eval: what the rival says and how likely it is right
    part.signals["rival_answers_otherwise"] = float(otherwise)
    part.signals["rival_confidence"] = chance if otherwise else 0.0
    return rival if otherwise else None


def recheck(generator: LlamaGenerator, sentence: str, question: str, answer: str) -> float:
    """The reader's log-odds of yes against no when asked, apart, whether the sentence shows the
    answer is right: a second look that catches confident wrong answers (prompts.RECHECK_SYSTEM).
    Asked in a second context of the same model, so the reading prompt stays in llama.cpp's cache."""
    replies = ["Yes", "yes", "No", "no"]  # one token each: the first token's odds are the answer's
    lp = [scores[0] for scores in generator.aside.reply_logprobs(recheck_messages(sentence, question, answer), replies)]
    return float(np.logaddexp(lp[0], lp[1]) - np.logaddexp(lp[2], lp[3]))


def _compose(answer: Answer, parts: list[Part], closest_quotes: int, extractive: bool) -> None:
    """The reply's text and citations. Its shapes: a verified short answer and the quote it
    rests on; a sentence the reader chose as the answer, quoted; a refusal with the closest
    quotes. A compound question has one of these for each part that is answered."""
    shown: list[Evidence] = []
    for part in parts:
        shown += [ev for ev in part.evidence if ev not in shown]
    answer.evidence = [ev.text for ev in shown]
    answered = [p for p in parts if p.decision.answered]
    answer.decision = "; ".join(p.decision.reason for p in parts)
    answer.reply = " | ".join(p.reply for p in parts if p.reply)
    answer.signals = parts[0].signals if len(parts) == 1 else {}
    if not answered:
        answer.text, answer.citations = not_in_articles(
            answer.question, _interleave([p.evidence for p in parts]), closest_quotes
        )
        answer.answered = False
        return
    answer.warnings += [f"nothing in the articles answers: {p.question}" for p in parts if not p.decision.answered]
    grounds = {id(p): [shown.index(p.evidence[g]) for g in p.decision.grounds] for p in answered}
    # The short answers open the reply, one per part ("Aleinik; Sibi George [1][2]."): a person
    # reads the first sentence as the answer to everything asked.
    # an answer that is its whole sentence is that sentence chosen: the quote says it once
    leads = [
        p
        for p in answered
        if not p.decision.chose_sentence
        and normalize(p.answer) != normalize(" ".join(p.evidence[g].text for g in p.decision.grounds))
    ]
    lead_text = "; ".join(dict.fromkeys(p.answer for p in leads))
    lead_grounds = tuple(dict.fromkeys(g for p in leads for g in grounds[id(p)]))
    claims = [Claim(lead_text, lead_grounds)] if leads else []
    # A part left unanswered is said at once, beside the answered ones: "Ashok Kumar" alone
    # reads as the answer to "Who is the ambassador, and who chairs the trade council?".
    claims += [Claim(not_said(p.question), ()) for p in parts if not p.decision.answered]
    claims += [
        Claim(shown[g].text, (g,), quoted=True) for g in dict.fromkeys(g for p in answered for g in grounds[id(p)])
    ]
    for p in answered:
        if p.disagrees is not None:
            # both sources quoted, the person judges: a silent pick of one is a coin toss
            claims += [Claim(DISAGREEMENT, ()), Claim(p.disagrees.text, (shown.index(p.disagrees),), quoted=True)]
            answer.warnings.append(f"the sources may disagree about: {p.question}")
    answer.text, answer.citations = render(claims, shown)
    if extractive:
        answer.text = f"{EXTRACTIVE_LEAD_IN} {answer.text}"
    answer.answered = True


def _interleave(lists: list[list[Evidence]]) -> list[Evidence]:
    """First of each, then second of each…, once each: every part gets its best in early."""
    out: list[Evidence] = []
    for rank in range(max((len(x) for x in lists), default=0)):
        out += [x[rank] for x in lists if rank < len(x) and x[rank] not in out]
    return out


def not_in_articles(question: str, evidence: list[Evidence], closest_quotes: int = 2) -> tuple[str, list[Citation]]:
    """ "The articles do not say who …", then the closest sentences they hold, quoted."""
    said = not_said(question)
    closest = evidence[:closest_quotes]
    if not closest:
        return said, []
    quotes, citations = render([Claim(ev.text, (i,), quoted=True) for i, ev in enumerate(closest)], closest)
    return f"{said} The closest they come: {quotes}", citations


def _baseline(answer: Answer, generator: TextGenerator, settings: Settings) -> Iterator[Event]:
    """Plain retrieve-and-generate: whole passages in, the model's words out, unchecked."""
    messages = baseline_messages(answer.question, answer.passages)
    while len(answer.passages) > 1 and generator.prompt_tokens(messages) > generator.context_size - settings.max_tokens:
        answer.passages.pop()
        messages = baseline_messages(answer.question, answer.passages)
    reply = yield from _generate(generator, messages, settings, answer)
    answer.text = reply.strip()
    answer.answered = bool(answer.text) and not parse_reply(answer.text, len(answer.passages)).refused
    answer.citations = passage_citations(answer.text, answer.passages)


def ask(
    question: str,
    corpus: str | Path | None = None,
    index_dir: str | Path | None = None,
    model: str | Path | None = None,
    k: int | None = None,
    history: list[Any] | None = None,
    as_of: str | date | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> Answer:
    """Answer a question from the corpus, with citations; see README for the fields."""
    settings = (settings or Settings.from_env()).replace(
        corpus=corpus, index_dir=index_dir, model=model, k=k, **overrides
    )
    answer = None
    for kind, value in ask_events(question, settings, history, as_of):
        if kind == "answer":
            answer = value
    assert answer is not None
    return answer


def retrieve(
    question: str,
    k: int = 5,
    corpus: str | Path | None = None,
    index_dir: str | Path | None = None,
    history: list[Any] | None = None,
    as_of: str | date | None = None,
    settings: Settings | None = None,
) -> list[Passage]:
    """The best passages for a question, best first; no generation."""
    settings = (settings or Settings.from_env()).replace(corpus=corpus, index_dir=index_dir, k=k)
    question = standalone_question(clean_question(question, settings.max_question_chars), history)
    return search(get_index(settings), question, settings, as_of=as_of_day(as_of))
