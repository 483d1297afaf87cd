"""The oracle reader: an OpenAI-compatible server on loopback that knows a question set's gold
answers and replies as a perfect reader of the evidence it is shown would — the accepted answer
as the sentence writes it, with that sentence's number (`Bret Taylor [1].`), or NOT FOUND when
no sentence shown holds one. Put behind --llm-url (`rag eval FILE --oracle` does it), it
measures the pipeline's ceiling: whatever the pipeline loses of the oracle's answers and
refusals is lost by the pipeline, not by a model.

    python -m rag.measure.oracle QUESTIONS.jsonl [--port 8765]
"""

from __future__ import annotations

import argparse
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..answer.prompts import NOT_FOUND
from ..text.words import normalize
from .eval import Question, contains, load_questions

ORACLE_NAME = "oracle-reader"
_EVIDENCE_LINE = re.compile(r"^\[(\d+)\]\s?(.*)$")


class Oracle:
    """The gold answers of a question set, looked up by the question's words."""

    def __init__(self, questions: list[Question]) -> None:
        self.questions = {normalize(q.question): q for q in questions}

    def gold(self, question: str) -> Question | None:
        key = normalize(question)
        if key in self.questions:
            return self.questions[key]
        # a part of a compound question, searched on its own: the question it was cut from, whose
        # words hold all of the part's (a part may take words from another clause: "In which
        # cities did L meet M?" cut from "In which cities did J meet A, and L meet M?")
        part = set(key.split())
        return next((q for asked, q in self.questions.items() if part and part <= set(asked.split())), None)

    def reply(self, prompt: str) -> str:
        """The perfect reader's reply to the last user message of a reading prompt: the first
        sentence holding an accepted answer, or, where every one of several answers is required
        ("answers_all"), each of them found with the sentence it is in ("A [1], B [3]."). A
        question of another kind (rag/answer/kinds: the instruction after the question says which
        reply it wants) is answered from its key facts."""
        evidence, question = parse_prompt(prompt)
        q = self.gold(question)
        if q is None or q.unanswerable:
            return NOT_FOUND
        instruction = prompt.split(f"Question: {question}", 1)[-1].strip()
        if instruction:
            return kind_reply(q, evidence, instruction)
        if q.answers_all and not q.answers:
            # every required answer, each from the first sentence holding it
            pieces = {}
            for accepted in q.answers_all:
                for n, sentence in evidence:
                    if span := as_written_in(sentence, accepted):
                        pieces[span] = n
                        break
            # the whole question needs every answer; a part of a compound question only its own
            whole = normalize(question) in self.questions
            if not pieces or (whole and len(pieces) < len(q.answers_all)):
                return NOT_FOUND
            return ", ".join(f"{span} [{n}]" for span, n in pieces.items()) + "."
        for n, sentence in evidence:
            for accepted in q.answers:
                span = as_written_in(sentence, accepted)
                if span:
                    return f"{span} [{n}]."
        return NOT_FOUND


def kind_reply(q: Question, evidence: list[tuple[int, str]], instruction: str) -> str:
    """What a perfect reader replies to a kind's instruction: "Yes [n]" / "No [n]" on the first
    sentence holding a key fact; every key fact found, a line each ("- span [n]"); or the
    numbers of the sentences that hold key facts ("[2] [5]")."""
    facts = q.key_facts or [[a] for a in (q.answers or q.answers_all)]
    found: dict[str, int] = {}
    for spellings in facts:
        for n, sentence in evidence:
            span = next((s for a in spellings if (s := as_written_in(sentence, a))), None)
            if span:
                found.setdefault(span, n)
                break
    if not found or (not q.key_facts and q.answers_all and len(found) < len(q.answers_all)):
        return NOT_FOUND  # a question that needs every one of its answers, as the fact path's oracle
    if instruction.startswith("Answer Yes or No"):
        return f"{(q.yes_no or 'yes').capitalize()} [{next(iter(found.values()))}]" if q.yes_no else NOT_FOUND
    if instruction.startswith("List"):
        return "\n".join(f"- {span} [{n}]" for span, n in found.items())
    return " ".join(f"[{n}]" for n in dict.fromkeys(found.values()))


def parse_prompt(prompt: str) -> tuple[list[tuple[int, str]], str]:
    """The numbered evidence sentences and the question of a reading prompt (prompts.py)."""
    evidence, question = [], ""
    for line in prompt.splitlines():
        if line.startswith("Question:"):
            question = line[len("Question:") :].strip()
        elif m := _EVIDENCE_LINE.match(line.strip()):
            evidence.append((int(m.group(1)), m.group(2)))
    return evidence, question


def as_written_in(sentence: str, answer: str) -> str | None:
    """The answer as the sentence writes it (its case, punctuation and, for a date or a list,
    its order: "unsend and edit iMessages" for "Edit and unsend iMessages"), if the sentence
    holds it as the scorer (eval.contains) counts it."""
    if not contains(sentence, answer):
        return None
    wanted = normalize(answer)
    # the shortest run of the sentence's words that normalizes to the answer, or else holds it
    tokens = sentence.split()
    for exact in (True, False):
        for length in range(1, len(tokens) + 1):
            for start in range(len(tokens) - length + 1):
                run = " ".join(tokens[start : start + length])
                if normalize(run) == wanted if exact else contains(run, answer):
                    return run.strip(".,;:!?\"'()“”‘’")
    return answer


def _handler(oracle: Oracle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet: it serves a batch
            pass

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                body = {"object": "list", "data": [{"id": ORACLE_NAME, "object": "model"}]}
                self._send(200, json.dumps(body).encode())
            else:
                self._send(404, b"{}")

        def do_POST(self) -> None:
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, b"{}")
                return
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            users = [m.get("content") or "" for m in request.get("messages") or [] if m.get("role") == "user"]
            text = oracle.reply(users[-1] if users else "")
            if not request.get("stream"):
                choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                self._send(200, json.dumps({"id": "oracle", "model": ORACLE_NAME, "choices": [choice]}).encode())
                return
            chunks = [{"choices": [{"index": 0, "delta": {"content": text}}]}, {"choices": [{"index": 0, "delta": {}}]}]
            stream = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
            self._send(200, stream.encode(), "text/event-stream")

    return Handler


@contextmanager
def serve_oracle(questions_file: Path, port: int = 0) -> Iterator[str]:
    """The oracle on 127.0.0.1 (a free port by default) for the duration; yields its /v1 URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(Oracle(load_questions(questions_file))))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m rag.measure.oracle", description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with serve_oracle(args.questions, args.port) as url:
        print(f"oracle reader at {url} (Ctrl-C stops it)", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
