"""The corpus as the browser changes it: an upload is checked by the same extraction the
indexer uses (rag.ingest.extract: one way in) and stored in the corpus as the file it is, a PDF as a
PDF, so every citation can be checked against the file the user gave; a removed document's file
leaves the corpus (the index then drops its passages without embedding anything again)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path, PurePosixPath

from ..errors import CorpusError
from .documents import SUFFIXES
from .extract import MAX_FILE_BYTES, Extracted, ExtractError, check_size, extract_bytes

ALLOWED_SUFFIXES = SUFFIXES
MAX_UPLOAD_BYTES = max(MAX_FILE_BYTES.values())  # what the browser may send; each format's own limit is checked after
_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def safe_name(original: str, suffix: str) -> str:
    """A file name that cannot leave the corpus folder: no directories, no dot-files."""
    stem = _UNSAFE.sub("-", Path(original.replace("\\", "/")).stem).strip(".-")[:80]
    return f"{stem or 'document'}{suffix}"


def check_upload(path: Path, original_name: str) -> tuple[bytes, Extracted]:
    """The upload's bytes and text; CorpusError naming the file and why, if the index could
    not read it (checked now rather than stored as a document nobody can ask about)."""
    suffix = Path(original_name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise CorpusError(f"{original_name}: only {', '.join(ALLOWED_SUFFIXES)} files can be added")
    try:
        check_size(path.stat().st_size, suffix)
        data = path.read_bytes()
        return data, extract_bytes(data, suffix)
    except ExtractError as exc:
        raise CorpusError(f"{original_name}: {exc}") from None
    except OSError as exc:
        raise CorpusError(f"{original_name}: cannot read ({exc.strerror or exc})") from None


def add_document(corpus: Path, upload: Path, original_name: str) -> Path:
    """Store an upload in the corpus under a safe, unused name; atomically, so the indexer
    never reads half a file. Returns the stored path."""
    data, _ = check_upload(Path(upload), original_name)
    suffix = Path(original_name).suffix.lower()
    corpus = Path(corpus)
    corpus.mkdir(parents=True, exist_ok=True)
    name = safe_name(original_name, suffix)
    target = corpus / name
    number = 2
    while target.exists():
        if target.read_bytes() == data:
            return target  # the same document again: nothing to add
        target = corpus / f"{Path(name).stem}-{number}{suffix}"
        number += 1
    fd, tmp = tempfile.mkstemp(dir=corpus, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
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
