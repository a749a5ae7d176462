"""A supporter searches the seeded site from the header form, on a phone and on a desktop."""

from playwright.sync_api import expect

from tests.support.browser import PHONE, no_violations, shoot

STORY = "/stories/china-returns-600-north-korean-refugees/"
CAMPAIGN = "/campaigns/speak-up-for-north-korean-refugees-held-in-china/"


def search_from_the_header(page, words):
    header = page.locator("header form[role=search]")
    header.get_by_label("Search the site").fill(words)
    header.get_by_role("button", name="Search").click()


def test_north_korea_in_the_header_form_finds_the_seed_story_and_campaign(
    page, live_server, seeded_site
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    search_from_the_header(page, "North Korea")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “North Korea”")
    assert page.title().startswith("Search results for “North Korea”")
    links = page.locator(".search-result h2 a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert STORY in hrefs and CAMPAIGN in hrefs
    expect(page.locator(".search-result mark").first).to_have_text("North")
    no_violations(page)
    shoot(page, "1-results")

    page.locator(f".search-result a[href='{STORY}']").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("China sends around 600")
    assert page.script_errors == [] and page.console_errors == []


def test_no_results_and_empty_searches_answer_clearly(page, live_server, seeded_site):
    page.goto(f"{live_server.url}/stories/")
    search_from_the_header(page, "zzyzx")
    expect(page.get_by_role("status")).to_contain_text("Nothing matched that search")
    no_violations(page)
    shoot(page, "1-nothing")

    page.get_by_role("link", name="The World Watch List").click()
    search_from_the_header(page, "")
    expect(page.get_by_role("status")).to_contain_text("Type a word or two")
    no_violations(page)
    shoot(page, "2-empty")

    page.goto(f"{live_server.url}/search/?q={'a' * 201}")
    expect(page.get_by_role("status")).to_contain_text("That search is too long")
    no_violations(page)
