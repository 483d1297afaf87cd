"""The chat shared on this machine's network address with a login, in real Chromium: the page
asks for the login and says that wrong passwords make one wait, a wrong password is refused, the
right one opens the chat, and the Documents panel offers the restore of a removed document."""

import shutil

import pytest
from hosts import machine_address

from .conftest import ARTIFACTS, CHROMIUM_FLAGS

pytestmark = pytest.mark.browser

LAN = machine_address()


@pytest.mark.skipif(LAN is None, reason="this machine has no non-loopback IPv4 address to serve on")
def test_the_login_page_guards_the_chat(tmp_path, start_server):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is missing: `make test` installs it")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (
        start_server(tmp_path, "--model", "smollm2", "--auth", "ann:harbour-lights-42", host=LAN) as server,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server.url)
        password = page.locator("input[type=password]")
        password.wait_for(timeout=60_000)
        assert page.locator("#rag-box").count() == 0  # nothing of the chat before the login
        assert "wrong passwords" in page.inner_text("body")
        page.locator("input[type=text]").first.fill("ann")
        password.fill("not-the-password")
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Incorrect Credentials", exact=False).wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "12-login-refused.png"))
        page.locator("input[type=text]").first.fill("ann")
        password.fill("harbour-lights-42")
        page.get_by_role("button", name="Login").click()
        page.locator("#rag-box textarea").wait_for(timeout=60_000)
        page.locator("#rag-documents").get_by_text("Documents").first.click()
        page.locator("#rag-restore").wait_for(timeout=10_000)
        assert page.locator("#rag-upload").count() == 1
        page.screenshot(path=str(ARTIFACTS / "13-logged-in.png"), full_page=True)
        browser.close()
