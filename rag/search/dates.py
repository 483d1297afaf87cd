"""Dates: the period a question asks about ("this week", "in March", "in 2015"), read
relative to the day it is asked, so that retrieval can prefer articles from that period."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import InputError
from ..text.vocabulary import MONTH_NAMES

_MONTHS = {name: n for n, name in enumerate(MONTH_NAMES, 1)}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))

_RELATIVE = {
    "today": (0, 0),
    "tonight": (0, 0),
    "yesterday": (1, 1),
    "this week": (7, 0),
    "this past week": (7, 0),
    "past week": (7, 0),
    "last week": (14, 0),
    "this weekend": (3, 0),
    "last weekend": (9, 0),
    "recently": (14, 0),
    "this month": (31, 0),
    "past month": (31, 0),
    "last month": (62, 0),
    "this year": (366, 0),
    "past year": (366, 0),
    "last year": (731, 0),
}
_RELATIVE_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _RELATIVE), key=len, reverse=True)) + r")\b", re.I)
# A month counts when a day or year follows it or a preposition precedes it ("march" and
# "may" are verbs too).
_MONTH_DAY_YEAR = re.compile(
    rf"(\b(?:in|on|during|since|by|of|early|late|mid|last|this)\s+)?\b({_MONTH})\b"
    r"(?:\s+(\d{1,2})(?:st|nd|rd|th)?\b)?,?(?:\s+((?:19|20)\d\d)\b)?",
    re.I,
)
_YEAR = re.compile(r"\b(?:in|during|of|since|by)\s+((?:19|20)\d\d)\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_SLASHED = re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")


@dataclass(frozen=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    def contains(self, day: str | None) -> bool:
        parsed = parse_day(day) if day else None
        return parsed is not None and self.start <= parsed <= self.end


def parse_day(text: str | date | None) -> date | None:
    """A day from "2022-06-16", "2022/06/16" or a date; None for anything else."""
    if text is None or isinstance(text, date):
        return text
    m = _ISO.fullmatch(text.strip()) or _SLASHED.fullmatch(text.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def as_of_day(value: str | date | None) -> date | None:
    """The user's as_of, checked: a clear error rather than a silently ignored typo."""
    if value is None or value == "":
        return None
    day = parse_day(value)
    if day is None:
        raise InputError(f"as_of must be a day like 2022-06-16, got {value!r}")
    return day


def recent_period(today: date) -> Period:
    """What "recently" means: the two weeks up to today."""
    back, until = _RELATIVE["recently"]
    return Period(today - timedelta(days=back), today - timedelta(days=until))


def question_period(question: str, today: date, newest: date | None = None) -> Period | None:
    """The period a question names, relative to `today` (the day it is asked). `newest`, the
    newest article's day: "in November", asked of articles that end in 2025, is November 2025."""
    relative = _relative_period(question, today)
    if relative:
        return relative
    for m in _MONTH_DAY_YEAR.finditer(question):
        preposition, word, day_number, year_number = m.groups()
        if not (preposition or day_number or year_number):
            continue
        month = _MONTHS[word.lower()]
        # A month without a year is its latest occurrence up to today that the articles cover.
        latest = min(today, newest) if newest else today
        year = int(year_number) if year_number else (latest.year if month <= latest.month else latest.year - 1)
        if day_number and 1 <= int(day_number) <= calendar.monthrange(year, month)[1]:
            day = date(year, month, int(day_number))
            # News about a day is published on it or within the following days.
            return Period(day, day + timedelta(days=3))
        return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    named_year = _YEAR.search(question)
    if named_year:
        year = int(named_year[1])
        return Period(date(year, 1, 1), date(year, 12, 31))
    return None


def _relative_period(question: str, today: date) -> Period | None:
    m = _RELATIVE_RE.search(question)
    if not m:
        return None
    back, until = _RELATIVE[m[1].lower()]
    return Period(today - timedelta(days=back), today - timedelta(days=until))


def publication_period(question: str, as_of: date | None) -> Period | None:
    """When the articles that answer a question about the news were published: the relative
    period it names ("this week", as of `as_of` or today), or, asked as of a day and naming
    none, the two weeks up to that day. A named month or year ("in 1985") is when something
    happened, which an article of any later day may tell: None."""
    today = as_of or date.today()
    relative = _relative_period(question, today)
    if relative or as_of is None or question_period(question, today):
        return relative
    return recent_period(as_of)
