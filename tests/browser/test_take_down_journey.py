"""A take-down makes the page, its listing, its feed entry, its sitemap entry and its hero
image's address all stop answering 200, at once, from one action in the admin."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in, no_violations
from tests.support.factories import make_story
from tests.support.pictures import MEDIA_URLCONF, a_photo

TITLE = "A pastor is arrested after a baptism"
ALT = "A river at dawn"


@pytest.fixture(autouse=True)
def media_served(settings):
    """Media answers at MEDIA_URL, as the web server serves it in production."""
    settings.ROOT_URLCONF = MEDIA_URLCONF


def addresses(page, live_server):
    """The story's page, hero image, and the list, feed and sitemap that show it, as the
    public reaches them."""
    page.goto(f"{live_server.url}/stories/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    image = page.get_by_role("img", name=ALT)
    return page.url, live_server.url + image.get_attribute("src")


def answers(page, url):
    return page.request.get(url).status


def test_a_take_down_makes_the_page_listing_feed_sitemap_and_hero_image_stop_answering(
    browser, page, live_server, editor
):
    make_story(title=TITLE, hero_image=a_photo(), hero_alt=ALT)
    story_url, image_url = addresses(page, live_server)
    feed, sitemap = f"{live_server.url}/stories/feed/", f"{live_server.url}/sitemap.xml"
    assert answers(page, image_url) == 200
    assert story_url in page.request.get(feed).text()
    assert story_url in page.request.get(sitemap).text()

    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/stories/story/")
    page.get_by_role("row", name=TITLE).get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(
        label="Take selected items down (to safeguarding review)"
    )
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist .success")).to_contain_text("1 taken down from the site")

    # A visitor who comes now. (A browser that kept the page within its max-age may still
    # show its own copy until then: docs/deploy.md.)
    visitor = browser.new_page()
    visitor.goto(story_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("This page has been removed")
    no_violations(visitor)
    assert answers(visitor, story_url) == 410
    assert answers(visitor, image_url) == 404
    visitor.goto(f"{live_server.url}/stories/")
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)
    assert story_url not in visitor.request.get(feed).text()
    assert story_url not in visitor.request.get(sitemap).text()
    visitor.close()
