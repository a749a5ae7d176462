"""A supporter orders the free booklet from the seed story's call to action, on a phone;
a campaign manager marks it posted and prints the labels."""

from playwright.sync_api import expect

from campaigns.models import BookletOrder
from tests.support.browser import DESKTOP, PHONE, csp_errors, log_in, no_violations, shoot

STORY = "/stories/china-returns-600-north-korean-refugees/"


def order_from_the_story(page, live_server):
    page.goto(f"{live_server.url}{STORY}")
    offer = page.locator(".booklet-offer")
    expect(offer).to_contain_text("order your free booklet")
    offer.get_by_role("link", name="Order my copy").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("World Watch List")
    no_violations(page)
    shoot(page, "1-order-empty")

    page.get_by_role("textbox", name="Your full name").fill("Jane Quietreader")
    page.get_by_role("textbox", name="Address line 1").fill("17 Lantern Lane")
    page.get_by_role("textbox", name="Town or city").fill("York")
    page.get_by_role("textbox", name="Postcode or Eircode").fill("not a postcode")
    page.get_by_role("spinbutton", name="How many copies?").fill("6")
    page.get_by_role("button", name="Order my free booklet").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("That is not a full UK postcode")
    expect(summary).to_contain_text("Tell us what the extra copies are for")
    expect(page.get_by_role("textbox", name="Address line 1")).to_have_value("17 Lantern Lane")
    no_violations(page)
    shoot(page, "2-order-errors")

    summary.get_by_role("link", name="That is not a full UK postcode").click()
    expect(page.get_by_role("textbox", name="Postcode or Eircode")).to_be_focused()
    page.get_by_role("textbox", name="Postcode or Eircode").fill("yo1 7hh")
    page.get_by_role("textbox", name="What are the extra copies for?").fill("Our prayer group")
    page.get_by_role("button", name="Order my free booklet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your booklet is on its way"
    )
    expect(page.locator(".booklet-address")).to_contain_text("YO1 7HH")
    no_violations(page)
    shoot(page, "3-thank-you")


def post_and_print(page, live_server, manager):
    log_in(page, live_server, manager)
    page.get_by_role("link", name="Booklet orders").click()
    expect(page.locator(".booklet-editions")).to_contain_text("6")
    row = page.get_by_role("row").filter(has_text="Jane Quietreader")
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label="Print address labels (A4, 3 × 7)")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".label").first).to_contain_text("17 Lantern Lane")
    expect(page.locator(".label")).to_have_count(1)
    shoot(page, "4-labels")
    page.go_back()

    row = page.get_by_role("row").filter(has_text="Jane Quietreader")
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label="Mark selected orders posted")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 order(s) marked posted.")).to_be_visible()
    shoot(page, "5-posted")


def test_a_supporter_orders_the_booklet_and_staff_post_it(
    page, live_server, seeded_site, group_member
):
    page.set_viewport_size(PHONE)
    order_from_the_story(page, live_server)
    order = BookletOrder.objects.get()
    assert (order.quantity, order.postcode, order.status) == (6, "YO1 7HH", "new")

    page.set_viewport_size(DESKTOP)
    manager = group_member("manager", "Campaign managers")
    post_and_print(page, live_server, manager)

    order.refresh_from_db()
    assert order.status == "posted" and order.posted_at
    assert csp_errors(page) == [] and page.script_errors == []
