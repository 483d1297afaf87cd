"""A `rag serve` already running answers `rag ask` from a new process, the way `ollama run`
talks to its daemon: the models are loaded there, so the question costs what it costs warm.

`rag serve` leaves a note in the runtime folder (its address and a fingerprint of the settings
that shape answers); `rag ask` hands its question over only to a server whose fingerprint is its
own and that needs no login, and otherwise answers in process. Standard library only: importing
this must not cost what it saves."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import urllib.request
from pathlib import Path
from typing import Any

from ..settings import NOT_ANSWER_SHAPING, Settings


def fingerprint(settings: Settings, model: Path | None) -> str:
    """The settings that shape answers, with paths made absolute; `model` is the resolved GGUF
    (None when generating through --llm-url)."""
    fields: dict[str, Any] = {
        f.name: str(getattr(settings, f.name)) for f in dataclasses.fields(settings) if f.name not in NOT_ANSWER_SHAPING
    }
    fields["corpus"] = str(settings.corpus.resolve())
    fields["index_dir"] = str(settings.index_path.resolve())
    fields["models_dir"] = str(settings.models_dir.resolve())
    fields["model"] = str(model.resolve()) if model else ""
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


def note_path(settings: Settings, port: int) -> Path:
    return settings.runtime_dir / f"serve-{port}.json"


def announce(settings: Settings, model: Path | None, url: str, port: int, login: bool) -> Path:
    """Write the note a later `rag ask` looks for; the caller removes it when serving stops."""
    path = note_path(settings, port)
    path.parent.mkdir(parents=True, exist_ok=True)
    note = {"url": url, "pid": os.getpid(), "fingerprint": fingerprint(settings, model), "login": login}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(note), encoding="utf-8")
    tmp.replace(path)
    return path


def withdraw(path: Path) -> None:
    """Remove this process's note (a note left by another process is not ours to remove)."""
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def find_server(settings: Settings, model: Path | None) -> str | None:
    """The address of a running `rag serve` with these settings and no login, if there is one."""
    wanted = fingerprint(settings, model)
    for path in sorted(settings.runtime_dir.glob("serve-*.json")) if settings.runtime_dir.is_dir() else []:
        try:
            note = json.loads(path.read_text(encoding="utf-8"))
            if note["fingerprint"] == wanted and not note["login"] and _alive(int(note["pid"])):
                return str(note["url"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a note being written, or not one of ours
    return None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def ask_server(url: str, question: str, as_of: str | None, timeout: float = 600.0) -> dict[str, Any] | None:
    """The Answer (as a dict) from the server's /answer endpoint, or None when the server cannot
    be reached or fails, so the caller answers in process instead. A user's mistake (an empty
    question…) comes back as {"error": message}."""
    base = url.rstrip("/") + "/gradio_api/call/answer"
    body = json.dumps({"data": [question, as_of or ""]}).encode()
    request = urllib.request.Request(base, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            event_id = json.loads(response.read())["event_id"]
        with urllib.request.urlopen(f"{base}/{event_id}", timeout=timeout) as response:
            event = ""
            for raw in response:
                line = raw.decode("utf-8").strip()
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "complete":
                    data = json.loads(line[5:])
                    return data[0] if data and isinstance(data[0], dict) else None
                elif line.startswith("data:") and event == "error":
                    return None
    except (OSError, ValueError, KeyError):  # URLError and timeouts are OSErrors
        return None
    return None
