"""The corpus as the browser changes it: uploads become plain-text files in the corpus, so that
every citation stays checkable against a file the user can open; a removed document's file
leaves the corpus (the index then drops its passages without embedding anything again)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path, PurePosixPath

from .documents import MAX_DOCUMENT_BYTES, SUFFIXES
from .errors import CorpusError

ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def safe_name(original: str, suffix: str) -> str:
    """A file name that cannot leave the corpus folder: no directories, no dot-files."""
    stem = _UNSAFE.sub("-", Path(original.replace("\\", "/")).stem).strip(".-")[:80]
    return f"{stem or 'document'}{suffix}"


def extract_text(path: Path, original_name: str) -> tuple[str, str]:
    """(text, suffix to store it under) for an uploaded file; RagError if it has no text."""
    suffix = Path(original_name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise CorpusError(f"{original_name}: only {', '.join(ALLOWED_SUFFIXES)} files can be added")
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise CorpusError(f"{original_name}: {size // 2**20} MB is over the {MAX_UPLOAD_BYTES // 2**20} MB limit")
    data = path.read_bytes()
    if suffix in (".txt", ".md"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise CorpusError(f"{original_name}: not UTF-8 text") from None
        if "\x00" in text:
            raise CorpusError(f"{original_name}: a binary file, not text")
        stored = suffix
    elif suffix in (".html", ".htm"):
        text, stored = _html_text(data, original_name), ".txt"
    else:
        text, stored = _pdf_text(path, original_name), ".txt"
    if not text.strip():
        raise CorpusError(f"{original_name}: no text found in it")
    if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        # The indexer would skip it; say so now rather than store a document nobody can ask about.
        raise CorpusError(
            f"{original_name}: its text is over the {MAX_DOCUMENT_BYTES // 2**20} MB limit for one document"
        )
    return text, stored


def _html_text(data: bytes, name: str) -> str:
    import trafilatura

    page = data.decode("utf-8", errors="replace")
    body = trafilatura.extract(page, include_comments=False, include_tables=True, favor_recall=True)
    if not body:
        raise CorpusError(f"{name}: no article text found in the page")
    meta = trafilatura.extract_metadata(page)
    header = ""
    if meta is not None and meta.title:
        header += f"Title: {' '.join(meta.title.split())}\n"
    if meta is not None and meta.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.date):
        header += f"Published: {meta.date.replace('-', '/')}\n"
    return f"{header}\n{body}\n" if header else f"{body}\n"


def _pdf_text(path: Path, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise CorpusError(f"{name}: not a readable PDF ({type(exc).__name__})") from None
    return "\n\n".join(p.strip() for p in pages if p.strip()) + "\n"


def add_document(corpus: Path, upload: Path, original_name: str) -> Path:
    """Store an upload's text in the corpus under a safe, unused name; atomically, so the
    indexer never reads half a file. Returns the stored path."""
    text, suffix = extract_text(Path(upload), original_name)
    corpus = Path(corpus)
    corpus.mkdir(parents=True, exist_ok=True)
    name = safe_name(original_name, suffix)
    target = corpus / name
    number = 2
    while target.exists():
        if target.read_bytes() == text.encode("utf-8"):
            return target  # the same document again: nothing to add
        target = corpus / f"{Path(name).stem}-{number}{suffix}"
        number += 1
    fd, tmp = tempfile.mkstemp(dir=corpus, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def remove_document(corpus: Path, document_id: str) -> Path:
    """Delete the corpus file of a document (its id as the index names it, "sub/a.txt").
    Only a document file inside the corpus: an id that climbs out, names a folder or a file
    the indexer does not read is refused, and nothing is deleted. A symlinked document loses
    its link, never the file it points to."""
    parts = PurePosixPath(document_id).parts
    if (
        not parts
        or document_id.startswith("/")
        or any(part in ("..", "") or part.startswith(".") for part in parts)
        or PurePosixPath(document_id).suffix.lower() not in SUFFIXES
    ):
        raise CorpusError(f"{document_id!r} is not a document of the corpus")
    target = Path(corpus).joinpath(*parts)
    if not target.is_file():
        raise CorpusError(f"{document_id} is no longer in the corpus")
    try:
        target.unlink()
    except OSError as exc:
        raise CorpusError(f"{document_id} could not be deleted: {exc.strerror}") from None
    return target
