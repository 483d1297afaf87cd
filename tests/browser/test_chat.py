"""A new user's path through the chat, in real Chromium: ask, watch the answer stream, check a
source, ask a follow-up, add a document and ask about it. Screenshots go to artifacts/."""

import json
import time

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

BOT = "#rag-chat .message.bot, #rag-chat [data-testid='bot']"
WAITING = ("Searching the articles", "Writing…")


def ask(page, question: str) -> float:
    """Type a question and press Enter; returns seconds until the first word of the answer."""
    bots_before = page.locator(BOT).count()
    last_before = page.locator(BOT).last.inner_text() if bots_before else ""
    box = page.locator("#rag-box textarea")
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    page.wait_for_function(
        """([selector, before, lastBefore, waiting, question]) => {
            const bots = document.querySelectorAll(selector);
            if (bots.length <= before) return false;
            const text = bots[bots.length - 1].innerText.trim();
            return text.length > 0 && text !== lastBefore.trim() && !text.includes(question)
                && !waiting.some(w => text.includes(w));
        }""",
        arg=[BOT, bots_before, last_before, list(WAITING), question],
        timeout=180_000,
    )
    first_word = time.perf_counter() - started
    # Done when the sources panel belongs to this question.
    page.wait_for_function(
        """(question) => [...document.querySelectorAll('#rag-sources-panel .rag-sources')]
            .some(el => el.dataset.question === question && el.querySelector('.rag-timings'))""",
        arg=question,
        timeout=180_000,
    )
    return first_word


def last_answer(page) -> str:
    return page.locator(BOT).last.inner_text()


def test_a_new_users_path(page, tmp_path):
    page.screenshot(path=str(ARTIFACTS / "01-empty.png"))
    assert page.locator("text=Try").count() >= 1  # example questions on the empty screen

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
    page.locator("#rag-upload input[type=file]").set_input_files(str(doc))
    page.locator("#rag-add").click()
    page.locator("#rag-upload-status", has_text="Indexed").wait_for(timeout=180_000)
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

    page.get_by_role("button", name="New chat").click()
    page.wait_for_function(f'document.querySelectorAll("{BOT}").length === 0', timeout=10_000)
    (ARTIFACTS / "browser-first-word-seconds.json").write_text(json.dumps({"first_question": round(first_word, 3)}))
