"""Ingest: read every .txt/.md under a corpus folder into Documents (metadata split off)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CorpusError
from .schema import Document

SUFFIXES = (".txt", ".md")
MAX_TITLE_CHARS = 120
# One article is kilobytes; a file of tens of megabytes would take the index an hour to embed
# on a laptop, so it is skipped with a warning rather than silently stalling the build.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# Metadata lines at the top of a file. " date 2025-11-03" may be followed by body text on
# the same line, so it matches only the tag itself.
_DATE_TAG = re.compile(r"[ \t]*date[ \t]+(\d{4})-(\d{2})-(\d{2})\b[ \t]*")
_PUBLISHED = re.compile(r"[ \t]*Published:[ \t]*(\d{4})[/-](\d{2})[/-](\d{2})[^\n]*(\n|$)")
_TITLE = re.compile(r"[ \t]*Title:[ \t]*([^\n]*)(\n|$)")
_BLANK = re.compile(r"\s*")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FIRST_SENTENCE = re.compile(r"\S.*?(?:[.!?](?=\s|$)|\n|$)", re.DOTALL)


@dataclass
class Corpus:
    documents: list[Document]
    warnings: list[str] = field(default_factory=list)


def corpus_files(root: Path) -> list[Path]:
    """Readable corpus files under root, sorted, following no symlinked folder twice."""
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus is not a folder: {root}")
    found: list[Path] = []
    seen_dirs: set[Path] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            real = folder.resolve()
            if real in seen_dirs:  # symlink loop or a folder linked twice
                continue
            seen_dirs.add(real)
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                stack.append(entry)
            elif entry.suffix.lower() in SUFFIXES and entry.is_file():
                found.append(entry)
    return sorted(found)


def load_corpus(root: Path) -> Corpus:
    """All documents under root; files that cannot be read are skipped with a warning."""
    root = Path(root)
    documents: list[Document] = []
    warnings: list[str] = []
    for path in corpus_files(root):
        doc_id = path.relative_to(root).as_posix()
        try:
            size = path.stat().st_size
            if size > MAX_DOCUMENT_BYTES:
                warnings.append(
                    f"skipped {doc_id}: {size / 2**20:.0f} MB is over the {MAX_DOCUMENT_BYTES // 2**20} MB limit "
                    "for one document (split it into articles)"
                )
                continue
            raw = path.read_bytes()
        except OSError as exc:
            warnings.append(f"skipped {doc_id}: cannot read ({exc.strerror or exc})")
            continue
        try:
            document = parse_document(doc_id, raw)
        except UnicodeDecodeError:
            warnings.append(f"skipped {doc_id}: not UTF-8 text")
            continue
        if not document.text[document.body_start :].strip():
            warnings.append(f"skipped {doc_id}: empty")
            continue
        if "\x00" in document.text:
            warnings.append(f"skipped {doc_id}: binary content")
            continue
        documents.append(document)
    if not documents:
        raise CorpusError(f"no readable .txt or .md documents in {root}")
    return Corpus(documents, warnings)


def parse_document(doc_id: str, raw: bytes) -> Document:
    """Decode like Path.read_text(encoding='utf-8') so offsets match what a reader opens."""
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    title, date, body_start = _read_metadata(text)
    body = text[body_start:]
    if not title:
        title = _title_from_body(body)
    return Document(
        id=doc_id,
        title=title,
        date=date,
        text=text,
        body_start=body_start,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _read_metadata(text: str) -> tuple[str, str | None, int]:
    """Consume leading metadata (date tag, Published:, Title:) and blank space."""
    pos = len(text) - len(text.lstrip("\ufeff"))
    title, date = "", None
    while True:
        blank = _BLANK.match(text, pos)
        pos = blank.end() if blank else pos
        if (m := _DATE_TAG.match(text, pos)) or (m := _PUBLISHED.match(text, pos)):
            date = f"{m[1]}-{m[2]}-{m[3]}"
        elif m := _TITLE.match(text, pos):
            title = m[1].strip()
        else:
            return title, date, pos
        pos = m.end()


def _title_from_body(body: str) -> str:
    if m := _HEADING.search(body[:2000]):
        return m[1].strip()
    m = _FIRST_SENTENCE.search(body)
    title = " ".join(m[0].split()) if m else ""
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return title
