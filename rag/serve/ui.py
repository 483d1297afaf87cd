"""The browser chat (Gradio). Presentation only: every answer comes from answering.ask_events,
every added document goes through uploads.add_document and the same index as the CLI."""

from __future__ import annotations

import html
import re
import shutil
import signal
import sys
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..answer.models import SMALL_MODEL
from ..errors import InputError, RagError
from ..ingest.extract import SUFFIXES as UPLOAD_SUFFIXES
from ..schema import Answer, Citation
from ..settings import Settings
from .heap import answering, limit_arenas

if TYPE_CHECKING:
    from ..ingest.uploads import CorpusPlaces

DEFAULT_MODEL = "default"
CSS = """
.rag-sources {font-size: 0.92em}
.rag-source {border-left: 3px solid #4a78b0; padding: 4px 10px; margin: 8px 0}
.rag-source mark {background: #fff2a8; padding: 0 2px}
.rag-meta, .rag-timings {color: #595959; font-size: 0.85em}
.rag-refusal {border-left: 3px solid #b07a4a; background: #fbf5ef; padding: 6px 10px}
.rag-warning {border-left: 3px solid #c9a227; background: #fffbea; padding: 6px 10px; margin: 6px 0}
.rag-query {color: #555; font-style: italic; margin-bottom: 6px}
abbr.rag-marker {text-decoration: none; color: #1a4480 !important; font-weight: 600; cursor: help}
.rag-sources h2 {font-size: 1.05em; margin: 8px 0 4px}
/* Contrast of at least 4.5:1 (WCAG AA) for the primary button and the footer. */
button.primary {background: #1d4ed8 !important; border-color: #1d4ed8 !important; color: #fff !important}
button.primary:hover {background: #1e40af !important}
footer, footer button, footer a, [data-testid="min-value"], [data-testid="max-value"] {color: #404040 !important}
/* Where the keyboard is, always visible. */
button:focus-visible, textarea:focus-visible, input:focus-visible, a:focus-visible, summary:focus-visible {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px}
.rag-example {text-align: left; white-space: normal}
/* A phone: the chat fits the screen, the sources panel follows it. */
@media (max-width: 600px) {#rag-chat {height: 380px !important}}
"""
EMPTY_SOURCES = '<p class="rag-meta">The sentences an answer rests on appear here, marked in their passages.</p>'
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
        parts.append("<h2>Sources</h2>" if answer.answered else "<h2>Closest passages</h2>")
    for i, c in enumerate(answer.citations):
        date = f" · {esc(c.date)}" if c.date else ""
        page = f", p. {c.page}" if c.page is not None else ""
        parts.append(
            f'<div class="rag-source" id="source-{c.n}"><b>[{c.n}]</b> {esc(c.title)}'
            f'<div class="rag-meta">{esc(c.source)}{page}{date} · characters {c.start}–{c.end}</div>'
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
        page = f", p. {c.page}" if c.page is not None else ""
        tip = f"{shorten(c.title, 80)} · {c.date or 'undated'} · {c.source}{page}: “{c.quote}”"
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
        pages = sorted({x.page for x in cited if x.page is not None})
        where = f", p. {', '.join(map(str, pages))}" if pages else ""
        markers = "".join(f"[{x.n}]" for x in cited)
        lines.append(f"{markers} *{esc(shorten(c.title, 70))}* ({esc(c.source)}{where}{date})")
    for warning in answer.warnings:
        lines.append(f"\n_Note: {esc(warning)}_")
    return "\n".join(lines)


# ------------------------------------------------------------------ choices a visitor can make


def model_choices(settings: Settings) -> list[str]:
    """The default model, the small one (fast, but it does not read well) and every .gguf in
    models/; names only, never paths from a browser."""
    folder = Path(settings.models_dir)
    found = sorted(p.name for p in folder.glob("*.gguf")) if folder.is_dir() else []
    return [DEFAULT_MODEL, SMALL_MODEL, *found]


def turn_settings(settings: Settings, model: str | None, k: float | None, temperature: float | None) -> Settings:
    """Settings for one question from the visitor's choices, each checked against what is offered."""
    chosen = settings
    if model and model != DEFAULT_MODEL:
        if model not in model_choices(settings):
            raise InputError(f"unknown model {model!r}")
        chosen = chosen.replace(model=model if model == SMALL_MODEL else Path(settings.models_dir) / model)
    if k is not None:
        chosen = chosen.replace(k=max(1, min(10, int(k))))
    if temperature is not None:
        chosen = chosen.replace(temperature=max(0.0, min(1.0, float(temperature))))
    return chosen


def corpus_rows(settings: Settings) -> list[list[Any]]:
    from ..cache import get_index

    index = get_index(settings)
    rows = [
        [name, shorten(d.get("title", ""), 90), d.get("date") or "", d.get("chunks", 0)]
        for name, d in index.documents.items()
    ]
    # A file the index could not read is listed with why, so it is not simply missing.
    for warning in index.warnings:
        name, _, reason = warning.removeprefix("skipped ").partition(": ")
        if warning.startswith("skipped ") and reason:
            rows.append([name, f"Not indexed: {reason}", "", 0])
    return sorted(rows)


# ------------------------------------------------------------------ handlers


def respond(
    message: str, history: list[dict[str, Any]], settings: Settings
) -> Iterator[tuple[list, str, str, Answer | None]]:
    """One turn: yields (chat history, sources panel, textbox value, the Answer once done)
    as the answer grows."""
    from ..answering import ask_events

    history = list(history or [])
    previous = [dict(turn) for turn in history]
    history.append({"role": "user", "content": message})
    history.append({"role": "assistant", "content": "_Searching the articles…_"})
    yield history, "", "", None
    try:
        streamed = ""
        with answering():
            for kind, value in ask_events(message, settings, previous):
                if kind == "status" and value in ("reading", "writing"):
                    history[-1] = {"role": "assistant", "content": f"_{value.capitalize()}…_"}
                elif kind == "token":
                    streamed += value
                    history[-1] = {"role": "assistant", "content": html.escape(streamed)}
                elif kind == "answer":
                    history[-1] = {"role": "assistant", "content": chat_text(value)}
                    yield history, sources_html(value), "", value
                    return
                else:
                    continue
                yield history, "", "", None
    except RagError as exc:
        history[-1] = {"role": "assistant", "content": f"Error: {html.escape(str(exc))}"}
        yield history, "", message, None


def places(settings: Settings, user: str | None = None) -> CorpusPlaces:
    """The corpus, its trash and its log of changes, for the visitor logged in as user."""
    from ..ingest.uploads import CorpusPlaces

    return CorpusPlaces(Path(settings.corpus), Path(settings.index_path), user)


def add_documents(
    files: list[Any] | None, settings: Settings, progress: Progress | None = None, user: str | None = None
) -> str:
    """Store the uploads in the corpus and bring the index up to date; a line per file."""
    from ..cache import get_index
    from ..ingest.uploads import add_document

    if not files:
        return f"Choose one or more {', '.join(UPLOAD_SUFFIXES)} files first."
    lines, added = [], 0
    for item in files:
        path = Path(getattr(item, "name", None) or str(item))
        original = getattr(item, "orig_name", None) or path.name
        try:
            stored = add_document(Path(settings.corpus), path, original, places(settings, user))
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


def remove_from_corpus(document_id: str | None, settings: Settings, user: str | None = None) -> str:
    """Move a document's file to the trash (the visitor has confirmed) and drop its passages
    from the index; the other documents' vectors are reused, nothing is embedded."""
    from ..cache import get_index
    from ..ingest.trash import KEEP_DAYS
    from ..ingest.uploads import remove_document

    if not document_id:
        return "Choose a document to remove first."
    try:
        passages = get_index(settings).documents.get(document_id, {}).get("chunks", 0)
        remove_document(places(settings, user), document_id)
    except RagError as exc:
        return f"Not removed: {html.escape(str(exc))}"
    try:
        index = get_index(settings)
    except RagError as exc:
        return f"Removed {html.escape(document_id)}, but the index was not rebuilt: {html.escape(str(exc))}"
    return (
        f"Removed {html.escape(document_id)}: its {passages} passage{'s' if passages != 1 else ''} left the index "
        f"({index.manifest.get('embedded_this_build', 0)} passages embedded again); its file is in the trash "
        f"for {KEEP_DAYS} days (Restore below). "
        f"Indexed: {len(index.documents)} documents, {index.manifest['chunk_count']} passages."
    )


def trash_choices(settings: Settings) -> list[tuple[str, str]]:
    """(label, entry id) of each removed document that can be restored, newest first."""
    from ..ingest.uploads import trashed_documents

    return [
        (f"{e.document} (removed {e.when}{f' by {e.user}' if e.user else ''})", e.id)
        for e in trashed_documents(places(settings))
    ]


def restore_from_trash(entry_id: str | None, settings: Settings, user: str | None = None) -> str:
    """Put a removed document back and index it again (its extracted text is read again; the
    other documents' vectors are reused)."""
    from ..cache import get_index
    from ..ingest.uploads import restore_document

    if not entry_id:
        return "Choose a removed document to restore first."
    try:
        entry = restore_document(places(settings, user), entry_id)
    except RagError as exc:
        return f"Not restored: {html.escape(str(exc))}"
    try:
        index = get_index(settings)
    except RagError as exc:
        return f"Restored {html.escape(entry.document)}, but the index was not rebuilt: {html.escape(str(exc))}"
    passages = index.documents.get(entry.document, {}).get("chunks", 0)
    return (
        f"Restored {html.escape(entry.document)}: {passages} passage{'s' if passages != 1 else ''} back in the index. "
        f"Indexed: {len(index.documents)} documents, {index.manifest['chunk_count']} passages."
    )


def empty_the_trash(settings: Settings, user: str | None = None) -> str:
    from ..ingest.uploads import empty_trash

    try:
        gone = empty_trash(places(settings, user))
    except OSError as exc:
        return f"Not emptied: {html.escape(exc.strerror or str(exc))}"
    return f"Deleted {gone} removed document{'s' if gone != 1 else ''} for good." if gone else "The trash is empty."


def export_file(answers: list[Answer], folder: Path) -> Path:
    """The conversation as a Markdown file for the Export button."""
    from .transcript import conversation_markdown

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"conversation-{time.strftime('%Y%m%d-%H%M%S')}.md"
    path.write_text(conversation_markdown(answers), encoding="utf-8")
    return path


def api_answer(question: str, as_of: str = "", settings: Settings | None = None) -> dict[str, Any]:
    """The scripting endpoint: the same Answer ask() returns, as JSON."""
    from ..answering import ask

    try:
        with answering():
            return ask(question, as_of=as_of or None, settings=settings).to_dict()
    except RagError as exc:
        return {"error": str(exc)}


# ------------------------------------------------------------------ the app


def _given_request(fn: Callable, gr: Any) -> Callable:
    """Gradio hands an event function the request (who is logged in) when a parameter is typed
    gr.Request; under `from __future__ import annotations` the type is a string naming gr, which
    is imported in build_app only, so the type is set here as the class itself."""
    fn.__annotations__ = {"request": gr.Request}
    return fn


def build_app(settings: Settings, examples: list[str] | None = None, read_only: bool = False):
    """The chat; read_only: questions and answers only, and no event that changes the corpus
    exists at all (not hidden: absent from the app and its API)."""
    import gradio as gr

    from ..ingest.trash import KEEP_DAYS
    from ..measure.examples import SHOWN, for_corpus

    exports = Path(tempfile.mkdtemp(prefix="rag-exports-"))
    examples = list(examples or [])[:SHOWN]

    def on_submit(message: str, history: list, answers: list, model: str, k: float, temperature: float):
        try:
            chosen = turn_settings(settings, model, k, temperature)
        except RagError as exc:
            yield [*history, {"role": "assistant", "content": f"Error: {exc}"}], "", message, answers
            return
        if not (message or "").strip():
            yield history, gr.skip(), "", answers
            return
        for chat, panel, box_value, answer in respond(message, history, chosen):
            yield chat, panel, box_value, answers if answer is None else [*answers, answer]

    def export_button(answers: list):
        if not answers:
            return gr.DownloadButton(value=None, interactive=False)
        return gr.DownloadButton(value=str(export_file(answers, exports)), interactive=True)

    def example_buttons() -> list:
        shown = for_corpus(settings)[:SHOWN]
        buttons = [gr.Button(value=shown[i] if i < len(shown) else "", visible=i < len(shown)) for i in range(SHOWN)]
        return [gr.Column(visible=bool(shown)), *buttons]

    def documents_now() -> tuple[list[list[Any]], Any, Any]:
        """The documents table, the list to remove from and the trash to restore from, read once."""
        rows = corpus_rows(settings)
        removed = trash_choices(settings)
        return rows, gr.Dropdown(choices=[row[0] for row in rows], value=None), gr.Dropdown(choices=removed, value=None)

    def on_upload(files: list, request, progress=gr.Progress()):  # noqa: B008 (Gradio injects progress this way)
        def report(stage: str, done: int, total: int) -> None:
            progress(done / max(total, 1), desc=f"{stage} {done}/{total}")

        return add_documents(files, settings, report, request.username), *documents_now()

    def on_remove_asked(document_id: str | None):
        if not document_id:
            return gr.Column(visible=False), "Choose a document to remove first."
        question = (
            f"Remove **{document_id}** from the index? Its file moves from the corpus to the trash, "
            f"where it can be restored for {KEEP_DAYS} days."
        )
        return gr.Column(visible=True), question

    def on_remove_confirmed(document_id: str | None, request):
        return remove_from_corpus(document_id, settings, request.username), *documents_now(), gr.Column(visible=False)

    def on_restore(entry_id: str | None, request):
        return restore_from_trash(entry_id, settings, request.username), *documents_now()

    def on_empty_confirmed(request):
        return empty_the_trash(settings, request.username), *documents_now(), gr.Column(visible=False)

    def answer(question: str, as_of: str = "") -> dict:
        """Answer a question from the articles; returns the Answer as JSON (text, citations…)."""
        return api_answer(question, as_of, settings)

    with gr.Blocks(title="Ask the articles") as app:
        gr.Markdown(
            "# Ask the articles\nAnswers come only from your documents, with the quoted sentences they rest on. "
            "Hover a marker like [1] to see its quote; the sources panel shows it in its passage."
        )
        answers = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chatbot = gr.Chatbot(label="Chat", height=460, buttons=["copy"], elem_id="rag-chat")
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask a question about the articles…",
                        label="Question",
                        show_label=False,
                        scale=5,
                        elem_id="rag-box",
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="rag-ask")
                with gr.Row():
                    new_chat = gr.Button("New chat", size="sm", elem_id="rag-new-chat")
                    export = gr.DownloadButton(
                        "Export (Markdown)", value=None, size="sm", interactive=False, elem_id="rag-export"
                    )
                with gr.Column(elem_id="rag-examples", visible=bool(examples)) as tries:
                    gr.Markdown("Try one of these:")
                    tried = [
                        gr.Button(
                            examples[i] if i < len(examples) else "",
                            visible=i < len(examples),
                            size="sm",
                            elem_classes=["rag-example"],
                        )
                        for i in range(SHOWN)
                    ]
            with gr.Column(scale=2, min_width=320):
                sources = gr.HTML(EMPTY_SOURCES, elem_id="rag-sources-panel")
        with gr.Accordion("Documents", open=False, elem_id="rag-documents"):
            rows = corpus_rows(settings)
            table = gr.Dataframe(
                value=rows,
                headers=["file", "title", "date", "passages"],
                interactive=False,
                wrap=True,
                elem_id="rag-documents-table",
            )
            if not read_only:
                with gr.Row():
                    chosen_document = gr.Dropdown(
                        [row[0] for row in rows],
                        value=None,
                        label="Document to remove",
                        scale=4,
                        elem_id="rag-remove-choice",
                    )
                    remove = gr.Button("Remove…", scale=1, min_width=100, elem_id="rag-remove")
                with gr.Column(visible=False, elem_id="rag-remove-confirm") as confirm:
                    confirm_text = gr.Markdown()
                    with gr.Row():
                        confirmed = gr.Button("Move to the trash", variant="stop", elem_id="rag-remove-yes")
                        cancelled = gr.Button("Cancel", elem_id="rag-remove-no")
                uploads = gr.UploadButton(
                    f"Add documents ({', '.join(UPLOAD_SUFFIXES)})…",
                    file_count="multiple",
                    file_types=list(UPLOAD_SUFFIXES),
                    elem_id="rag-upload",
                )
                with gr.Row():
                    chosen_removed = gr.Dropdown(
                        trash_choices(settings),
                        value=None,
                        label=f"Removed document to restore (kept {KEEP_DAYS} days, then deleted)",
                        scale=4,
                        elem_id="rag-trash-choice",
                    )
                    restore = gr.Button("Restore", scale=1, min_width=100, elem_id="rag-restore")
                    empty = gr.Button("Empty the trash…", scale=1, min_width=100, elem_id="rag-empty-trash")
                with gr.Column(visible=False, elem_id="rag-empty-confirm") as empty_confirm:
                    gr.Markdown("Delete every removed document for good? They cannot be restored after this.")
                    with gr.Row():
                        empty_yes = gr.Button("Delete for good", variant="stop", elem_id="rag-empty-yes")
                        empty_no = gr.Button("Cancel", elem_id="rag-empty-no")
            else:
                gr.Markdown("This chat is read-only: documents cannot be added or removed here.")
            documents_status = gr.Markdown(elem_id="rag-documents-status")
        with gr.Accordion("Settings", open=False):
            model = gr.Dropdown(model_choices(settings), value=DEFAULT_MODEL, label="Model")
            k = gr.Slider(1, 10, value=settings.k, step=1, label="Passages to retrieve")
            temperature = gr.Slider(0.0, 1.0, value=settings.temperature, step=0.05, label="Temperature")

        choices = [chatbot, answers, model, k, temperature]
        outputs = [chatbot, sources, box, answers]
        # The export follows each turn outside the "chat" endpoint, whose outputs stay
        # (history, sources, box) for scripts.
        exporting = {
            "fn": export_button,
            "inputs": answers,
            "outputs": export,
            "api_visibility": "private",
            "queue": False,
        }
        # One model, one answer at a time (llama.cpp is not thread-safe): every event that
        # generates shares the "model" queue, and a waiting visitor sees their position.
        box.submit(on_submit, [box, *choices], outputs, api_visibility="private", concurrency_id="model").then(
            **exporting
        )
        send.click(on_submit, [box, *choices], outputs, api_name="chat", concurrency_id="model").then(**exporting)
        for button in tried:
            button.click(on_submit, [button, *choices], outputs, api_visibility="private", concurrency_id="model").then(
                **exporting
            )
        new_chat.click(lambda: ([], EMPTY_SOURCES, "", []), None, outputs, api_visibility="private", queue=False).then(
            **exporting
        )
        # A changed corpus may answer other questions: the examples are checked again.
        refresh = {
            "fn": example_buttons,
            "inputs": None,
            "outputs": [tries, *tried],
            "api_visibility": "private",
            "concurrency_id": "model",
        }
        # A page opened (or reloaded) lists the documents and the trash as they are now, not
        # as they were when the server started.
        if read_only:
            app.load(lambda: corpus_rows(settings), None, table, api_visibility="private", queue=False)
        else:
            app.load(
                documents_now, None, [table, chosen_document, chosen_removed], api_visibility="private", queue=False
            )
        if not read_only:
            # Who changed the corpus goes in its log: these handlers are given the request.
            for handler in (on_upload, on_remove_confirmed, on_restore, on_empty_confirmed):
                _given_request(handler, gr)
            documents = [table, chosen_document, chosen_removed]

            def changes_corpus(event: Any, handler: Any, inputs: Any, closes: tuple = ()) -> Any:
                """An event that changes the corpus: one at a time with indexing, its outcome shown
                in the Documents panel (and the confirmation it answers closed)."""
                return event(
                    handler,
                    inputs,
                    [documents_status, *documents, *closes],
                    api_visibility="private",
                    concurrency_id="index",
                )

            changes_corpus(uploads.upload, on_upload, [uploads]).then(**refresh)
            remove.click(
                on_remove_asked, [chosen_document], [confirm, confirm_text], api_visibility="private", queue=False
            )
            cancelled.click(lambda: gr.Column(visible=False), None, confirm, api_visibility="private", queue=False)
            changes_corpus(confirmed.click, on_remove_confirmed, [chosen_document], (confirm,)).then(**refresh)
            changes_corpus(restore.click, on_restore, [chosen_removed]).then(**refresh)
            empty.click(lambda: gr.Column(visible=True), None, empty_confirm, api_visibility="private", queue=False)
            empty_no.click(lambda: gr.Column(visible=False), None, empty_confirm, api_visibility="private", queue=False)
            changes_corpus(empty_yes.click, on_empty_confirmed, None, (empty_confirm,))
        gr.api(answer, api_name="answer", concurrency_id="model")
    app.queue(default_concurrency_limit=1)
    # the exported files go with the app (or the process): a server started and stopped
    # every day must not leave a folder behind each time
    weakref.finalize(app, shutil.rmtree, exports, ignore_errors=True)
    return app


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: str | None = None,
    read_only: bool = False,
) -> None:
    from starlette.middleware import Middleware

    from ..answer.models import resolve_model
    from ..answering import warm_up
    from ..ingest.uploads import MAX_UPLOAD_BYTES
    from ..measure.examples import for_corpus
    from .access import ReadOnlyGate, check_exposure
    from .daemon import announce, withdraw
    from .passwords import async_checker, read_logins
    from .throttle import LOGIN_PAGE_NOTE, LoginThrottle, ThrottleLogins

    logins = read_logins(auth)
    check_exposure(host, bool(logins), read_only)  # before minutes of loading, not after
    limit_arenas()  # before the request threads exist: see heap.py
    warm_up(settings)  # index built, models loaded and the shared prompt evaluated before anyone waits
    app = build_app(settings, for_corpus(settings), read_only=read_only)
    middleware = [Middleware(ThrottleLogins, throttle=LoginThrottle())]
    if read_only:
        middleware.append(Middleware(ReadOnlyGate))
    app.launch(
        server_name=host,
        server_port=port,
        share=False,
        show_error=False,
        css=CSS,
        auth=async_checker(logins) if logins else None,
        auth_message=LOGIN_PAGE_NOTE if logins else None,
        max_file_size=MAX_UPLOAD_BYTES,
        footer_links=["api"],
        prevent_thread_lock=True,
        app_kwargs={"middleware": middleware},
    )
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::', '') else host}:{port}"
    model = None if settings.llm_url else resolve_model(settings.model, settings.models_dir)
    note = announce(settings, model, url, port, login=bool(logins))
    modes = [m for m, on in (("login required", logins), ("read-only", read_only)) if on]
    print(f"serving on http://{host}:{port}" + (f" ({', '.join(modes)})" if modes else ""), flush=True)
    # SIGTERM (a service manager, `kill`) ends the process through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        app.block_thread()
    finally:
        withdraw(note)
