"""The chat on a phone's screen, by keyboard alone, and checked by axe-core."""

import pytest

from .conftest import ARTIFACTS, AXE, BOT, ask, last_answer

pytestmark = pytest.mark.browser


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not AXE.is_file():
        pytest.fail("axe-core is missing: `make test` installs it")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_violations(page):
    found = serious_violations(page)
    assert found == [], "\n".join(found)
    ask(page, "Who is India's ambassador to Belarus?")
    page.locator("#rag-documents").get_by_text("Documents").first.click()
    page.get_by_text("Settings").first.click()
    page.locator("#rag-upload").wait_for()
    found = serious_violations(page)
    assert found == [], "\n".join(found)


def test_a_phone_screen_puts_the_sources_below_the_chat(phone):
    phone.screenshot(path=str(ARTIFACTS / "10-phone-empty.png"), full_page=True)
    ask(phone, "Who is India's ambassador to Belarus?")
    assert "Ashok Kumar" in last_answer(phone)
    chat = phone.locator("#rag-chat").bounding_box()
    panel = phone.locator("#rag-sources-panel").bounding_box()
    assert panel["y"] >= chat["y"] + chat["height"]  # below, not beside
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
    # Nothing is wider than the screen: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    for selector in ("#rag-box textarea", "#rag-ask", "#rag-export"):
        box = phone.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    phone.screenshot(path=str(ARTIFACTS / "11-phone-answer.png"), full_page=True)
    assert serious_violations(phone) == []


def test_the_chat_works_by_keyboard_alone(page):
    """From the top of the page: Tab to the question box, type, Enter; Tab on to an example
    and ask it with Enter; New chat by keyboard too. No mouse."""

    def tab_to(predicate: str, limit: int = 25, key: str = "Tab") -> int:
        for presses in range(1, limit + 1):
            page.keyboard.press(key)
            if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
                return presses
        raise AssertionError(f"not reached by {limit} presses of Tab: {predicate}")

    assert tab_to("el.closest('#rag-box') !== null && el.tagName === 'TEXTAREA'") <= 10
    # The place the keyboard is at is visible.
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    shadow = page.evaluate("() => getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or shadow != "none"
    question = "Who is India's ambassador to Belarus?"
    ask(page, question, send=lambda: (page.keyboard.type(question), page.keyboard.press("Enter")))
    assert "Ashok Kumar" in last_answer(page)
    tab_to("el.classList.contains('rag-example')")
    example = page.evaluate("() => document.activeElement.innerText.trim()")
    ask(page, example, send=lambda: page.keyboard.press("Enter"))
    assert example in page.locator("#rag-chat").inner_text()  # asked by Enter on the example
    tab_to("el.id === 'rag-new-chat'", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(f'document.querySelectorAll("{BOT}").length === 0', timeout=10_000)
