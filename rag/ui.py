"""The browser chat (Gradio). Presentation only: every answer comes from answering.ask_events."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from .errors import RagError
from .schema import Answer
from .settings import Settings

EXAMPLES = [
    "Who is India's ambassador to Belarus?",
    "When were the India–Belarus Foreign Office Consultations held?",
    "What trade volume target did Lukashenko mention?",
]
CSS = """
.rag-sources {font-size: 0.92em}
.rag-source {border-left: 3px solid #4a78b0; padding: 4px 10px; margin: 8px 0}
.rag-source mark {background: #fff2a8; padding: 0 2px}
.rag-meta {color: #666; font-size: 0.9em}
.rag-refusal {border-left: 3px solid #b07a4a; background: #fbf5ef; padding: 6px 10px}
"""


def sources_html(answer: Answer) -> str:
    """Cited quotes first, highlighted inside their passage; other retrieved passages apart."""
    esc = html.escape
    parts = ["<h4>Sources</h4>"] if answer.answered else [f'<div class="rag-refusal">{esc(answer.text)}</div>']
    for c in answer.citations:
        passage = next((p for p in answer.passages if p.chunk_id == c.chunk_id), None)
        if passage and passage.start <= c.start and c.end <= passage.end:
            a, b = c.start - passage.start, c.end - passage.start
            body = f"{esc(passage.text[:a])}<mark>{esc(passage.text[a:b])}</mark>{esc(passage.text[b:])}"
        else:
            body = f"<mark>{esc(c.quote)}</mark>"
        date = f" · {esc(c.date)}" if c.date else ""
        parts.append(
            f'<div class="rag-source"><b>[{c.n}]</b> {esc(c.title)}'
            f'<div class="rag-meta">{esc(c.source)}{date} · characters {c.start}–{c.end}</div>'
            f"<details><summary>“{esc(c.quote)}”</summary><p>{body}</p></details></div>"
        )
    cited = {c.chunk_id for c in answer.citations}
    others = [p for p in answer.passages if p.chunk_id not in cited]
    if others:
        items = "".join(
            f'<div class="rag-source"><b>{esc(p.title)}</b><div class="rag-meta">{esc(p.source)}'
            f"{' · ' + esc(p.date) if p.date else ''}</div><p>{esc(p.text)}</p></div>"
            for p in others
        )
        parts.append(f"<details><summary>Other retrieved passages ({len(others)})</summary>{items}</details>")
    return f'<div class="rag-sources">{"".join(parts)}</div>'


def chat_text(answer: Answer) -> str:
    """The answer as shown in the chat bubble: text, then the quoted sources in short."""
    if not answer.answered:
        return f"🔎 {answer.text}"
    lines = [answer.text, ""]
    for c in answer.citations:
        lines.append(f"[{c.n}] *{c.title[:70]}* ({c.source}{', ' + c.date if c.date else ''}): “{c.quote}”")
    return "\n".join(lines)


def respond(message: str, history: list[dict[str, Any]], settings: Settings) -> Iterator[tuple[list, str, str]]:
    """One turn: yields (chat history, sources panel, textbox value) as the answer grows."""
    from .answering import ask_events

    history = list(history or [])
    previous = [dict(turn) for turn in history]
    history.append({"role": "user", "content": message})
    history.append({"role": "assistant", "content": "_Searching the articles…_"})
    yield history, "", ""
    try:
        streamed = ""
        for kind, value in ask_events(message, settings, previous):
            if kind == "status" and value == "writing":
                history[-1] = {"role": "assistant", "content": "_Writing…_"}
            elif kind == "token":
                streamed += value
                history[-1] = {"role": "assistant", "content": streamed}
            elif kind == "answer":
                history[-1] = {"role": "assistant", "content": chat_text(value)}
                yield history, sources_html(value), ""
                return
            else:
                continue
            yield history, "", ""
    except RagError as exc:
        history[-1] = {"role": "assistant", "content": f"⚠️ {exc}"}
        yield history, "", ""


def build_app(settings: Settings):
    import gradio as gr

    def on_submit(message: str, history: list):
        yield from respond(message, history, settings)

    with gr.Blocks(title="Ask the articles") as app:
        gr.Markdown(
            "## Ask the articles\nAnswers come only from your documents, with the quoted sentences they rest on."
        )
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", height=480)
                with gr.Row():
                    box = gr.Textbox(placeholder="Ask a question about the articles…", show_label=False, scale=5)
                    send = gr.Button("Ask", variant="primary", scale=1)
                new_chat = gr.Button("New chat", size="sm")
                gr.Examples(EXAMPLES, inputs=box)
            with gr.Column(scale=2):
                sources = gr.HTML(label="Sources")
        for trigger in (box.submit, send.click):
            trigger(
                on_submit, [box, chatbot], [chatbot, sources, box], api_name="ask" if trigger == send.click else False
            )
        new_chat.click(lambda: ([], "", ""), None, [chatbot, sources, box], api_name=False)
    # llama.cpp is not thread-safe: one answer at a time, the rest wait in the queue.
    app.queue(default_concurrency_limit=1)
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    from .answering import get_generator, get_index

    get_index(settings)  # build or load before the first visitor waits on it
    get_generator(settings)  # validates --model now, with a clear error
    app = build_app(settings)
    print(f"serving on http://{host}:{port}")
    app.launch(server_name=host, server_port=port, share=False, show_error=False, css=CSS)
