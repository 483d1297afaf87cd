"""The browser chat (Gradio). Presentation only: every answer comes from answering.ask_events,
every added document goes through uploads.add_document and the same index as the CLI."""

from __future__ import annotations

import html
import re
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import RagError
from .schema import Answer, Citation
from .settings import Settings

SEED_EXAMPLES = [
    "Who is India's ambassador to Belarus?",
    "When were the India–Belarus Foreign Office Consultations held?",
    "What trade volume target did Lukashenko mention?",
]
DEFAULT_MODEL = "default"
CSS = """
.rag-sources {font-size: 0.92em}
.rag-source {border-left: 3px solid #4a78b0; padding: 4px 10px; margin: 8px 0}
.rag-source mark {background: #fff2a8; padding: 0 2px}
.rag-meta, .rag-timings {color: #777; font-size: 0.85em}
.rag-refusal {border-left: 3px solid #b07a4a; background: #fbf5ef; padding: 6px 10px}
.rag-warning {border-left: 3px solid #c9a227; background: #fffbea; padding: 6px 10px; margin: 6px 0}
.rag-query {color: #555; font-style: italic; margin-bottom: 6px}
abbr.rag-marker {text-decoration: none; color: #2b5d9b; font-weight: 600; cursor: help}
"""
_MARKER = re.compile(r"\[(\d+)\]")
Progress = Callable[[str, int, int], None]


# ------------------------------------------------------------------ presentation of an answer


def _quote_in_passage(answer: Answer, n: int) -> str:
    """The cited passage with the quoted sentence marked, all of it escaped."""
    esc = html.escape
    c = answer.citations[n]
    passage = next((p for p in answer.passages if p.chunk_id == c.chunk_id), None)
    if passage and passage.start <= c.start and c.end <= passage.end:
        a, b = c.start - passage.start, c.end - passage.start
        return f"{esc(passage.text[:a])}<mark>{esc(passage.text[a:b])}</mark>{esc(passage.text[b:])}"
    return f"<mark>{esc(c.quote)}</mark>"


def sources_html(answer: Answer) -> str:
    """Cited passages first, quote highlighted; passages retrieved but not cited apart,
    collapsed; then warnings and timings. Document text is always escaped."""
    esc = html.escape
    parts = []
    if answer.search_query and answer.search_query != answer.question:
        parts.append(f'<div class="rag-query">Searched for: {esc(answer.search_query)}</div>')
    if not answer.answered:
        parts.append(f'<div class="rag-refusal"><b>Not in the articles.</b> {esc(answer.text)}</div>')
    for warning in answer.warnings:
        parts.append(f'<div class="rag-warning">Note: {esc(warning)}</div>')
    if answer.citations:
        parts.append("<h4>Sources</h4>" if answer.answered else "<h4>Closest passages</h4>")
    for i, c in enumerate(answer.citations):
        date = f" · {esc(c.date)}" if c.date else ""
        parts.append(
            f'<div class="rag-source" id="source-{c.n}"><b>[{c.n}]</b> {esc(c.title)}'
            f'<div class="rag-meta">{esc(c.source)}{date} · characters {c.start}–{c.end}</div>'
            f"<details open><summary>“{esc(c.quote)}”</summary><p>{_quote_in_passage(answer, i)}</p></details></div>"
        )
    cited = {c.chunk_id for c in answer.citations}
    others = [p for p in answer.passages if p.chunk_id not in cited]
    if others:
        items = "".join(
            f'<div class="rag-source"><b>{esc(p.title)}</b><div class="rag-meta">{esc(p.source)}'
            f"{' · ' + esc(p.date) if p.date else ''}</div><p>{esc(p.text)}</p></div>"
            for p in others
        )
        parts.append(
            f'<details class="rag-others"><summary>Retrieved but not cited ({len(others)})</summary>{items}</details>'
        )
    parts.append(f'<div class="rag-timings">{esc(timings_line(answer))}</div>')
    return f'<div class="rag-sources" data-question="{esc(answer.question, quote=True)}">{"".join(parts)}</div>'


def timings_line(answer: Answer) -> str:
    labels = [("retrieve", "search"), ("evidence", "evidence"), ("first_token", "first word"), ("total", "total")]
    shown = [f"{label} {answer.timings[key]:.2f} s" for key, label in labels if key in answer.timings]
    return " · ".join(shown + ([answer.model] if answer.model else []))


def shorten(text: str, limit: int) -> str:
    """Whole, or cut at a word boundary with an ellipsis: never "…discussed wit"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


def chat_text(answer: Answer) -> str:
    """The chat bubble: the answer with markers that show their quote on hover, then the
    quoted sources in short. Escaped: documents are data, never markup."""
    esc = html.escape
    by_n = {c.n: c for c in answer.citations}

    def marker(m: re.Match[str]) -> str:
        c = by_n.get(int(m[1]))
        if c is None:
            return m[0]
        tip = f"{shorten(c.title, 80)} · {c.date or 'undated'} · {c.source}: “{c.quote}”"
        return f'<abbr class="rag-marker" title="{esc(tip, quote=True)}">[{c.n}]</abbr>'

    text = _MARKER.sub(marker, esc(answer.text))
    lines = [text, ""]  # a refusal says so in its own words ("The articles do not say …")
    # One line per article, with every marker that cites it.
    articles: dict[str, list[Citation]] = {}
    for c in answer.citations:
        articles.setdefault(c.source, []).append(c)
    for cited in articles.values():
        c = cited[0]
        date = f", {esc(c.date)}" if c.date else ""
        markers = "".join(f"[{x.n}]" for x in cited)
        lines.append(f"{markers} *{esc(shorten(c.title, 70))}* ({esc(c.source)}{date})")
    for warning in answer.warnings:
        lines.append(f"\n_Note: {esc(warning)}_")
    return "\n".join(lines)


# ------------------------------------------------------------------ choices a visitor can make


def model_choices(settings: Settings) -> list[str]:
    """The default model plus every .gguf in models/; names only, never paths from a browser."""
    folder = Path(settings.models_dir)
    found = sorted(p.name for p in folder.glob("*.gguf")) if folder.is_dir() else []
    return [DEFAULT_MODEL, *found]


def turn_settings(settings: Settings, model: str | None, k: float | None, temperature: float | None) -> Settings:
    """Settings for one question from the visitor's choices, each checked against what is offered."""
    chosen = settings
    if model and model != DEFAULT_MODEL:
        if model not in model_choices(settings):
            raise RagError(f"unknown model {model!r}")
        chosen = chosen.replace(model=Path(settings.models_dir) / model)
    if k is not None:
        chosen = chosen.replace(k=max(1, min(10, int(k))))
    if temperature is not None:
        chosen = chosen.replace(temperature=max(0.0, min(1.0, float(temperature))))
    return chosen


def examples_for(settings: Settings) -> list[str]:
    """Starting questions about the loaded corpus: the seeds have written ones; any other
    corpus gets one about each of its three newest articles."""
    if Path(settings.corpus).resolve() == Path("seeds").resolve():
        return SEED_EXAMPLES
    from .answering import get_index

    try:
        documents = list(get_index(settings).documents.values())
    except RagError:
        return []
    documents.sort(key=lambda d: d.get("date") or "", reverse=True)
    examples = []
    for d in documents[:3]:
        # "Ford recalls 2.9M vehicles | CNN Business": the publisher is not the subject.
        words = re.split(r"\s[|–—-]\s", d.get("title") or "")[0].split()
        if words:
            examples.append(f"What does “{' '.join(words[:9])}{'…' if len(words) > 9 else ''}” report?")
    return examples


def corpus_rows(settings: Settings) -> list[list[Any]]:
    from .answering import get_index

    documents = get_index(settings).documents
    return [
        [name, shorten(d.get("title", ""), 90), d.get("date") or "", d.get("chunks", 0)]
        for name, d in documents.items()
    ]


# ------------------------------------------------------------------ handlers


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
            if kind == "status" and value in ("reading", "writing"):
                history[-1] = {"role": "assistant", "content": f"_{value.capitalize()}…_"}
            elif kind == "token":
                streamed += value
                history[-1] = {"role": "assistant", "content": html.escape(streamed)}
            elif kind == "answer":
                history[-1] = {"role": "assistant", "content": chat_text(value)}
                yield history, sources_html(value), ""
                return
            else:
                continue
            yield history, "", ""
    except RagError as exc:
        history[-1] = {"role": "assistant", "content": f"Error: {html.escape(str(exc))}"}
        yield history, "", message


def add_documents(files: list[Any] | None, settings: Settings, progress: Progress | None = None) -> str:
    """Store the uploads in the corpus and bring the index up to date; a line per file."""
    from .answering import get_index
    from .uploads import add_document

    if not files:
        return "Choose one or more .txt, .md, .html or .pdf files first."
    lines, added = [], 0
    for item in files:
        path = Path(getattr(item, "name", None) or str(item))
        original = getattr(item, "orig_name", None) or path.name
        try:
            stored = add_document(Path(settings.corpus), path, original)
            lines.append(f"Added {html.escape(original)} as {html.escape(stored.name)}")
            added += 1
        except (RagError, OSError) as exc:
            lines.append(f"Not added: {html.escape(str(exc))}")
    if added:
        try:
            index = get_index(settings, progress)
            lines.append(f"Indexed: {len(index.documents)} documents, {index.manifest['chunk_count']} passages.")
        except RagError as exc:
            lines.append(f"Not indexed: {html.escape(str(exc))}")
    return "\n\n".join(lines)


def api_answer(question: str, as_of: str = "", settings: Settings | None = None) -> dict[str, Any]:
    """The scripting endpoint: the same Answer ask() returns, as JSON."""
    from .answering import ask

    try:
        return ask(question, as_of=as_of or None, settings=settings).to_dict()
    except RagError as exc:
        return {"error": str(exc)}


# ------------------------------------------------------------------ the app


def build_app(settings: Settings):
    import gradio as gr

    def on_submit(message: str, history: list, model: str, k: float, temperature: float):
        try:
            chosen = turn_settings(settings, model, k, temperature)
        except RagError as exc:
            yield [*history, {"role": "assistant", "content": f"Error: {exc}"}], "", message
            return
        yield from respond(message, history, chosen)

    def on_upload(files: list, progress=gr.Progress()):  # noqa: B008 (Gradio injects progress this way)
        def report(stage: str, done: int, total: int) -> None:
            progress(done / max(total, 1), desc=f"{stage} {done}/{total}")

        status = add_documents(files, settings, report)
        return status, corpus_rows(settings), None

    def answer(question: str, as_of: str = "") -> dict:
        """Answer a question from the articles; returns the Answer as JSON (text, citations…)."""
        return api_answer(question, as_of, settings)

    with gr.Blocks(title="Ask the articles") as app:
        gr.Markdown(
            "## Ask the articles\nAnswers come only from your documents, with the quoted sentences they rest on. "
            "Hover a marker like [1] to see its quote; the panel on the right shows it in its passage."
        )
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", height=500, elem_id="rag-chat")
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask a question about the articles…", show_label=False, scale=5, elem_id="rag-box"
                    )
                    send = gr.Button("Ask", variant="primary", scale=1)
                new_chat = gr.Button("New chat", size="sm")
                gr.Examples(examples_for(settings), inputs=box, label="Try")
            with gr.Column(scale=2):
                sources = gr.HTML(elem_id="rag-sources-panel")
        with gr.Accordion("Documents", open=False, elem_id="rag-documents"):
            table = gr.Dataframe(
                value=corpus_rows(settings),
                headers=["file", "title", "date", "passages"],
                interactive=False,
                wrap=True,
            )
            uploads = gr.File(
                label="Add documents (.txt, .md, .html, .pdf)",
                file_count="multiple",
                file_types=[".txt", ".md", ".html", ".htm", ".pdf"],
                elem_id="rag-upload",
            )
            add = gr.Button("Add to the index", elem_id="rag-add")
            upload_status = gr.Markdown(elem_id="rag-upload-status")
        with gr.Accordion("Settings", open=False):
            model = gr.Dropdown(model_choices(settings), value=DEFAULT_MODEL, label="Model")
            k = gr.Slider(1, 10, value=settings.k, step=1, label="Passages to retrieve")
            temperature = gr.Slider(0.0, 1.0, value=settings.temperature, step=0.05, label="Temperature")

        inputs = [box, chatbot, model, k, temperature]
        outputs = [chatbot, sources, box]
        # One model, one answer at a time (llama.cpp is not thread-safe): every event that
        # generates shares the "model" queue, and a waiting visitor sees their position.
        box.submit(on_submit, inputs, outputs, api_name=False, concurrency_id="model")
        send.click(on_submit, inputs, outputs, api_name="chat", concurrency_id="model")
        new_chat.click(lambda: ([], "", ""), None, outputs, api_name=False, queue=False)
        add.click(on_upload, [uploads], [upload_status, table, uploads], api_name=False, concurrency_id="index")
        gr.api(answer, api_name="answer", concurrency_id="model")
    app.queue(default_concurrency_limit=1)
    return app


def read_auth(value: str | None) -> list[tuple[str, str]] | None:
    """--auth user:password, or the path of a file with one user:password per line."""
    if not value:
        return None
    lines = [value]
    if Path(value).is_file():
        lines = [line.strip() for line in Path(value).read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = []
    for line in lines:
        user, sep, password = line.partition(":")
        if not sep or not user or not password:
            raise RagError("--auth expects user:password (or a file of such lines)")
        pairs.append((user, password))
    return pairs


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, auth: str | None = None) -> None:
    from .answering import warm_up
    from .daemon import announce, withdraw
    from .models import resolve_model
    from .uploads import MAX_UPLOAD_BYTES

    credentials = read_auth(auth)
    warm_up(settings)  # index built, models loaded and the shared prompt evaluated before anyone waits
    app = build_app(settings)
    app.launch(
        server_name=host,
        server_port=port,
        share=False,
        show_error=False,
        css=CSS,
        auth=credentials,
        max_file_size=MAX_UPLOAD_BYTES,
        prevent_thread_lock=True,
    )
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::', '') else host}:{port}"
    model = None if settings.llm_url else resolve_model(settings.model, settings.models_dir)
    note = announce(settings, model, url, port, login=bool(credentials))
    print(f"serving on http://{host}:{port}" + (" (login required)" if credentials else ""), flush=True)
    # SIGTERM (a service manager, `kill`) ends the process through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        app.block_thread()
    finally:
        withdraw(note)
