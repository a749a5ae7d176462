"""Browser tests: Debian's Chromium driven by Playwright, never a downloaded browser.

Where Chromium is missing they are skipped, and the run says so; in CI (``CI=true``) a
missing browser fails them instead, so a green CI run always includes them.
"""

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections
from playwright import sync_api

from tests.support.browser import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
TIMEOUT_MS = 15_000
MISSING = f"Debian's Chromium is not installed at {CHROMIUM}"
IN_CI = os.environ.get("CI", "").lower() in {"true", "1"}


def pytest_collection_modifyitems(items):
    """Mark every test in this folder, and skip them where Chromium is missing (not in CI)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists() and not IN_CI:
                item.add_marker(pytest.mark.skip(reason=MISSING))


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if count := sum(MISSING in str(report.longrepr) for report in skipped):
        terminalreporter.write_line(
            f"Skipped {count} browser tests: {MISSING}. Install the chromium package "
            "(make test does, with apt-get, when it may) to run them.",
            yellow=True,
            bold=True,
        )


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():  # only in CI: elsewhere the tests are skipped at collection
        pytest.fail(f"{MISSING}, and CI must run the browser tests.", pytrace=False)
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
def page(browser, request):
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.test_name = request.node.name  # names the folder its screenshots go in
    page.console_errors = []
    page.script_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    yield page
    page.close()


@pytest.fixture(autouse=True)
def content_types_forgotten(transactional_db):
    """Every journey runs on a database an earlier transactional test may have emptied and
    filled again, giving the content types new ids: forget the ones Django cached, or the
    trail, the admin history and the share links point at rows that are gone."""
    ContentType.objects.clear_cache()


GROUP_MIGRATIONS = [
    ("advocacy.migrations.0002_staff_groups", "create_groups"),
    ("advocacy.migrations.0004_safeguarding_allows_words", "grant"),
    ("advocacy.migrations.0006_workflow_permissions", "grant"),
    ("advocacy.migrations.0007_redirect_permissions", "grant"),
    ("campaigns.migrations.0014_campaign_managers_fulfil_booklets", "grant"),
]


@pytest.fixture
def group_member(transactional_db, django_user_model):
    """Makes a staff member of a group as migrated, who logs in with the journeys' password.

    The groups are made again first, by the migrations' own functions: an earlier
    transactional test may have emptied the tables."""
    # The functions mark each app's models_module and then clear it, meant for a migration's
    # historical apps; here they run on the real ones, so put it back after them. Left
    # cleared, the next flush makes no permissions again, and later journeys' staff see no
    # models in the admin.
    kept = {config: config.models_module for config in apps.get_app_configs()}
    try:
        for name, function in GROUP_MIGRATIONS:
            getattr(importlib.import_module(name), function)(apps, None)
    finally:
        for config, models_module in kept.items():
            config.models_module = models_module

    def member(username, group, **fields):
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, is_staff=True, **fields
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    return member


@pytest.fixture
def seeded_site(transactional_db):
    """The demo content and the representatives, as `make seed` loads them."""
    call_command("load_seeds", verbosity=0)
    call_command("import_representatives", verbosity=0)


@pytest.fixture
def editor(transactional_db, django_user_model):
    """A superuser, who logs in with the journeys' password."""
    return django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password=PASSWORD
    )
