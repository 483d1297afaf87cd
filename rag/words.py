"""Word-level helpers shared by evidence selection, verification and evaluation."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "according",
        "per",
        "via",
        "us",
        "many",
        "much",
        "tell",
        "told",
        "give",
        "given",
        "name",
        "named",
        "list",
        "mention",
        "mentioned",
        "describe",
        "described",
    ]
)
_WORD = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d")
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")


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
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (stopwords dropped)."""
    return {stem(w) for w in words(text) if w.lower() not in STOPWORDS}


def is_number(word: str) -> bool:
    return bool(_NUMBER.search(word))


def numbers(text: str) -> set[str]:
    """Numbers as written, thousands separators dropped: "12,000" -> "12000", "11-13" -> 11, 13."""
    return {m.replace(",", "").rstrip(".") for m in _NUMBERS.findall(text)}


def key_terms(text: str) -> set[str]:
    """Numbers and capitalized names in a text: the facts an answer must not invent.
    The first word of a sentence is capitalized by grammar, not because it is a name."""
    terms = numbers(text)
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        for i, token in enumerate(words(sentence)):
            if is_number(token):
                continue
            for part in token.split("-"):
                if part[:1].isupper() and (i > 0 or part.isupper()) and part.lower() not in STOPWORDS:
                    terms.add(stem(part))
    terms.discard("")
    return terms


def term_in(term: str, stems: set[str]) -> bool:
    """A key term is present if found exactly, or (for names) as the same word in another form:
    "Indian" in a text that says "India", "Chinese" where it says "China"."""
    if term in stems or term.isdigit() or _NUMBER.search(term):
        return term in stems
    for other in stems:
        shared = len(os.path.commonprefix([term, other]))
        if shared >= 4 and shared >= 0.6 * max(len(term), len(other)):
            return True
    return False
