"""The admin's "Scheduled" page in a real browser: reached from the admin's home page, its
styles allowed by the content security policy, and nothing axe-core objects to."""

from datetime import timedelta

from django.utils import timezone

from core.publishing import Status
from tests.support.browser import csp_errors, log_in, no_violations, shoot
from tests.support.factories import make_story


def test_an_editor_finds_what_is_scheduled_from_the_admin_home(page, live_server, editor):
    make_story(title="Church reopens", published_at=timezone.now() + timedelta(days=3))
    make_story(title="Raid", status=Status.REVIEW, published_at=timezone.now() + timedelta(days=1))
    log_in(page, live_server, editor)

    page.get_by_role("link", name="Scheduled").click()
    page.wait_for_selector("#scheduled")

    assert page.locator("#scheduled").get_by_role("link", name="Church reopens").count() == 1
    assert page.locator("#not-approved").get_by_role("link", name="Raid").count() == 1
    assert csp_errors(page) == []
    no_violations(page)
    shoot(page, "schedule")
