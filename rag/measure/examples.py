"""Starting questions for the chat: short questions a person would ask about the loaded
articles, offered only once the pipeline itself has answered them (a question it would refuse
is never shown). The seeds keep their written questions; any other corpus gets "Who is …?" and
"What is …?" questions read off the people, posts and things its articles name. Checked once
per corpus and model, remembered beside the index."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import RagError
from ..schema import Answer, Chunk
from ..settings import LOCATIONS, NOT_ANSWER_SHAPING, Settings
from ..text.vocabulary import CAPITALIZED_PRONOUNS, NOT_A_NAME

WRITTEN_FOR_SEEDS = [
    "Who is India's ambassador to Belarus?",
    "When were the India–Belarus Foreign Office Consultations held?",
    "What trade volume target did Lukashenko mention?",
]
SHOWN = 3
TRIED = 6  # at most this many questions are put to the pipeline (~1–2 s each)
CACHE_FILE = "examples.json"

# A post a person holds, as news writes it before or after their name.
_POST = (
    r"(?:President|Prime Minister|Vice President|Minister|Ambassador|Secretary|Chancellor|Governor|Senator|"
    r"Mayor|Chairman|Chairwoman|Chief Executive|CEO|Director|Commander|Coach|Captain|Spokesperson|Spokesman|"
    r"King|Queen|Speaker|Chief Justice|High Commissioner|Foreign Secretary|Attorney General)"
)
_FIELD = r"(?:Foreign|Defence|Defense|Finance|External Affairs|Health|Interior|Trade|Education|Deputy|Vice|Prime)"
_NATIONALITY = r"(?:[A-Z][a-z]+(?:ian|ean|ese|ish|an|i)|U\.S\.|US|UK|EU)"
_QUALIFIED = re.compile(rf"^{_NATIONALITY} | (?:of|to|for) ")
_PLACE = r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}"
_NAME = r"[A-Z][a-z]+(?: [A-Z]\.)?(?: [A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}"
# "Belarusian President Alexander Lukashenko", "Indian Ambassador to Belarus, Ashok Kumar"
_POST_THEN_NAME = re.compile(
    rf"\b(?P<post>(?:{_NATIONALITY} )?(?:{_FIELD} )?{_POST}(?: (?:of|to|for) (?:the )?{_PLACE})?),? (?P<name>{_NAME})\b"
)
# "Ashok Kumar, India's ambassador to Belarus," / "Jane Doe, the chief executive of Acme,"
_NAME_THEN_POST = re.compile(
    rf"\b(?P<name>{_NAME}), (?:the |a |an |{_PLACE}’s |{_PLACE}'s )?(?P<post>(?:[a-z]+ ){{0,2}}"
    rf"(?:{_POST.lower()}|{_POST})\b)"
)


# "GPT-4 is the successor to GPT-3." at a sentence's start: a subject worth asking about.
_DEFINITION = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<subject>(?:The )?[A-Z][\w’'-]*(?: (?:of |the |and )?[A-Z][\w’'-]*){0,3}) "
    r"(?P<verb>is|was) (?:a|an|the|one) "
)


def _person(name: str) -> bool:
    return not any(word.rstrip(".") in NOT_A_NAME for word in name.split())


def _article_questions(text: str) -> list[str]:
    posts, people, things = [], [], []
    for m in _POST_THEN_NAME.finditer(text):
        post = " ".join(m["post"].split())
        if not _person(m["name"]):
            continue  # "Director of the American Economic" + "Association": a post cut short
        if _QUALIFIED.search(post):
            posts.append(f"Who is the {post}?")  # qualified ("Indian Ambassador"), not a bare "President"
        people.append(m["name"])
    people += [m["name"] for m in _NAME_THEN_POST.finditer(text) if _person(m["name"])]
    # A name the article uses more than once; a headline's "Tim Cook Received" is not one.
    people = [f"Who is {name}?" for name in people if text.count(name) > 1]
    for m in _DEFINITION.finditer(text):
        subject = m["subject"]
        subject_words = subject.split()
        if subject_words[0] not in CAPITALIZED_PRONOUNS and len(set(subject_words)) == len(subject_words):
            subject = "the " + subject[4:] if subject.startswith("The ") else subject
            things.append(f"What {m['verb']} {subject}?")
    return list(dict.fromkeys(posts + people + things))


def candidate_questions(articles: Iterable[str]) -> list[str]:
    """Questions about the people, posts and things the articles' texts name, one per article
    in turn so that the examples cover different articles."""
    per_article = [_article_questions(text) for text in articles]
    ordered: list[str] = []
    for depth in range(max((len(q) for q in per_article), default=0)):
        ordered += [questions[depth] for questions in per_article if depth < len(questions)]
    return list(dict.fromkeys(ordered))


def article_texts(chunks: Iterable[Chunk]) -> dict[str, str]:
    """Each document's text put back together from its chunks, the overlap between
    neighbouring chunks taken once (else a name in an overlap would count as said twice)."""
    pieces: dict[str, list[str]] = {}
    covered: dict[str, int] = {}
    for chunk in sorted(chunks, key=lambda c: (c.source, c.start)):
        end = covered.get(chunk.source, chunk.start)
        if chunk.end > end:
            gap = "\n" if chunk.start > end else ""  # text no chunk holds (metadata lines) keeps words apart
            pieces.setdefault(chunk.source, []).append(gap + chunk.text[max(end - chunk.start, 0) :])
            covered[chunk.source] = chunk.end
    return {source: "".join(parts) for source, parts in pieces.items()}


def verified(
    questions: Iterable[str], answer: Callable[[str], Answer], shown: int = SHOWN, tried: int = TRIED
) -> list[str]:
    """The first questions the pipeline answers (never one it refuses)."""
    kept: list[str] = []
    for n, question in enumerate(questions):
        if len(kept) == shown or n == tried:
            break
        if answer(question).answered:
            kept.append(question)
    return kept


def cache_key(document_hashes: Iterable[str], answering: str) -> str:
    """Examples depend on the documents and on what answers (model, reader, settings)."""
    digest = hashlib.sha256(answering.encode("utf-8"))
    for sha in sorted(document_hashes):
        digest.update(sha.encode("ascii"))
    return digest.hexdigest()


def answering(settings: Settings, model: str, written: bool) -> str:
    """What answers, for the cache key: the model and the settings that shape answers, not
    where the articles lie (a copied or moved folder with its index keeps its examples)."""
    shaping = {
        f.name: str(getattr(settings, f.name))
        for f in dataclasses.fields(settings)
        if f.name not in NOT_ANSWER_SHAPING | LOCATIONS
    }
    return json.dumps({"model": model, "written_questions": written, **shaping}, sort_keys=True)


def read_cached(index_dir: Path, key: str | None) -> list[str] | None:
    """The examples checked before for this key (None: for whatever corpus and reader they were)."""
    try:
        data = json.loads((Path(index_dir) / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or key not in (None, data.get("key")) or not isinstance(data.get("examples"), list):
        return None
    return [q for q in data["examples"] if isinstance(q, str)]


def write_cached(index_dir: Path, key: str, examples: list[str]) -> None:
    """Atomically; a folder that cannot be written only costs checking them again next time."""
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=".examples-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"key": key, "examples": examples}, fh)
        os.replace(tmp, Path(index_dir) / CACHE_FILE)


def for_corpus(settings: Settings, log: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> list[str]:
    """Up to three questions about settings.corpus that the pipeline answers, newest
    articles first; [] when the corpus cannot be read or none is answered."""
    from ..answer.models import resolve_model
    from ..answering import ask
    from ..cache import get_index

    try:
        index = get_index(settings)
        model = settings.llm_url or resolve_model(settings.model, settings.models_dir).name
    except RagError:
        return []
    documents = index.documents
    written = Path(settings.corpus).resolve() == Path("seeds").resolve()
    key = cache_key((d.get("sha256", "") for d in documents.values()), answering(settings, model, written))
    cached = read_cached(Path(settings.index_path), key)
    if cached is not None:
        return cached
    if written:
        questions = WRITTEN_FOR_SEEDS
    else:
        texts = article_texts(index.chunks)
        newest = sorted(documents, key=lambda doc_id: documents[doc_id].get("date") or "", reverse=True)
        questions = candidate_questions(texts.get(doc_id, "") for doc_id in newest)

    log(f"checking example questions for {settings.corpus} (once per corpus and model)")

    def answer(question: str) -> Answer:
        return ask(question, settings=settings)

    try:
        examples = verified(questions, answer)
    except RagError:
        return []
    write_cached(Path(settings.index_path), key, examples)
    return examples
