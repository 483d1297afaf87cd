"""Conversation: a follow-up ("When did he visit?") rewritten into a question that stands
alone ("When did Lukashenko visit?") from the earlier turns, before anything is retrieved."""

from __future__ import annotations

import re
from typing import Any

from ..text.vocabulary import POSSESSIVES, QUESTION_WORDS, STOPWORDS
from ..text.words import words

# Pronouns that point back at the topic of the previous question.
_PRONOUN = re.compile(r"\b(he|she|it|they|him|her|them|his|hers|its|their|theirs)\b", re.I)
_ELLIPSIS = re.compile(r"^\s*(and|what about|how about|also|then)\b", re.I)


def user_turns(history: list[Any] | None) -> list[str]:
    """The user's questions from a chat history: [{"role", "content"}] or [(user, bot)] pairs."""
    turns = []
    for turn in history or []:
        if isinstance(turn, dict) and turn.get("role") == "user":
            text = _text_of(turn.get("content"))
            if text:
                turns.append(text)
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            turns.append(turn[0])
    return turns


def _text_of(content: Any) -> str:
    """Message content as text: a string, or (newer Gradio) a list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def name_phrases(text: str) -> list[str]:
    """Runs of capitalized words, in order ("Alexander Lukashenko", "Minsk"); a possessive
    name takes the noun it owns ("India's ambassador"). The text's first word is capitalized
    by grammar, so it starts a name only when a capital follows."""
    tokens = words(text)
    bare = [re.sub(r"[’']s$", "", t) for t in tokens]

    def is_name(i: int) -> bool:
        word = bare[i]
        return word[:1].isupper() and word.lower() not in STOPWORDS and word.lower() not in QUESTION_WORDS

    phrases: list[str] = []
    i = 0 if len(tokens) > 1 and is_name(1) else 1
    while i < len(tokens):
        if not is_name(i):
            i += 1
            continue
        run = [tokens[i]]
        i += 1
        while i < len(tokens) and (is_name(i) or (run[-1] != bare[i - 1] and bare[i].lower() not in STOPWORDS)):
            run.append(tokens[i])
            i += 1
        phrases.append(re.sub(r"[’']s$", "", " ".join(run)))
    return list(dict.fromkeys(phrases))


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w.lower() not in STOPWORDS and w.lower() not in QUESTION_WORDS]


def is_elliptical(question: str) -> bool:
    """ "And in 2015?", "Where?": a fragment that only makes sense after the previous question."""
    return bool(_ELLIPSIS.match(question)) or (len(question.split()) <= 3 and not name_phrases(question))


def is_follow_up(question: str) -> bool:
    return bool(_PRONOUN.search(question)) or is_elliptical(question)


def rewrite(question: str, previous: str) -> str:
    """`question` made to stand alone, given the (already standalone) previous question."""
    if not previous or not is_follow_up(question):
        return question
    names = name_phrases(previous)
    pronoun = _PRONOUN.search(question)
    if pronoun and name_phrases(question[: pronoun.start()]):
        return question  # "Did Modi say he…": the pronoun points at the question's own name
    if names and pronoun and not _ELLIPSIS.match(question):
        topic = names[0]

        def replace(m: re.Match[str]) -> str:
            return f"{topic}'s" if m.group().lower() in POSSESSIVES and m.group().lower() != "her" else topic

        return _PRONOUN.sub(replace, question, count=1)
    if is_elliptical(question):
        # "And in 2015?" keeps the previous question's subject: search both together.
        return f"{previous.rstrip()} {_ELLIPSIS.sub('', question).strip()}"
    context = [w for w in content_words(previous) if w.lower() not in question.lower()]
    return f"{question.rstrip()} ({' '.join(context)})" if context else question


def standalone_question(question: str, history: list[Any] | None) -> str:
    """Rewrite each earlier user turn in order, so that a chain of follow-ups keeps its topic."""
    previous = ""
    for turn in user_turns(history):
        previous = rewrite(" ".join(turn.split()), previous)
    return rewrite(question, previous)


# "…, and which organisation's defence ministers met in Qingdao?": a second question joined on.
_PART_BREAK = re.compile(
    r",?\s+and\s+(?=(?:(?:in|at|on|with|for|from|to|by|since|until)\s+)?(?:which|who|whom|whose|what|when|where|how)\b)",
    re.I,
)
MAX_PARTS = 3
MIN_PART_WORDS = 3


def question_parts(question: str) -> list[str]:
    """The questions a compound question asks, each searched and answered on its own: the two
    halves of "Who led the delegation, and when did Aleinik visit?" are often in different
    articles. A question that is not compound comes back whole."""
    parts = [p.strip(" ,;") for p in _PART_BREAK.split(question)]
    parts = [p[0].upper() + p[1:].rstrip("?").strip() + "?" for p in parts if p.strip(" ,;?")]
    if not 1 < len(parts) <= MAX_PARTS or any(len(words(p)) < MIN_PART_WORDS for p in parts):
        return [question]
    # each part is a question of its own: "a deal between India and which union…" is one question
    if any(words(p)[0].lower() not in QUESTION_WORDS | {"name", "in", "on", "at", "for"} for p in parts):
        return [question]
    return parts
