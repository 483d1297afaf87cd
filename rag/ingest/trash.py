"""Removed documents, kept so that a removal can be undone: each in its own folder of the index
folder's .trash/ (a dot-folder: never read as corpus, even by an index kept inside the corpus),
the file as it was and a note of where it came from. Kept 30 days or until emptied; entries older
than that go whenever the trash is touched."""

from __future__ import annotations

import json
import secrets
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import CorpusError
from .documents import file_sha256

TRASH_FOLDER = ".trash"
KEEP_DAYS = 30
NOTE = "entry.json"


@dataclass(frozen=True)
class TrashEntry:
    id: str  # the entry's folder name
    document: str  # its id in the corpus, "sub/a.txt"
    removed_at: float  # Unix time
    sha256: str
    user: str | None = None

    @property
    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(self.removed_at))


def trash_dir(index_dir: Path) -> Path:
    return Path(index_dir) / TRASH_FOLDER


def put(trash: Path, corpus_file: Path, document: str, user: str | None = None, now: float | None = None) -> TrashEntry:
    """Move a corpus file into the trash (a symlink moves as the link). The note is written
    first: a crash between the two leaves a note without a file, which entries() skips."""
    now = time.time() if now is None else now
    try:
        sha = file_sha256(corpus_file)
    except OSError as exc:
        raise CorpusError(f"{document} could not be read: {exc.strerror}") from None
    entry = TrashEntry(
        f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime(now))}-{secrets.token_hex(4)}", document, now, sha, user
    )
    folder = trash / entry.id
    try:
        folder.mkdir(parents=True)
        (folder / NOTE).write_text(json.dumps(asdict(entry), ensure_ascii=False), encoding="utf-8")
        shutil.move(str(corpus_file), str(folder / corpus_file.name))
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise CorpusError(f"{document} could not be moved to the trash: {exc.strerror}") from None
    return entry


def entries(trash: Path) -> list[TrashEntry]:
    """What the trash holds, newest first."""
    return sorted(_read_all(trash), key=lambda e: e.removed_at, reverse=True)


def _read_all(trash: Path, with_file: bool = True) -> list[TrashEntry]:
    """The entries whose note reads, and (with_file) whose file is there to restore."""
    found = []
    for folder in trash.glob("*") if trash.is_dir() else []:
        try:
            entry = TrashEntry(**json.loads((folder / NOTE).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if entry.id == folder.name and (not with_file or _stored_file(folder, entry) is not None):
            found.append(entry)
    return found


def _stored_file(folder: Path, entry: TrashEntry) -> Path | None:
    path = folder / Path(entry.document).name
    return path if path.is_file() or path.is_symlink() else None


def restore(trash: Path, corpus: Path, entry_id: str) -> TrashEntry:
    """Put a trashed document back where it was. Refused when another file now has its name."""
    entry = next((e for e in entries(trash) if e.id == entry_id), None)
    if entry is None:
        raise CorpusError(f"{entry_id!r} is not in the trash (emptied, or kept past {KEEP_DAYS} days)")
    folder = trash / entry.id
    stored = _stored_file(folder, entry)
    target = Path(corpus).joinpath(*Path(entry.document).parts)
    if stored is None:
        raise CorpusError(f"{entry.document} is not in the trash any more")
    if target.exists() or target.is_symlink():
        raise CorpusError(f"{entry.document} is in the corpus again: rename or remove that file first")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(stored), str(target))
    except OSError as exc:
        raise CorpusError(f"{entry.document} could not be restored: {exc.strerror}") from None
    shutil.rmtree(folder, ignore_errors=True)
    return entry


def purge(trash: Path, now: float | None = None, keep_days: int = KEEP_DAYS) -> list[TrashEntry]:
    """Delete the entries kept longer than keep_days; returns them."""
    now = time.time() if now is None else now
    # a note left without its file (a crash mid-move) goes too, when its time is up
    gone = [e for e in _read_all(trash, with_file=False) if now - e.removed_at > keep_days * 86400]
    for entry in gone:
        shutil.rmtree(trash / entry.id, ignore_errors=True)
    return gone


def empty(trash: Path) -> list[TrashEntry]:
    """Delete everything in the trash for good; returns what was there."""
    gone = _read_all(trash)
    for entry in gone:
        shutil.rmtree(trash / entry.id, ignore_errors=True)
    return gone
