"""Browser tests: Debian's Chromium driven by Playwright, never a downloaded browser."""

from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
TIMEOUT_MS = 15_000

sync_api = pytest.importorskip("playwright.sync_api")


def pytest_collection_modifyitems(items):
    """Mark every test in this folder, and skip them where Chromium is not installed."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                reason = f"Debian's Chromium is not installed at {CHROMIUM}"
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop; Django refuses ORM calls inside one otherwise.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        # Queries made while Playwright is running use a database connection of their own
        # (Django keeps connections per context); close it here, inside that context, so the
        # test database can be dropped at the end of the run.
        connections.close_all()
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.console_errors = []
    page.script_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    yield page
    page.close()
