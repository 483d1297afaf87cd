"""Ingest: read every document under a corpus folder (.txt/.md as they are; PDF, HTML, DOCX
and EPUB through rag.ingest.extract) into Documents, metadata split off."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import CorpusError
from ..schema import Document
from .extract import (
    EXTRACTOR_VERSION,
    MAX_TEXT_BYTES,
    SUFFIXES,
    TEXT_SUFFIXES,
    Extracted,
    ExtractError,
    check_size,
    extract_bytes,
)

__all__ = ["MAX_DOCUMENT_BYTES", "SUFFIXES", "Corpus", "TextStore", "load_corpus", "parse_document"]

MAX_TITLE_CHARS = 120
MAX_DOCUMENT_BYTES = MAX_TEXT_BYTES  # what the chat's uploads check too

# Metadata lines at the top of a file. " date 2025-11-03" may be followed by body text on
# the same line, so it matches only the tag itself.
_DATE_TAG = re.compile(r"[ \t]*date[ \t]+(\d{4})-(\d{2})-(\d{2})\b[ \t]*")
_PUBLISHED = re.compile(r"[ \t]*Published:[ \t]*(\d{4})[/-](\d{2})[/-](\d{2})[^\n]*(\n|$)")
_PUBLISHED_NEAR_TOP = re.compile(r"(?:^|\s)Published:[ \t]*(\d{4})[/-](\d{2})[/-](\d{2})\b")
DATE_LINE_REACH = 500  # characters from the top of an extracted text where a Published: line counts
_TITLE = re.compile(r"[ \t]*Title:[ \t]*([^\n]*)(\n|$)")
_BLANK = re.compile(r"\s*")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FIRST_SENTENCE = re.compile(r"\S.*?(?:[.!?](?=\s|$)|\n|$)", re.DOTALL)

FileProgress = Callable[[int, int], None]
TEXTS_FOLDER = "texts"  # inside the index folder: the TextStore


@dataclass
class Corpus:
    documents: list[Document]
    warnings: list[str] = field(default_factory=list)


class TextStore:
    """The text extracted from each PDF/HTML/DOCX/EPUB, by the file's sha256, kept beside the
    index so that citations can be checked against it and an unchanged file is never
    extracted twice. A file that could not be extracted is kept as its reason, so it is not
    tried again either. Content-addressed and written by rename: never half a file."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.json"

    def get(self, sha256: str) -> Extracted | ExtractError | None:
        try:
            entry = json.loads(self._path(sha256).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.pop("version", None) != EXTRACTOR_VERSION:
            return None
        if "error" in entry:
            return ExtractError(entry["error"])
        try:
            return Extracted(**entry)
        except TypeError:
            return None

    def put(self, sha256: str, value: Extracted | ExtractError) -> None:
        entry = {"error": str(value)} if isinstance(value, ExtractError) else asdict(value)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".text-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"version": EXTRACTOR_VERSION, **entry}, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self._path(sha256))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def prune(self, keep: set[str]) -> None:
        """Drop the texts of files no longer in the corpus (and any leftover temporary file)."""
        for path in self.folder.glob("*"):
            if path.stem not in keep or path.suffix != ".json":
                path.unlink(missing_ok=True)


def file_sha256(path: Path) -> str:
    """A file's sha256, read a megabyte at a time (a corpus file or an index file may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_corpus(root: Path) -> None:
    """A corpus is a folder that is there: said in one line before any work starts."""
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus is not a folder: {root}")


def corpus_files(root: Path) -> list[Path]:
    """Readable corpus files under root, sorted, following no symlinked folder twice."""
    check_corpus(root)
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


def load_corpus(root: Path, store: TextStore | None = None, progress: FileProgress | None = None) -> Corpus:
    """All documents under root; files that cannot be read are skipped with a one-line
    warning naming the file and why. `store` keeps (and reuses) extracted texts."""
    root = Path(root)
    documents: list[Document] = []
    warnings: list[str] = []
    files = corpus_files(root)
    if progress:
        progress(0, len(files))  # the clock starts now, so the rate shown is true
    for done, path in enumerate(files, 1):
        doc_id = path.relative_to(root).as_posix()
        try:
            documents.append(read_document(path, doc_id, store))
        except ExtractError as exc:
            warnings.append(f"skipped {doc_id}: {exc}")
        if progress:
            progress(done, len(files))
    if not documents:
        raise CorpusError(f"no readable documents ({', '.join(SUFFIXES)}) in {root}")
    return Corpus(documents, warnings)


def read_document(path: Path, doc_id: str, store: TextStore | None = None) -> Document:
    """One corpus file as a Document; ExtractError says why it cannot be one."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES and suffix in TEXT_SUFFIXES:
            raise ExtractError(
                f"{size / 2**20:.0f} MB is over the {MAX_DOCUMENT_BYTES // 2**20} MB limit "
                "for one document (split it into articles)"
            )
        check_size(size, suffix)
        raw = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"cannot read ({exc.strerror or exc})") from None
    if suffix in TEXT_SUFFIXES:
        try:
            document = parse_document(doc_id, raw)
        except UnicodeDecodeError:
            raise ExtractError("not UTF-8 text") from None
        if not document.text[document.body_start :].strip():
            raise ExtractError("empty")
        if "\x00" in document.text:
            raise ExtractError("binary content")
        return document
    sha = hashlib.sha256(raw).hexdigest()
    extracted = store.get(sha) if store else None
    if extracted is None:
        try:
            extracted = extract_bytes(raw, suffix)
        except ExtractError as exc:
            extracted = exc
        if store:
            store.put(sha, extracted)
    if isinstance(extracted, ExtractError):
        raise extracted
    return extracted_document(doc_id, extracted, sha)


def extracted_document(doc_id: str, extracted: Extracted, sha256: str) -> Document:
    """A Document over extracted text. Metadata lines at the top of the text (Title:,
    Published:) are the article's own words and win; then the file's metadata (PDF info,
    HTML <title> and article:published_time, DOCX core properties); then the first heading
    or sentence, as for text files."""
    title, date, body_start = _read_metadata(extracted.text)
    if date is None and (m := _PUBLISHED_NEAR_TOP.search(extracted.text, 0, DATE_LINE_REACH)):
        date = f"{m[1]}-{m[2]}-{m[3]}"  # under a running header a one-page PDF could not shed
    return Document(
        id=doc_id,
        title=title or extracted.title or _title_from_body(extracted.text[body_start:]),
        date=date or extracted.date,
        text=extracted.text,
        body_start=body_start,
        sha256=sha256,
        pages=extracted.pages,
    )


def document_text(corpus: Path, doc_id: str, store: TextStore | None) -> str | None:
    """The text a document's citations refer to: the file itself for .txt/.md, its stored
    extracted text for other formats (None when the file or its text is gone)."""
    path = Path(corpus) / doc_id
    try:
        if path.suffix.lower() in TEXT_SUFFIXES:
            return parse_document(doc_id, path.read_bytes()).text
        extracted = store.get(hashlib.sha256(path.read_bytes()).hexdigest()) if store else None
    except (OSError, UnicodeDecodeError):
        return None
    return extracted.text if isinstance(extracted, Extracted) else None


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
