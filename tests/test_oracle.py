import json

import httpx

from rag.answer.prompts import NOT_FOUND, build_messages
from rag.measure.eval import Question
from rag.measure.oracle import Oracle, as_written_in, parse_prompt, serve_oracle


def oracle() -> Oracle:
    return Oracle(
        [
            Question("1", "Who chairs Twitter's board?", answers=["bret taylor"]),
            Question("2", "Who is India's ambassador to Brazil?", unanswerable=True),
            Question("3", "In which cities did Modi meet Putin, and Xi meet Lula?", answers_all=["Delhi", "Rio"]),
        ]
    )


def prompt(question: str, *sentences: str) -> str:
    evidence = "\n".join(f"[{n}] {s}" for n, s in enumerate(sentences, 1))
    return build_messages(question, evidence)[-1]["content"]


def test_the_oracle_answers_as_the_sentence_writes_it_or_says_not_found():
    o = oracle()
    shown = prompt("Who chairs Twitter's board?", "The deal was announced.", "Chair Bret Taylor, speaking on Monday.")
    assert o.reply(shown) == "Bret Taylor [2]."
    assert o.reply(prompt("Who chairs Twitter's board?", "The deal was announced.")) == NOT_FOUND
    assert o.reply(prompt("Who is India's ambassador to Brazil?", "Ashok Kumar is ambassador.")) == NOT_FOUND
    # a part of a compound question is answered from the question it was cut from
    assert o.reply(prompt("Who chairs Twitter's board", "Bret Taylor chairs it.")) == "Bret Taylor [1]."
    # also when the part takes the question words of the first clause
    assert o.reply(prompt("In which cities did Xi meet Lula?", "Xi met Lula in Rio.")) == "Rio [1]."


def test_prompts_are_read_back_and_answers_found_as_written():
    assert parse_prompt(prompt("Q?", "One.", "Two.")) == ([(1, "One."), (2, "Two.")], "Q?")
    assert as_written_in("Its chair, Bret Taylor, said so.", "bret taylor") == "Bret Taylor"
    assert as_written_in("Its chair said so.", "bret taylor") is None
    # a list or a date in another order is the answer as this sentence writes it (as eval scores it)
    assert (
        as_written_in("It lets users unsend and edit iMessages.", "Edit and unsend iMessages")
        == "unsend and edit iMessages"
    )


def test_the_oracle_speaks_the_openai_protocol_with_and_without_streaming(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"question": "Who chairs Twitter's board?", "answers": ["Bret Taylor"]}) + "\n")
    messages = [{"role": "user", "content": prompt("Who chairs Twitter's board?", "Bret Taylor chairs it.")}]
    with serve_oracle(questions) as url, httpx.Client(base_url=url) as client:
        assert client.get("/models").json()["data"][0]["id"] == "oracle-reader"
        reply = client.post("/chat/completions", json={"messages": messages}).json()
        assert reply["choices"][0]["message"]["content"] == "Bret Taylor [1]."
        with client.stream("POST", "/chat/completions", json={"messages": messages, "stream": True}) as r:
            assert "Bret Taylor [1]." in r.read().decode()
