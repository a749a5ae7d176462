"""A supporter who follows a dead link lands on a page in the site's layout, with a search
box and ways back, and every error page passes axe on a phone and a desktop."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from advocacy import errors
from core.workflow import item_transition
from tests.support.browser import DESKTOP, PHONE, csp_errors, no_violations, shoot
from tests.support.factories import make_prayer_request, make_story

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_missing_page_shows_the_styled_404_with_a_working_search_box(page, live_server):
    response = page.goto(f"{live_server.url}/stories/an-old-link-someone-shared/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We cannot find this page")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    shoot(page, "404")
    no_violations(page)

    page.get_by_label("Search this site").fill("North Korea")
    page.get_by_label("Search this site").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["North Korea"]}
    expect(page.get_by_role("heading", level=1)).to_contain_text("North Korea")

    page.goto(f"{live_server.url}/no-such-page/")
    page.get_by_role("link", name="The World Watch List").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("World Watch List")
    assert csp_errors(page) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_removed_and_refused_form_pages_pass_axe(page, live_server, group_member, viewport):
    page.set_viewport_size(viewport)
    story = make_story(title="Church raided at dawn")
    item_transition(story, step="take_down", by=group_member("writer", "Editors"))
    response = page.goto(f"{live_server.url}{story.get_absolute_url()}")
    assert response.status == 410
    no_violations(page)

    prayer = make_prayer_request()
    page.goto(f"{live_server.url}{prayer.get_absolute_url()}")
    page.context.clear_cookies()  # as if the form had been open for days in another browser
    page.get_by_role("button", name="I prayed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your form could not be sent")
    shoot(page, "csrf-failure")
    no_violations(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    ("handler", "status"),
    [(errors.bad_request, 400), (errors.permission_denied, 403), (errors.server_error, 500)],
    ids=["400", "403", "500"],
)
def test_the_400_403_and_500_pages_pass_axe(page, live_server, rf, handler, status, viewport):
    """Served as the handler renders them, at an address on the live server, so the page
    loads the site's own stylesheet and axe judges it as a supporter sees it."""
    response = handler(rf.get("/"))
    assert response.status_code == status
    address = f"{live_server.url}/an-error-page/"
    page.route(
        address,
        lambda route: route.fulfill(
            status=status, body=response.content, content_type="text/html; charset=utf-8"
        ),
    )
    page.set_viewport_size(viewport)

    assert page.goto(address).status == status
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("search").last).to_be_visible()
    shoot(page, f"{status}")
    no_violations(page)
