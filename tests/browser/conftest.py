import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / ".venv" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


BOT = "#rag-chat .message.bot, #rag-chat [data-testid='bot']"
WAITING = ("Searching the articles", "Reading…", "Writing…")


# The answer's text as it was when its first word appeared, by question: shorter than the
# whole answer when it streams.
FIRST_SEEN: dict[str, str] = {}


def ask(page, question: str, send=None) -> float:
    """Type a question and press Enter (or call send(), which asks it some other way);
    returns seconds until the first word of the answer. (An answer may hold the question, in
    a note that the sources disagree about it, or arrive whole when its reply was remembered.)"""
    bots_before = page.locator(BOT).count()
    last_before = page.locator(BOT).last.inner_text() if bots_before else ""
    started = time.perf_counter()
    if send is None:
        box = page.locator("#rag-box textarea")
        box.fill(question)
        started = time.perf_counter()
        box.press("Enter")
    else:
        send()
    page.wait_for_function(
        """([selector, before, lastBefore, waiting, question]) => {
            const bots = document.querySelectorAll(selector);
            if (bots.length <= before) return false;
            const text = bots[bots.length - 1].innerText.trim();
            return text.length > 0 && text !== lastBefore.trim() && !text.startsWith(question)
                && !waiting.some(w => text.includes(w));
        }""",
        arg=[BOT, bots_before, last_before, list(WAITING), question],
        timeout=180_000,
    )
    first_word = time.perf_counter() - started
    FIRST_SEEN[question] = page.locator(BOT).last.inner_text()
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


@contextlib.contextmanager
def chat_page(url: str, width: int, height: int) -> Iterator:
    """The chat in a fresh Chromium at the given viewport, once its question box is there."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is missing: `make test` installs it")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
        page.goto(url)
        page.locator("#rag-box textarea").wait_for(timeout=60_000)
        yield page
        browser.close()


@pytest.fixture
def page(served):
    with chat_page(served, 1280, 900) as opened:
        yield opened


@pytest.fixture
def phone(served):
    """A phone's screen: 390 px wide."""
    with chat_page(served, 390, 844) as opened:
        yield opened
