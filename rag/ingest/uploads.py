"""The corpus as the browser changes it: an upload is checked by the same extraction the
indexer uses (rag.ingest.extract: one way in) and stored in the corpus as the file it is, a PDF as a
PDF, so every citation can be checked against the file the user gave; a removed document's file
leaves the corpus for the trash in the index folder (the index then drops its passages without
embedding anything again) and can be restored from there. Each change is one line of the index
folder's changes.jsonl (rag.ingest.changelog)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import CorpusError
from . import changelog, trash
from .documents import SUFFIXES
from .extract import MAX_FILE_BYTES, Extracted, ExtractError, check_size, extract_bytes

ALLOWED_SUFFIXES = SUFFIXES
MAX_UPLOAD_BYTES = max(MAX_FILE_BYTES.values())  # what the browser may send; each format's own limit is checked after
_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


@dataclass(frozen=True)
class CorpusPlaces:
    """Where the chat changes things: the corpus, and the index folder that keeps the trash and
    the log of changes; `user` is who is logged in (None on an open loopback chat)."""

    corpus: Path
    index_dir: Path
    user: str | None = None

    @property
    def trash(self) -> Path:
        return trash.trash_dir(self.index_dir)

    @property
    def log(self) -> Path:
        return changelog.log_path(self.index_dir)


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


def add_document(corpus: Path, upload: Path, original_name: str, places: CorpusPlaces | None = None) -> Path:
    """Store an upload in the corpus under a safe, unused name; atomically, so the indexer
    never reads half a file. Returns the stored path; a new file is logged in places.log."""
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
    if places is not None:
        document = target.relative_to(corpus).as_posix()
        changelog.record(places.log, "upload", document, hashlib.sha256(data).hexdigest(), places.user)
    return target


def document_file(corpus: Path, document_id: str) -> Path:
    """The corpus file of a document (its id as the index names it, "sub/a.txt"). Only a
    document file inside the corpus: an id that climbs out, names a folder or a file the indexer
    does not read is refused."""
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
    return target


def remove_document(places: CorpusPlaces, document_id: str) -> trash.TrashEntry:
    """Move a document's file from the corpus to the trash, where restore_document finds it.
    A symlinked document moves as its link, never touching the file it points to."""
    target = document_file(places.corpus, document_id)
    entry = trash.put(places.trash, target, document_id, places.user)
    changelog.record(places.log, "remove", document_id, entry.sha256, places.user)
    _purge(places)
    return entry


def restore_document(places: CorpusPlaces, entry_id: str) -> trash.TrashEntry:
    """Put a removed document back in the corpus, where it was."""
    _purge(places)
    entry = trash.restore(places.trash, places.corpus, entry_id)
    changelog.record(places.log, "restore", entry.document, entry.sha256, places.user)
    return entry


def trashed_documents(places: CorpusPlaces) -> list[trash.TrashEntry]:
    """What can be restored, newest first."""
    _purge(places)
    return trash.entries(places.trash)


def empty_trash(places: CorpusPlaces) -> int:
    """Delete the trash's documents for good; how many there were."""
    gone = trash.empty(places.trash)
    for entry in gone:
        changelog.record(places.log, "empty", entry.document, entry.sha256, places.user)
    return len(gone)


def _purge(places: CorpusPlaces, now: float | None = None) -> None:
    for entry in trash.purge(places.trash, time.time() if now is None else now):
        changelog.record(places.log, "purge", entry.document, entry.sha256, places.user)
