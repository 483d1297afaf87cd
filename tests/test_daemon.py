import os
from pathlib import Path

from rag.serve.daemon import announce, find_server, fingerprint, withdraw
from rag.settings import Settings


def test_the_fingerprint_follows_what_shapes_answers(tmp_path):
    base = Settings(corpus=Path("seeds"), runtime_dir=tmp_path)
    model = tmp_path / "m.gguf"
    assert fingerprint(base, model) == fingerprint(base.replace(n_threads=7, runtime_dir=tmp_path / "x"), model)
    assert fingerprint(base, model) != fingerprint(base.replace(k=3), model)
    assert fingerprint(base, model) != fingerprint(base, tmp_path / "other.gguf")
    assert fingerprint(base, model) != fingerprint(base.replace(corpus=tmp_path), model)


def test_only_a_live_server_with_the_same_settings_and_no_login_is_found(tmp_path):
    settings = Settings(runtime_dir=tmp_path / "run")
    model = tmp_path / "m.gguf"
    assert find_server(settings, model) is None  # no folder yet
    note = announce(settings, model, "http://127.0.0.1:7001", 7001, login=False)
    assert find_server(settings, model) == "http://127.0.0.1:7001"
    assert find_server(settings.replace(k=2), model) is None
    announce(settings, model, "http://127.0.0.1:7002", 7002, login=True)
    (settings.runtime_dir / "serve-7003.json").write_text("{half a note", encoding="utf-8")
    withdraw(note)
    assert not note.exists() and find_server(settings, model) is None  # the login one is left alone
    dead = announce(settings, model, "http://127.0.0.1:7004", 7004, login=False)
    dead.write_text(dead.read_text().replace(f'"pid": {os.getpid()}', '"pid": 999999999'), encoding="utf-8")
    assert find_server(settings, model) is None
    withdraw(dead)
    assert dead.exists()  # not this process's note: only its own server removes it
