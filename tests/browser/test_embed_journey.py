"""A church's page on another site frames a campaign's postcode step; the letter it leads to
is counted under the church's code. Other pages of ours refuse to be framed."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from campaigns.models import Letter, Parliament
from campaigns.models.parliaments import ensure_parliaments
from tests.support.browser import PHONE, no_violations
from tests.support.campaign_factories import make_area, make_campaign, make_member, make_share

TITLE = "Stop the forced returns"


@pytest.fixture
def campaign(transactional_db):
    ensure_parliaments(Parliament)  # an earlier transactional test may have emptied the table
    area = make_area(name="Cities of London and Westminster", code="E14001172")
    make_share("SW1A 0", area)
    make_member(area, name="Rachel Blake", email="rachel.blake.mp@example.org")
    return make_campaign(title=TITLE, slug="stop-forced-returns")


@pytest.fixture
def partner():
    """A second local server, the church's site: 127.0.0.1, where ours is localhost, so its
    pages are another origin. Its one page holds the iframes a test sets."""
    frames = {}

    class ChurchPage(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            iframes = "".join(
                f'<iframe src="{src}" title="{title}" width="400" height="340"></iframe>'
                for title, src in frames.items()
            )
            body = f"<!doctype html><html lang='en'><title>St Mark's</title>{iframes}</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), ChurchPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.frames = frames
    server.url = f"http://127.0.0.1:{server.server_port}/"
    yield server
    server.shutdown()
    server.server_close()


def partner_page(page, partner, frames: dict[str, str]):
    """Open the partner's page, holding one titled iframe for each (title, address)."""
    partner.frames.update(frames)
    page.goto(partner.url)


def test_a_partner_page_frames_the_postcode_step_and_the_letter_is_counted_for_it(
    page, live_server, campaign, partner
):
    embed = f"{live_server.url}/campaigns/{campaign.slug}/embed/?source=st-marks"
    full = f"{live_server.url}{campaign.get_absolute_url()}"
    partner_page(page, partner, {"Write to your MP": embed, "The campaign page": full})

    frame = page.frame_locator("iframe[title='Write to your MP']")
    expect(frame.get_by_role("heading", level=1)).to_have_text(TITLE)
    # Our other pages stay out of frames: the browser refused the campaign page.
    assert any("frame-ancestors 'none'" in error for error in page.console_errors)
    page.console_errors.clear()

    frame.get_by_role("textbox", name="Your postcode").fill("SW1A 0AA")
    frame.get_by_role("button", name="Write to my representative").click()

    # The next step fills the whole window, on our site, with the code kept.
    page.wait_for_url(f"{live_server.url}/campaigns/{campaign.slug}/write/**")
    assert "source=st-marks" in page.url
    page.get_by_role("button", name="Write my letter").click()
    page.get_by_role("textbox", name="Your full name").fill("Jane Doe")
    page.get_by_role("textbox", name="Your email address").fill("jane@example.org")
    page.get_by_role("textbox", name="Your postal address").fill("1 Parliament Street\nLondon")
    page.get_by_role("button", name="Print it and post it").click()
    expect(page.locator("h1")).to_be_visible()

    (letter,) = Letter.objects.all()
    assert (letter.source, letter.recipient_name) == ("st-marks", "Rachel Blake")
    assert page.console_errors == [] and page.script_errors == []


def test_a_site_not_on_the_campaigns_list_cannot_frame_it(page, live_server, campaign, partner):
    campaign.embed_origins = "https://www.stmarks.example.org"
    campaign.save()
    embed = f"{live_server.url}/campaigns/{campaign.slug}/embed/"

    partner_page(page, partner, {"Write to your MP": embed})
    page.wait_for_load_state("load")

    refused = [e for e in page.console_errors if "frame-ancestors" in e]
    assert refused and "https://www.stmarks.example.org" in refused[0]
    expect(page.frame_locator("iframe").get_by_role("heading", name=TITLE)).to_have_count(0)


def test_the_embed_page_is_accessible_on_a_phone(page, live_server, campaign):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/campaigns/{campaign.slug}/embed/")

    no_violations(page)
    page.get_by_role("button", name="Write to my representative").click()  # empty postcode
    expect(page.locator("h1")).to_have_text("Who will you write to?")
    no_violations(page)
