"""Verify: what the reader said must stand in the sentence it cites; then render the reply.

A short answer is kept only when every name, number and date in it is written in its sentence,
most of its other words are too, it adds something the question does not already say, and it
is of the kind asked (a date for "when", a number for "how many"). A reader that numbers the
wrong sentence is not punished for it: the answer rests on the evidence sentence that holds it.
These checks only ever remove an answer; they never invent or choose one (decide.py decides)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..schema import Citation, Claim, Evidence, page_at
from ..text.vocabulary import DATE_WORDS, NUMBER_WORDS, STOPWORDS
from ..text.words import answer_type, content_stems, normalize, numbers, stem, words
from .grounding import DEFAULT_POLICY, GroundingPolicy, as_written, same_sequence
from .reader import Reading

_DIGIT = re.compile(r"\d")
_TIME_WORDS = frozenset({"century", "centuries", "decade", "decades", "year", "years", "ago", "era", "age", "period"})
_TIME_WORDS |= frozenset({"morning", "evening", "night", "noon", "midnight", "afternoon", "week", "weeks", "month"})
_TIME_WORDS |= frozenset({"days", "day", "season", "spring", "summer", "autumn", "fall", "winter", "dynasty"})


@dataclass(frozen=True)
class Checked:
    """What verification found: the evidence position the answer rests on (None when no
    sentence holds it) and every problem, in words (empty: verified)."""

    grounds: tuple[int, ...]  # every sentence the answer rests on (one per piece), first first
    problems: tuple[str, ...]

    @property
    def ground(self) -> int | None:
        return self.grounds[0] if self.grounds else None

    @property
    def verified(self) -> bool:
        return self.ground is not None and not self.problems


def holds(sentence: str, answer: str, policy: GroundingPolicy = DEFAULT_POLICY) -> bool:
    """The sentence states the answer: its names, numbers and dates as written, and most of its
    other words (by stem: "signed" answers with "sign" are the reader's grammar, not a new fact)."""
    written = as_written(sentence)
    facts = as_written(" ".join(_facts(answer))) - STOPWORDS
    if not facts <= written:
        return False
    stems = content_stems(answer)
    if not stems:
        return bool(as_written(answer) & written)
    found = content_stems(sentence)
    return sum(s in found for s in stems) >= policy.min_content_support * len(stems)


def _facts(answer: str) -> list[str]:
    """The words of an answer that state facts: numbers and capitalized words (names, dates)."""
    return [w for w in words(answer) if any(ch.isdigit() for ch in w) or w[:1].isupper()]


def adds_to_question(answer: str, question: str) -> bool:
    """The answer says something the question does not: "Hamdok" does not answer "Who did Hamdok
    meet?", nor "Heinz's personal secretary" "Who was Heinz's personal secretary?". Words of the
    question in another order may ("Prime ideals" answers "What type of ideals generalize prime
    elements?")."""
    said = normalize(answer)
    return bool(said) and f" {said} " not in f" {normalize(question)} "


def of_the_kind_asked(answer: str, question: str) -> bool:
    """A "when" answer places something in time and a "how many" answer counts; other kinds
    (who, where, what) are the reader's to judge: a rule on names would cap a better reader."""
    kind = answer_type(question)
    lowered = {w.lower() for w in words(answer)}
    if kind == "date":
        return bool(_DIGIT.search(answer) or lowered & (DATE_WORDS | _TIME_WORDS))
    if kind == "number":
        return bool(numbers(answer) or lowered & NUMBER_WORDS or {stem(w) for w in lowered} & {"percent", "doubl"})
    return True


def check(
    reading: Reading, evidence: list[Evidence], question: str, policy: GroundingPolicy = DEFAULT_POLICY
) -> Checked:
    """Verify a reader's answer against the evidence it was shown."""
    if reading.refused:
        return Checked((), ("the reader found no answer",))
    if reading.chose_sentence:
        return Checked((reading.cited[0],), ())
    grounds: list[int] = []
    for text, cited in reading.pieces or ((reading.answer, reading.cited),):
        order = [*cited, *(i for i in range(len(evidence)) if i not in cited)]
        found = next((i for i in order if holds(evidence[i].text, text, policy)), None)
        if found is None:
            grounds = []
            break
        grounds.append(found)
    ground = grounds[0] if grounds else None
    problems = []
    if ground is None:
        problems.append("no evidence sentence states it")
    if ground is not None and not same_sequence(question, evidence[ground]):
        # "the seventh round" is not answered from a sentence about the eighth. (Requiring the
        # question's names around the sentence too refused right answers of a perfect reader on
        # RGB: "Runners-up Argentina … 2014" never says "World Cup". That is left to the
        # calibrated check, which reads it as a signal.)
        problems.append("its sentence is about another one")
    if not adds_to_question(reading.answer, question):
        problems.append("it only repeats the question")
    if not of_the_kind_asked(reading.answer, question):
        problems.append(f"it is not a {answer_type(question)}")
    if len(reading.answer.split()) > policy.max_lead_words:
        problems.append("it is not a short answer")
    return Checked(tuple(dict.fromkeys(grounds)), tuple(problems))


def render(claims: list[Claim], evidence: list[Evidence]) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers numbered by first use, and the matching citations."""
    numbers_of: dict[int, int] = {}
    sentences = []
    for claim in claims:
        markers = []
        for i in claim.cited:
            numbers_of.setdefault(i, len(numbers_of) + 1)
            markers.append(f"[{numbers_of[i]}]")
        if claim.quoted:
            sentences.append(f"“{claim.text.strip()}” {''.join(markers)}".rstrip())
            continue
        body = claim.text.rstrip()
        if body.rstrip("”\"’'")[-1:] in ("?", "!", ".") and body[-1] in "”\"’'":
            # it ends in a quotation that ends its sentence ("… “Who is he?”"): no period after it
            sentences.append(f"{body} {''.join(markers)}".rstrip())
            continue
        end = body[-1] if body and body[-1] in ".!?:" else "."
        body = body.rstrip(".!?:")
        sentences.append(f"{body} {''.join(markers)}{end}" if markers else f"{body}{end}")
    citations = [citation(n, evidence[i]) for i, n in sorted(numbers_of.items(), key=lambda item: item[1])]
    return " ".join(sentences), citations


def citation(n: int, ev: Evidence) -> Citation:
    return Citation(
        n=n,
        source=ev.passage.source,
        chunk_id=ev.passage.chunk_id,
        quote=ev.text,
        start=ev.start,
        end=ev.end,
        score=ev.score,
        title=ev.passage.title,
        date=ev.passage.date,
        page=page_at(ev.passage.text, ev.start - ev.passage.start, ev.passage.page),
    )
