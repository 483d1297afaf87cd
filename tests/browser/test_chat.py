"""A person's path through the chat, in real Chromium: ask, read the answer, check a source."""

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_ask_in_the_browser_shows_answer_and_sources(page):
    page.screenshot(path=str(ARTIFACTS / "01-empty.png"))
    box = page.get_by_placeholder("Ask a question about the articles…")
    box.fill("Who is India's ambassador to Belarus?")
    box.press("Enter")
    page.locator(".rag-sources .rag-source").first.wait_for(timeout=120_000)
    chat = page.locator(".bubble-wrap, [data-testid='bot']").last
    assert "Ashok Kumar" in chat.inner_text()
    assert "[1]" in chat.inner_text()
    page.screenshot(path=str(ARTIFACTS / "02-answer.png"))
    sources = page.locator(".rag-sources")
    assert "Ashok Kumar" in sources.inner_text()
    page.locator(".rag-sources details summary").first.click()
    assert "Ashok Kumar" in page.locator(".rag-sources mark").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "03-source.png"))
