"""The chat served to the network, tested on this machine's own non-loopback address (the
traffic stays on the machine): off loopback nothing changes the corpus without a login, a
read-only chat answers and changes nothing, a removal is restored with its citations intact,
and wrong passwords are slowed down. Requests go over plain HTTP the way the page sends them
(queue/join with the event's index), so a route the page does not show is reached all the same.
SmolLM2 reads: what is tested is who may do what, not how well the model answers."""

from __future__ import annotations

import hashlib
import json
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from hosts import machine_address

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Who is India's ambassador to Belarus?"
PASSWORD = "harbour-lights-42"
CHANGING = ("rag-upload", "rag-remove-yes", "rag-restore", "rag-empty-yes")  # the corpus-changing controls


LAN = machine_address()
if LAN is None:
    pytest.skip("this machine has no non-loopback IPv4 address to serve on", allow_module_level=True)


# ------------------------------------------------------------------ the page's HTTP API


def config_of(http: httpx.Client) -> dict:
    response = http.get("config")
    response.raise_for_status()
    return response.json()


def event_index(config: dict, elem_id: str) -> int:
    """The index of the event fired by the component with this elem_id."""
    ids = {c["id"] for c in config["components"] if c["props"].get("elem_id") == elem_id}
    found = [d["id"] for d in config["dependencies"] if any(t[0] in ids for t in d.get("targets", []))]
    assert found, f"no event on #{elem_id}"
    return found[0]


SESSIONS: dict[int, str] = {}


def call_event(http: httpx.Client, fn_index: int, data: list) -> tuple[int, Any]:
    """Run one event as the page does, one page (session) per client: what an event showed (a
    list's new choices) holds for the next; (HTTP status of the join, the event's output or None)."""
    session = SESSIONS.setdefault(id(http), secrets.token_hex(8))
    body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None, "trigger_id": None}
    joined = http.post("gradio_api/queue/join", json=body)
    if joined.status_code != 200:
        return joined.status_code, None
    with http.stream("GET", "gradio_api/queue/data", params={"session_hash": session}, timeout=300) as events:
        for line in events.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return 200, message.get("output")
                if message.get("msg") == "close_stream":
                    break
    return 200, None


def upload_data(http: httpx.Client, name: str, text: str) -> tuple[int, list]:
    """The file sent to the upload route, as the upload event's input (status, data)."""
    sent = http.post("gradio_api/upload", files={"files": (name, text.encode("utf-8"))})
    if sent.status_code != 200:
        return sent.status_code, []
    (path,) = sent.json()
    return 200, [[{"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}]]


def logged_in(url: str, user: str = "ann", password: str = PASSWORD) -> httpx.Client:
    http = httpx.Client(base_url=url, timeout=300)
    assert http.post("login", data={"username": user, "password": password}).status_code == 200
    return http


def corpus_state(workdir: Path) -> dict[str, str]:
    """Every file of the server's corpus and trash by its sha256, and its log: any change shows."""
    files = {
        str(p.relative_to(workdir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in (workdir / "articles", workdir / "index" / ".trash")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    log = workdir / "index" / "changes.jsonl"
    files["log"] = log.read_text(encoding="utf-8") if log.exists() else ""
    return files


# ------------------------------------------------------------------ servers


@pytest.fixture(scope="module")
def auth_file(tmp_path_factory) -> Path:
    """A login file as a user writes it: a hashed line from `rag hash-password`."""
    made = subprocess.run(
        [sys.executable, "-m", "rag.serve.cli", "hash-password", "ann"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    line = made.stdout.strip()
    assert line.startswith("ann:pbkdf2_sha256$") and PASSWORD not in line
    users = tmp_path_factory.mktemp("logins") / "users"
    users.write_text(f"# who may change the corpus\n{line}\n", encoding="utf-8")
    return users


@pytest.fixture(scope="module")
def locked(tmp_path_factory, start_server, auth_file):
    """On the network with a login."""
    workdir = tmp_path_factory.mktemp("shared-locked")
    with start_server(workdir, "--model", "smollm2", "--auth", str(auth_file), host=LAN) as server:
        yield server


@pytest.fixture(scope="module")
def read_only(tmp_path_factory, start_server):
    """On the network, questions only."""
    with start_server(
        tmp_path_factory.mktemp("shared-read-only"), "--model", "smollm2", "--read-only", host=LAN
    ) as server:
        yield server


# ------------------------------------------------------------------ tests


@pytest.mark.parametrize("host", ["0.0.0.0", LAN])
def test_off_loopback_without_a_login_it_does_not_start(host):
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "rag.serve.cli", "serve", "--host", host, "--port", "9"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: refusing to serve")
    assert "--auth" in done.stderr and "--read-only" in done.stderr and "Traceback" not in done.stderr
    assert time.perf_counter() - started < 60  # said before any model is loaded


def test_make_run_passes_the_login_and_read_only_through():
    shown = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0", "AUTH=users.txt", "READ_ONLY=1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    (serve,) = [line for line in shown.splitlines() if " serve " in line]
    assert "--host 0.0.0.0" in serve and "--auth 'users.txt'" in serve and serve.endswith("--read-only")


def test_without_the_login_nothing_is_asked_uploaded_or_removed(locked):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    before = corpus_state(locked.workdir)
    config = config_of(logged_in(locked.url))  # read as ann, tried as a stranger
    with httpx.Client(base_url=locked.url, timeout=60) as stranger:
        assert upload_data(stranger, "note.md", "The ferry leaves at 7:15.\n")[0] == 401
        for elem_id in CHANGING:
            assert call_event(stranger, event_index(config, elem_id), [None])[0] == 401, elem_id
        for dependency in config["dependencies"]:
            assert call_event(stranger, dependency["id"], [])[0] == 401, dependency
        assert stranger.post("gradio_api/call/answer", json={"data": [QUESTION, ""]}).status_code == 401
    with pytest.raises(AuthenticationError, match="credentials were not provided"):
        Client(locked.url, verbose=False).predict(QUESTION, "", api_name="/answer")
    assert corpus_state(locked.workdir) == before


def test_a_removed_document_is_restored_with_its_citations_intact(locked):
    from gradio_client import Client

    from rag.ingest import trash

    client = Client(locked.url, auth=("ann", PASSWORD), verbose=False)
    first = client.predict(QUESTION, "", api_name="/answer")
    assert first["citations"], first
    source = first["citations"][0]["source"]
    article = locked.workdir / "articles" / source
    original = article.read_bytes()

    http = logged_in(locked.url)
    config = config_of(http)
    status, output = call_event(http, event_index(config, "rag-remove-yes"), [source])
    assert status == 200 and f"Removed {source}" in output["data"][0], output
    assert not article.exists()
    removed = client.predict(QUESTION, "", api_name="/answer")
    assert source not in {c["source"] for c in removed["citations"]}

    (entry,) = trash.entries(locked.workdir / "index" / ".trash")
    assert entry.document == source and entry.user == "ann"
    status, output = call_event(http, event_index(config, "rag-restore"), [entry.id])
    assert status == 200 and f"Restored {source}" in output["data"][0], output
    assert article.read_bytes() == original
    again = client.predict(QUESTION, "", api_name="/answer")
    keys = ("n", "source", "chunk_id", "quote", "start", "end")
    assert [{k: c[k] for k in keys} for c in again["citations"]] == [
        {k: c[k] for k in keys} for c in first["citations"]
    ]
    text = original.decode("utf-8")
    for c in again["citations"]:
        if c["source"] == source:
            assert text[c["start"] : c["end"]] == c["quote"]

    sha = hashlib.sha256(original).hexdigest()
    log = [json.loads(line) for line in (locked.workdir / "index" / "changes.jsonl").read_text().splitlines()]
    assert [(e["action"], e["file"], e["user"], e["sha256"]) for e in log] == [
        ("remove", source, "ann", sha),
        ("restore", source, "ann", sha),
    ]


def test_with_the_login_documents_are_added_removed_and_the_trash_emptied(locked):
    http = logged_in(locked.url)
    status, data = upload_data(http, "ferry note.md", "The night ferry to Tallinn leaves Helsinki at 23:15.\n")
    assert status == 200
    status, output = call_event(http, event_index(config_of(http), "rag-upload"), data)
    assert status == 200 and "Added ferry note.md as ferry-note.md" in output["data"][0], output
    assert (locked.workdir / "articles" / "ferry-note.md").is_file()
    # Removed, then the trash emptied: the one change that cannot be undone, asked for by name.
    config = config_of(http)
    assert call_event(http, event_index(config, "rag-remove-yes"), ["ferry-note.md"])[0] == 200
    status, output = call_event(http, event_index(config, "rag-empty-yes"), [])
    assert status == 200 and "Deleted 1 removed document for good." in output["data"][0], output
    assert not any((locked.workdir / "index" / ".trash").iterdir())
    log = [json.loads(line) for line in (locked.workdir / "index" / "changes.jsonl").read_text().splitlines()]
    assert [(e["action"], e["file"], e["user"]) for e in log[-3:]] == [
        ("upload", "ferry-note.md", "ann"),
        ("remove", "ferry-note.md", "ann"),
        ("empty", "ferry-note.md", "ann"),
    ]


def test_read_only_answers_questions_and_changes_nothing(read_only):
    from gradio_client import Client

    before = corpus_state(read_only.workdir)
    answer = Client(read_only.url, verbose=False).predict(QUESTION, "", api_name="/answer")
    assert "error" not in answer and answer["text"] and answer["passages"]
    with httpx.Client(base_url=read_only.url, timeout=60) as visitor:
        refused = visitor.post("gradio_api/upload", files={"files": ("note.md", b"The ferry leaves at 7:15.\n")})
        assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
        config = config_of(visitor)
    shown = {c["props"].get("elem_id") for c in config["components"]}
    assert not shown & {*CHANGING, "rag-remove", "rag-remove-choice", "rag-trash-choice"}
    assert "rag-documents-table" in shown  # what is indexed is still listed
    assert corpus_state(read_only.workdir) == before


@pytest.mark.parametrize("server", ["locked", "read_only"])
def test_no_route_reachable_without_login_changes_the_corpus(server, request):
    """Every event of the app, as its index in the config, and the upload route, tried by a
    visitor with no login, with the inputs the page would send (each control's value, a
    document's name where one is chosen): the corpus, its trash and its log stay as they were."""
    served = request.getfixturevalue(server)
    reader = logged_in(served.url) if server == "locked" else httpx.Client(base_url=served.url, timeout=300)
    config = config_of(reader)
    components = {c["id"]: c for c in config["components"]}
    document = next(p.name for p in sorted((served.workdir / "articles").glob("*.txt")))

    def plausible(component_id: int) -> Any:
        props = components[component_id]["props"]
        if props.get("choices"):
            return document
        return props.get("value")

    named = reader.get("gradio_api/info").json()["named_endpoints"]
    before = corpus_state(served.workdir)
    changing, reached = [], []
    with httpx.Client(base_url=served.url, timeout=300) as stranger:
        assert upload_data(stranger, "note.md", "The ferry leaves at 7:15.\n")[0] in (401, 403)
        for dependency in config["dependencies"]:
            status, _ = call_event(stranger, dependency["id"], [plausible(i) for i in dependency["inputs"]])
            if status == 200:
                reached.append(dependency["id"])
            if corpus_state(served.workdir) != before:
                changing.append(dependency)
                before = corpus_state(served.workdir)
        # The scripting routes too, by name (/answer, /chat), as `gradio_client` calls them.
        assert {"/answer", "/chat"} <= set(named)
        for name, endpoint in named.items():
            params = endpoint["parameters"]
            data = [p.get("parameter_default") if p.get("parameter_has_default") else document for p in params]
            called = stranger.post(f"gradio_api/call{name}", json={"data": data})
            if called.status_code == 200:
                reached.append(name)
                result = stranger.get(f"gradio_api/call{name}/{called.json()['event_id']}")  # waits for the end
                assert "event: complete" in result.text or "event: error" in result.text, result.text
            if corpus_state(served.workdir) != before:
                changing.append(name)
                before = corpus_state(served.workdir)
    assert changing == []
    if server == "locked":
        assert reached == []  # nothing at all answers a stranger
    else:
        assert reached  # the chat itself answers: the walk did reach the app
    assert corpus_state(served.workdir) == before


def test_twenty_wrong_passwords_are_slowed_down(locked):
    """Last of the locked server's tests: its address waits after this."""
    from gradio_client import Client

    codes, waits = [], []
    started = time.perf_counter()
    with httpx.Client(base_url=locked.url, timeout=120) as guesser:
        for _ in range(20):
            response = guesser.post("login", data={"username": "ann", "password": "wrong-guess"})
            codes.append(response.status_code)
            if response.status_code == 429:
                waits.append(int(response.headers["retry-after"]))
        assert codes[:5] == [400] * 5  # a few typos are free
        assert codes.count(400) <= 7 and codes.count(429) >= 13, codes  # then most are not even checked
        # The API's login is refused the same way while the address waits.
        right = guesser.post("login", data={"username": "ann", "password": PASSWORD})
        if right.status_code == 429:
            with pytest.raises(ValueError, match="Could not login"):
                Client(locked.url, auth=("ann", PASSWORD), verbose=False)
            time.sleep(int(right.headers["retry-after"]) + 0.5)
        else:  # the wait ran out between two requests of a slow machine
            assert right.status_code == 200
    assert all(w >= 1 for w in waits)
    assert time.perf_counter() - started >= 1.0
    # After the wait the right password gets in, through the API too.
    answer = Client(locked.url, auth=("ann", PASSWORD), verbose=False).predict(QUESTION, "", api_name="/answer")
    assert "error" not in answer
