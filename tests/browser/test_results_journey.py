"""A campaign manager opens a campaign's results page and reads the chart and the map."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import ActionSupport, Campaign, Letter, Representative
from tests.support.admin import make_letter
from tests.support.browser import DESKTOP, csp_errors, log_in, no_violations, shoot
from tests.support.campaign_factories import make_motion

CAMPAIGN = "Ask your MP to speak up for North Korean refugees held in China"
BLAKE = "Cities of London and Westminster: Rachel Blake. 2 letters; replied: yes; supported: yes"


@pytest.fixture
def campaign_with_letters(seeded_site):
    """Two letters to Rachel Blake (one answered: she replied), who then signed the EDM."""
    campaign = Campaign.objects.get(title=CAMPAIGN)
    blake = Representative.objects.current().get(area__code="E14001172")
    make_letter(campaign, blake, reply=Letter.Reply.YES, source="church")
    make_letter(campaign, blake)
    motion = make_motion(campaign, reference="EDM 77", title="Refugees returned to North Korea")
    ActionSupport.objects.create(action=motion, representative=blake, date=timezone.localdate())
    return campaign


def test_a_campaign_manager_reads_the_chart_and_the_map(
    page, live_server, group_member, campaign_with_letters
):
    manager = group_member("manager", "Campaign managers")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("rowheader", name="Campaigns", exact=True).get_by_role("link").click()
    page.get_by_role("link", name=CAMPAIGN).click()
    page.get_by_role("link", name="Results", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results: {CAMPAIGN}")
    chart = page.get_by_role("img", name="Letters per day")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.bar title")).to_have_count(1)
    expect(chart.locator("rect.bar title")).to_contain_text(": 2 letters")
    table = page.locator("#per-day-table")
    table.get_by_text("Letters per day as a table").click()  # a <details>: no script needed
    expect(table.get_by_role("row")).to_have_count(2)

    the_map = page.get_by_role("img", name="Letters by Westminster constituency")
    expect(the_map).to_be_visible()
    expect(the_map.locator("g.hex")).to_have_count(650)
    blake = the_map.locator('g[data-code="E14001172"]')
    expect(blake.locator("title")).to_contain_text(BLAKE)
    expect(blake.locator("circle.replied")).to_have_count(1)
    legend = page.get_by_role("list", name="Key")
    expect(legend).to_contain_text("1 to 2 letters")
    expect(legend).to_contain_text("White circle: the member replied")
    expect(page.locator("#member-table")).to_contain_text("EDM 77: signed it")
    shoot(page, "1-results")

    no_violations(page)
    assert csp_errors(page) == [] and page.script_errors == []
