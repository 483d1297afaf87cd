"""Every change to the corpus made through the chat, one JSON line each in the index folder's
changes.jsonl: when, who (when logged in), what (upload, remove, restore, purge, empty), which
file and its sha256. Only ever appended to, one write a line, so lines never interleave."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

LOG_FILE = "changes.jsonl"


def log_path(index_dir: Path) -> Path:
    return Path(index_dir) / LOG_FILE


def record(log: Path, action: str, document: str, sha256: str, user: str | None = None) -> None:
    entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if user:
        entry["user"] = user
    entry.update(action=action, file=document, sha256=sha256)
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    log.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_log(log: Path) -> list[dict]:
    """The entries so far, oldest first (none when nothing was changed yet)."""
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines if line.strip()]
