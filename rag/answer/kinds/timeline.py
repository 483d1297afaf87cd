"""Timeline: the dated events the articles tell, in order, each with its date and citation.

The reader numbers the sentences that tell the events asked about, chosen among the evidence
sentences that carry a date. Each event is placed by the date its sentence writes; a day
without a year ("On November 4"), a weekday ("on Tuesday") or "yesterday" is read against the
article's own date and says so; an event whose date cannot be read is not placed."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from ...search.dates import parse_day
from ...search.retrieval import term_weights
from ...text.vocabulary import MONTH_NAMES
from .shape import (
    Event,
    Found,
    Turn,
    about,
    cited_numbers,
    compose,
    compose_refusal,
    covered,
    gather,
    not_said,
    read,
    refused,
    scope,
)

INSTRUCTION = (
    "Reply with the numbers of the sentences that tell the events asked about, each number in brackets. "
    "If none does, reply NOT FOUND."
)
MAX_EVENTS = 8
EVENTS_SHOWN = 10  # dated sentences the reader chooses the events from
TOPIC_SHARE = (
    0.75  # of the topic's words the evidence must hold: dated events of a neighbouring topic are not its timeline
)
EVENT_SHARE = 0.34  # of the topic's words (rare ones weighing more) an event's sentence or the one before must hold
# an event this much about the topic is on the timeline whether the reader numbered it or not:
# the small reader numbers two or three of eight events
STRONG_SHARE = 0.6
DATED_BONUS = 0.3  # a sentence that writes a date is an event a timeline can place
_MONTHS = {name: n for n, name in enumerate(MONTH_NAMES, 1)}
_MONTHS.update({name[:3]: n for name, n in list(_MONTHS.items())})
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*\d{{1,2}})?\s+({_MONTH})\.?(?:,?\s+((?:19|20)\d\d))?\b", re.I
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*\d{{1,2}})?(?:,?\s+((?:19|20)\d\d))?\b", re.I
)
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\.?,?\s+((?:19|20)\d\d)\b", re.I)
_DECADE = re.compile(r"\b(?:the\s+)?((?:19|20)\d0)s\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?:on|last|this)\s+(" + "|".join(_WEEKDAYS) + r")\b", re.I)
# "today" is left out: "today's meeting" in a quote is rarely an event to place
_RELATIVE = re.compile(r"\b(yesterday|this week|last week)\b", re.I)


@dataclass(frozen=True)
class When:
    key: tuple[int, int, int]  # year, month, day (0: not known), for ordering
    label: str


def when(sentence: str, published: str | None) -> When | None:
    """The date an event's sentence writes, read against its article's date where it must be.
    The label is the date as the sentence writes it; a date the article's day completes (a day
    without its year, a weekday, "yesterday") says which article's day: "on Tuesday (article of
    2025-11-06)"."""
    article_day = parse_day(published) if published else None
    of_article = f" (article of {article_day.isoformat()})" if article_day else ""
    for pattern, day_group, month_group, year_group in ((_MONTH_DAY_YEAR, 2, 1, 3), (_DAY_MONTH_YEAR, 1, 2, 3)):
        m = pattern.search(sentence)
        if not m:
            continue
        month, day_number = _MONTHS[m.group(month_group).lower()], int(m.group(day_group))
        year = int(m.group(year_group)) if m.group(year_group) else None
        written = m.group(0).strip()
        if year is None:
            if article_day is None:
                continue
            year = article_day.year if month <= article_day.month else article_day.year - 1
            written += of_article
        if 1 <= day_number <= calendar.monthrange(year, month)[1]:
            return When((year, month, day_number), written)
    m = _MONTH_YEAR.search(sentence)
    if m:
        return When((int(m.group(2)), _MONTHS[m.group(1).lower()], 0), m.group(0).strip())
    m = _DECADE.search(sentence)
    if m:
        return When((int(m.group(1)), 0, 0), f"the {m.group(1)}s")
    m = _YEAR.search(sentence)
    if m:
        return When((int(m.group(1)), 0, 0), m.group(1))
    if article_day is None:
        return None
    m = _WEEKDAY.search(sentence)
    if m:
        back = (article_day.weekday() - _WEEKDAYS.index(m.group(1).lower())) % 7
        day = article_day - timedelta(days=back)
        return When((day.year, day.month, day.day), f"{m.group(0).strip()}{of_article}")
    m = _RELATIVE.search(sentence)
    if m:
        day = article_day - timedelta(days=1 if m.group(1).lower() == "yesterday" else 0)
        return When((day.year, day.month, day.day), f"{m.group(1)}{of_article}")
    return None


def dated(sentence: str) -> float:
    """A bonus for a sentence that writes a date (the article's own date is not asked here)."""
    return DATED_BONUS if when(sentence, None) is not None else 0.0


def answer(turn: Turn) -> Iterator[Event]:
    passages, topic = scope(turn)
    evidence = gather(turn, topic, passages, sentences=EVENTS_SHOWN, words=260, prefer=dated)
    dated_evidence = [(ev, when(ev.text, ev.passage.date)) for ev in evidence]
    events = [ev for ev, w in dated_evidence if w is not None]
    dates = {id(ev): w for ev, w in dated_evidence if w is not None}
    said = not_said(turn.question)
    # in the article the question names, the person said where to look: each event is still
    # checked for being about the topic, but the article need not hold every word of it
    one_article = passages is not turn.passages
    if events and not one_article and not covered(topic, evidence, TOPIC_SHARE):
        compose_refusal(turn, said, evidence, "not verified: the evidence does not speak of what was asked")
        return
    if not events:
        compose_refusal(turn, said, evidence, "no dated evidence")
        return
    yield ("status", "reading")
    reply = "".join(read(turn, events, INSTRUCTION, max_tokens=30)).strip()
    turn.answer.reply = reply
    chosen = cited_numbers(reply, len(events))[:MAX_EVENTS]
    if refused(reply) or not chosen:
        compose_refusal(turn, said, events, "the reader found no answer")
        return
    # an event of another story, however well dated, is not on this timeline
    # across the articles rare words weigh more (an event of the Patriot Front arrests is not one
    # of its founder's trial); in the article named, where to look is known and every word counts
    weights = None if one_article else term_weights(turn.index)
    share = [about(f"{ev.context} {ev.text}", topic, weights) for ev in events]
    chosen = [i for i in chosen if share[i] >= EVENT_SHARE]
    strong = sorted((i for i in range(len(events)) if share[i] >= STRONG_SHARE), key=lambda i: -share[i])
    chosen = [*chosen, *(i for i in strong if i not in chosen)][:MAX_EVENTS] if chosen else []
    if not chosen:
        compose_refusal(turn, said, events, "not verified: no event chosen is about what was asked")
        return
    chosen.sort(key=lambda i: (dates[id(events[i])].key, events[i].start))
    yield from compose(
        turn, events, (Found(events[i].text, (i,), label=dates[id(events[i])].label, quoted=True) for i in chosen)
    )
