"""A new user's path through the chat, in real Chromium: ask, watch the answer stream, check a
source, ask a follow-up, add a document and ask about it. Screenshots go to artifacts/."""

import json
import re
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, BOT, FIRST_SEEN, ask, last_answer

pytestmark = pytest.mark.browser


def test_a_new_users_path(page, tmp_path):
    page.screenshot(path=str(ARTIFACTS / "01-empty.png"))
    # Example questions on the empty screen: questions, not cut titles, each one answered.
    examples = page.locator("#rag-examples button.rag-example:visible")
    assert 1 <= examples.count() <= 3
    example = examples.first.inner_text().strip()
    assert example.endswith("?") and "…" not in example and len(example.split()) <= 9
    ask(page, example, send=examples.first.click)
    assert page.locator("#rag-sources-panel .rag-refusal").count() == 0
    assert "[1]" in last_answer(page)
    page.get_by_role("button", name="New chat").click()
    page.wait_for_function(f'document.querySelectorAll("{BOT}").length === 0', timeout=10_000)

    first_word = ask(page, "Who is India's ambassador to Belarus?")
    answer = last_answer(page)
    assert "Ashok Kumar" in answer and "[1]" in answer
    page.screenshot(path=str(ARTIFACTS / "02-answer.png"))

    # The marker reveals its quote and article on hover.
    marker = page.locator(BOT).last.locator("abbr.rag-marker").first
    tip = marker.get_attribute("title")
    assert "Ashok Kumar" in tip and ".txt" in tip
    marker.hover()
    # The sources panel shows the quoted sentence highlighted in its passage.
    highlighted = page.locator("#rag-sources-panel .rag-source mark").first
    assert "Ashok Kumar" in highlighted.inner_text()
    page.screenshot(path=str(ARTIFACTS / "03-source.png"))

    # A follow-up uses the conversation: "he" is the ambassador.
    ask(page, "Whom did he meet in Minsk?")
    assert "Lukashenko" in last_answer(page)
    # A question never asked before streams: its first words were on screen before the whole
    # answer (the first question may come from the replies the server checked as it started).
    assert len(FIRST_SEEN["Whom did he meet in Minsk?"].strip()) < len(last_answer(page).strip())
    assert "Searched for:" in page.locator("#rag-sources-panel").inner_text()
    page.screenshot(path=str(ARTIFACTS / "04-follow-up.png"))

    # Add a document from the browser, then ask about it without a restart.
    doc = tmp_path / "harbour-note.md"
    doc.write_text(
        "# Harbour note\n\nThe new harbour crane in Klaipeda lifts 80 tonnes. "
        "It was built by the Baltic Yard company and entered service in April 2025.\n",
        encoding="utf-8",
    )
    page.locator("#rag-documents").get_by_text("Documents").first.click()
    with page.expect_file_chooser() as chooser:
        page.locator("#rag-upload").click()
    chooser.value.set_files(str(doc))
    page.locator("#rag-documents-status", has_text="Indexed").wait_for(timeout=180_000)
    assert "harbour-note.md" in page.locator("#rag-documents").inner_text()
    page.screenshot(path=str(ARTIFACTS / "05-added-document.png"), full_page=True)

    ask(page, "How many tonnes does the harbour crane in Klaipeda lift?")
    assert "80" in last_answer(page)
    assert "harbour-note.md" in page.locator("#rag-sources-panel").inner_text()
    page.locator("#rag-chat").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "06-answer-from-new-document.png"))

    # A "not in the articles" answer looks different.
    ask(page, "What is the population of Reykjavik?")
    assert page.locator("#rag-sources-panel .rag-refusal").count() == 1
    page.locator("#rag-chat").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "07-not-in-the-articles.png"))

    # Export: the conversation as Markdown, with its quotes and where they are.
    with page.expect_download() as download:
        page.locator("#rag-export").click()
    exported = download.value
    assert exported.suggested_filename.endswith(".md")
    text = Path(exported.path()).read_text(encoding="utf-8")
    assert text.startswith("# Conversation with the articles")
    assert "## 1. Who is India's ambassador to Belarus?" in text and "Reykjavik" in text
    assert "Ashok Kumar" in text and "harbour-note.md" in text
    assert "> " in text and "characters " in text and ".txt`" in text

    # Remove the added document: asked first, cancel keeps it, confirming moves it to the trash.
    page.locator("#rag-remove-choice input").click()
    page.get_by_role("option", name="harbour-note.md").click()
    page.locator("#rag-remove").click()
    confirm = page.locator("#rag-remove-confirm")
    confirm.get_by_text("moves from the corpus to the trash").wait_for(timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "08-remove-confirmation.png"), full_page=True)
    page.locator("#rag-remove-no").click()
    confirm.wait_for(state="hidden", timeout=10_000)
    assert "harbour-note.md" in page.locator("#rag-documents-table").inner_text()
    page.locator("#rag-remove").click()
    page.locator("#rag-remove-yes").click()
    page.locator("#rag-documents-status", has_text="Removed harbour-note.md").wait_for(timeout=180_000)
    status = page.locator("#rag-documents-status").inner_text()
    assert "(0 passages embedded again)" in status  # the rest of the index was reused
    page.wait_for_function(
        "() => !document.querySelector('#rag-documents-table').innerText.includes('harbour-note.md')",
        timeout=30_000,
    )
    page.screenshot(path=str(ARTIFACTS / "09-removed.png"), full_page=True)
    ask(page, "How many tonnes does the harbour crane in Klaipeda lift?")
    assert "harbour-note.md" not in page.locator("#rag-sources-panel").inner_text()

    # Restored from the trash, it is in the index and cited again.
    page.locator("#rag-trash-choice input").click()
    page.get_by_role("option", name=re.compile(r"^harbour-note\.md \(removed ")).click()
    page.locator("#rag-restore").click()
    page.locator("#rag-documents-status", has_text="Restored harbour-note.md").wait_for(timeout=180_000)
    assert "harbour-note.md" in page.locator("#rag-documents-table").inner_text()
    ask(page, "Which company built the harbour crane in Klaipeda?")
    assert "harbour-note.md" in page.locator("#rag-sources-panel").inner_text()

    page.get_by_role("button", name="New chat").click()
    page.wait_for_function(f'document.querySelectorAll("{BOT}").length === 0', timeout=10_000)
    (ARTIFACTS / "browser-first-word-seconds.json").write_text(json.dumps({"first_question": round(first_word, 3)}))
