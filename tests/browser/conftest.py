"""Browser tests drive Debian's Chromium through Playwright against a live server."""

import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser(live_server) -> Iterator:
    """A fresh Chromium per test, started after the live server and its database.

    Playwright's sync API switches the execution context, and Django's connection
    objects are per context: starting it after the database fixtures (and stopping it
    before their teardown) keeps the serialized-rollback data on the right connection.
    """
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make browser-deps'.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class ConsoleWatcher:
    """Collects console errors, uncaught exceptions and failed requests of a page."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("requestfailed", lambda request: self.errors.append(f"failed: {request.url}"))

    def on_console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="de-DE")
    page = context.new_page()
    page.console = ConsoleWatcher(page)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    page = context.new_page()
    page.console = ConsoleWatcher(page)
    yield page
    context.close()


@pytest.fixture
def demo_site(live_server, settings) -> str:
    call_command("load_demo_content", "--quiet-accounts", stdout=StringIO())
    return live_server.url


@pytest.fixture
def screenshots(test_output: Path) -> Path:
    path = test_output / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
