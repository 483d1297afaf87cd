"""Word-level helpers shared by evidence selection, verification and evaluation (the word lists
they use are data, in vocabulary.py)."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

from .vocabulary import (
    ADJECTIVES,
    BE_HAVE_AUXILIARIES,
    DATE_WORDS,
    DETERMINERS,
    DO_AUXILIARIES,
    IRREGULAR_PAST,
    MODAL_AUXILIARIES,
    MONTH_NAMES,
    PARTICIPLE_ENDINGS,
    PAST_OF,
    SEQUENCE_WORDS,
    STOPWORDS,
    VERB_ADVERBS,
    WH_WORDS,
)

_WORD = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d")
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")
_CALENDAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)s?\b|\b\d{1,2}(st|nd|rd|th)\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")


def normalize(text: str) -> str:
    """Lowercase, accents and punctuation folded: the form answers are compared in."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[’‘`]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    text = re.sub(r"[–—‐-]", "-", text)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    word = re.sub(r"'s$", "", word.lower().replace("’", "'")).strip(".'-") or word.lower()
    return _stemmer().stemWord(IRREGULAR_PAST.get(word, word))


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (stopwords dropped); a hyphenated word also
    gives its parts, so "High-level" contains "high"."""
    stems = set()
    for w in words(text):
        for part in {w, *w.split("-")} if "-" in w else (w,):
            if part and part.lower() not in STOPWORDS:
                stems.add(stem(part))
    return stems


def content_units(text: str) -> list[frozenset[str]]:
    """Each distinct content word as the set of stems it may be found by: a hyphenated word is
    one word found by itself or any of its parts ("high-level" by "level"), not three words."""
    units: dict[frozenset[str], None] = {}
    for w in words(text):
        parts = {w, *w.split("-")} if "-" in w else {w}
        stems = frozenset(stem(part) for part in parts if part and part.lower() not in STOPWORDS)
        if stems:
            units[stems] = None
    return list(units)


def is_number(word: str) -> bool:
    return bool(_NUMBER.search(word))


def numbers(text: str) -> set[str]:
    """Numbers as written, thousands separators dropped: "12,000" -> "12000", "11-13" -> 11, 13."""
    return {m.replace(",", "").rstrip(".") for m in _NUMBERS.findall(text)}


def key_terms(text: str, sentence_starts: bool = False) -> set[str]:
    """Numbers and capitalized names in a text: the facts an answer must not invent.
    The first word of a sentence is capitalized by grammar, so it counts only when
    sentence_starts is set (for checking an answer, where "Bismarck's position…" must not pass)."""
    terms = numbers(text)
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        for i, token in enumerate(words(sentence)):
            if is_number(token):
                continue
            for part in token.split("-"):
                initial_ok = i > 0 or part.isupper() or sentence_starts
                if part[:1].isupper() and initial_ok and part.lower() not in STOPWORDS:
                    terms.add(stem(part))
    terms.discard("")
    return terms


def sequence_words(text: str) -> set[str]:
    return {w.lower() for w in words(text)} & SEQUENCE_WORDS


def mentioned(text: str) -> set[str]:
    """Everything a text can be said to mention: its content stems, names and numbers."""
    return content_stems(text) | key_terms(text)


def term_in(term: str, stems: set[str]) -> bool:
    """A key term is present if found exactly, or (for names) as the same word in another form:
    "Indian" in a text that says "India", "Chinese" where it says "China"."""
    if term in stems:
        return True
    if _NUMBER.search(term):
        return False  # numbers match exactly
    for other in stems:
        shared = len(os.path.commonprefix([term, other]))  # noqa: RUF071 (characters are meant)
        if shared >= 4 and shared >= 0.6 * max(len(term), len(other)):
            return True
    return False


# ------------------------------------------------------------------ expected answer types

_TYPE_PATTERNS = [
    ("date", re.compile(r"^\s*(when\b|what (year|date|day|month|time)\b|(in|on|by|since) (what|which) (year|date|day|month)\b|which (year|date|day|month)\b)", re.I)),
    ("number", re.compile(r"\b(how (many|much|long|far|old|big|large)|what (percentage|percent|number|amount|share|volume|value|rate))\b|^\s*where\b.*\brank(ed|s)?\b", re.I)),
    ("place", re.compile(r"^\s*where\b|\b(which|what) (country|city|town|place|region|venue|capital)\b", re.I)),
    ("name", re.compile(r"^\s*(who|whom|whose)\b|\bwhat('s| is| was) (the )?name\b|\b(which|what) (person|minister|official|leader|ambassador|president|organi[sz]ation|company|bloc|festival|platform)\b", re.I)),
]  # fmt: skip
_DATE_STEMS = frozenset(stem(m) for m in DATE_WORDS)
_PLACE = re.compile(r"\b(?:in|at|to|from|near|inside|outside)\s+(?:the\s+)?([A-Z][\w’'-]+)")
_DEMONYM = re.compile(r"(ian|ese|ish|ean)$")


def answer_type(question: str) -> str | None:
    """What kind of fact the question asks for: "date", "number", "place", "name", or None."""
    for kind, pattern in _TYPE_PATTERNS:
        if pattern.search(question):
            return kind
    return None


def has_answer_type(text: str, kind: str | None, question: str, fragment: bool = False) -> bool:
    """Whether text holds a fact of the asked kind that the question itself does not state.
    A fragment (a short answer, not a sentence) is read as one: its first word is capitalized
    because it is a name ("Kampala", "Khrenin"), not by grammar, and a bare name answers where."""
    if kind is None:
        return True
    asked = mentioned(question)
    if kind == "date":
        return (
            bool({w.lower() for w in words(text)} & DATE_WORDS - asked)
            or any(len(n) == 4 and n.isdigit() and n not in asked for n in numbers(text))
            or bool(numbers(text) - asked and re.search(r"\b\d{1,2}(st|nd|rd|th)?\b", text))
        )
    if kind == "number":
        return bool(numbers(text) - asked) or bool(
            re.search(
                r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half|double|doubled|tripled)\b",
                text,
                re.I,
            )
        )
    if kind == "place":
        # "in Minsk", "at the Palace of Independence": a preposition of place before a name.
        places = {stem(m[1]) for m in _PLACE.finditer(text)}
        if any(not term_in(p, asked) for p in places):
            return True
        if not fragment:
            return False
        # a fragment's bare name ("Kampala") is the place: read as a name below
    # "On March 11-13" names no one: month and day names are capitalized, but they are dates.
    names = {t for t in key_terms(text, sentence_starts=fragment) if not t.isdigit()} - asked - _DATE_STEMS
    return any(not _DEMONYM.search(t) and not term_in(t, asked) for t in names)


def names_a_date(text: str) -> bool:
    """Whether text places something in the calendar — a month, a year, a dated day — rather
    than only naming a weekday or a day relative to the article ("On Tuesday", "yesterday"),
    which dates nothing for a reader who does not know the article's week."""
    return bool(_CALENDAR.search(text)) or any(w.lower() in MONTH_NAMES for w in words(text))


# ------------------------------------------------------------------ questions as clauses


def indirect_question(question: str) -> str | None:
    """The question as a clause a sentence can hold: "Where did MTZ sign the deal?" -> "where MTZ
    signed the deal", "When was the bridge opened?" -> "when the bridge was opened", "Who is the
    mayor?" -> "who the mayor is". None when the question is not a wh-question this can turn."""
    tokens = question.strip().rstrip("?.! ").split()
    # "what's the festival" is "what is the festival"
    if tokens and tokens[0].lower().endswith(("'s", "’s")) and tokens[0].lower()[:-2] in WH_WORDS:
        tokens = [tokens[0][:-2], "is", *tokens[1:]]
    # "In which years did …": the preposition stays with its wh-phrase
    lead = 1 if len(tokens) > 1 and tokens[0].lower() in _PREPOSITIONS and tokens[1].lower() in WH_WORDS else 0
    if len(tokens) <= lead or tokens[lead].lower() not in WH_WORDS:
        return None
    lowered = [t.lower() for t in tokens]
    prefix, tokens, lowered = lowered[:lead], tokens[lead:], lowered[lead:]
    aux_at = next((i for i in range(1, len(tokens)) if lowered[i] in _AUXILIARIES), None)
    if aux_at is None:  # "Who won the vote?": the wh-word is the subject, nothing inverts
        return " ".join([*prefix, lowered[0], *tokens[1:]])
    wh, aux, rest = [*prefix, lowered[0], *tokens[1:aux_at]], lowered[aux_at], tokens[aux_at + 1 :]
    if not rest:
        return " ".join([*wh, aux])
    if aux in DO_AUXILIARIES or aux in MODAL_AUXILIARIES:
        end = _subject_end(rest)
        if end == 0 and len(rest) > 1 and not _verb_like(rest[0]):
            # a subject in lower case ("did lukashenko meet") is a word, or words joined by "and"
            end = 1
            while end + 2 < len(rest) and rest[end].lower() == "and":
                end += 2
        subject_end = end
        while subject_end > 1 and rest[subject_end - 1].lower() in VERB_ADVERBS:
            subject_end -= 1  # a subject's end found past an adverb ("the Community not")
        while end + 1 < len(rest) and rest[end].lower() in VERB_ADVERBS:
            end += 1  # "Modi first visit": the adverb stays before the verb
        if end == 0 or end >= len(rest) or not rest[end].isalpha() or not rest[end].islower():
            return None
        if "not" in (t.lower() for t in rest[subject_end:end]):  # "why India did not sign"
            return " ".join([*wh, *rest[:subject_end], aux, *rest[subject_end:]])
        verb = rest[end]
        if aux == "did":
            verb = _past(verb)
        elif aux == "does":
            verb = "has" if verb == "have" else verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "o")) else "s")
        elif aux in MODAL_AUXILIARIES:
            verb = f"{aux} {verb}"
        return " ".join([*wh, *rest[:end], verb, *rest[end + 1 :]])
    if _verb_like(rest[0]):  # "who was elected", "how many were killed": the wh-phrase is the subject
        return " ".join([*wh, aux, *rest])
    later = next((i for i in range(1, len(rest)) if _verb_like(rest[i])), None)
    if later is not None:
        # "the festival where films get shown", "the minister the delegation consulted": the
        # verb is a relative clause's, not the question's
        if any(t.lower() in WH_WORDS | {"that"} for t in rest[:later]) or any(
            rest[i].lower() in DETERMINERS and rest[i - 1].lower() not in _PHRASE_LINKS for i in range(1, later)
        ):
            return None
        return " ".join([*wh, *rest[:later], aux, *rest[later:]])
    if rest[-1].lower() in _PHRASE_LINKS:
        # "what goods is India keen on": the auxiliary follows the subject, not the preposition
        end = _subject_end(rest)
        return " ".join([*wh, *rest[:end], aux, *rest[end:]]) if 0 < end < len(rest) else None
    return " ".join([*wh, *rest, aux])


_AUXILIARIES = DO_AUXILIARIES | BE_HAVE_AUXILIARIES | MODAL_AUXILIARIES
_PREPOSITIONS = frozenset({"in", "on", "at", "by", "for", "from", "to", "with", "since", "until", "during", "against"})
# Prepositions and conjunctions: a determiner after one continues the phrase ("the bridge over
# the river"); one ending a question ends its predicate ("what is India keen on").
_PHRASE_LINKS = _PREPOSITIONS | {
    "of", "about", "over", "under", "near", "across", "into", "onto", "after", "before", "between",
    "through", "behind", "beside", "among", "around", "and", "or",
}  # fmt: skip


def _subject_end(tokens: list[str]) -> int:
    """Where the subject after an inverted auxiliary ends: names, numbers, determiners and
    possessives, and one common noun after a determiner ("the delegation", "India's team")."""
    i, needs_noun = 0, False
    while i < len(tokens):
        token = tokens[i]
        if token.lower() in DETERMINERS or token.endswith(("'s", "’s")):
            needs_noun = True
        elif _in_subject(token, needs_noun, tokens[i + 1] if i + 1 < len(tokens) else ""):
            pass
        elif needs_noun:
            needs_noun = False
        else:
            break
        i += 1
    return i


def _in_subject(token: str, needs_noun: bool, following: str) -> bool:
    """A name, a number, an adjective before the noun, or the "and" between two names."""
    lowered = token.lower()
    return (
        token[:1].isupper()
        or token[:1].isdigit()
        or (needs_noun and lowered in ADJECTIVES)
        or (lowered == "and" and following[:1].isupper())
    )


def _verb_like(token: str) -> bool:
    lowered = token.lower()
    return (
        lowered in {"be", "been", "being"}
        or lowered in IRREGULAR_PAST
        or (token.islower() and lowered.endswith(PARTICIPLE_ENDINGS) and len(lowered) > 4)
    )


def _past(verb: str) -> str:
    if verb in PAST_OF:
        return PAST_OF[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"
