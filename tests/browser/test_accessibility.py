"""axe-core finds no accessibility violations on the seeded site, on a phone and a desktop."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from campaigns.models import Campaign
from stories.models import Country, PrayerRequest, Spokesperson, Story
from tests.support.browser import AXE_OPTIONS, DESKTOP, PHONE

FIXED_PAGES = [
    "/",
    "/stories/",
    "/pray/",
    "/world-watch-list/",
    "/about/data/",
    "/representatives/",
    "/representatives/?postcode=SW1A+0AA",
    "/representatives/?postcode=EH99+1SP",
    "/representatives/?postcode=CF99+1SN",
    "/representatives/?postcode=hello",
    "/representatives/?postcode=BT1+1AA",
    "/representatives/?postcode=BT1+1AA&area=N05000003&area=N06000003",
    "/representatives/ireland/",
    "/representatives/ireland/?county=Meath",
    "/representatives/ireland/?constituency=Dublin-Central",
    "/representatives/ireland/?constituency=Atlantis",
    "/campaigns/",
    "/world-watch-list/booklet/",
]


def public_pages():
    """One page of each kind the public sees, with the seed story first."""
    story = Story.objects.published().get(slug="china-returns-600-north-korean-refugees")
    return [
        *FIXED_PAGES,
        story.get_absolute_url(),
        f"/stories/?country={Country.objects.get(iso_code='KP').slug}",
        Spokesperson.objects.published().filter(name_changed=True).first().get_absolute_url(),
        PrayerRequest.objects.published().first().get_absolute_url(),
        Country.objects.get(iso_code="KP").get_absolute_url(),
        *campaign_pages(),
    ]


def campaign_pages():
    """Each campaign's page and its first step, with a good and a bad postcode."""
    pages = []
    for campaign, postcode in zip(
        Campaign.objects.live().order_by("slug"), ["EH99+1SP", "SW1A+0AA"], strict=True
    ):
        write = f"/campaigns/{campaign.slug}/write/"
        pages += [
            campaign.get_absolute_url(),
            f"{write}?postcode={postcode}",
            f"{write}?postcode=x",
        ]
        pages.append(f"/campaigns/{campaign.slug}/thank-you/")
    return pages


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_public_pages_have_no_accessibility_violations(page, live_server, seeded_site, viewport):
    page.set_viewport_size(viewport)
    axe = Axe()
    reports = []
    for path in public_pages():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            reports.append(f"{path}\n{results.generate_report()}")

    assert reports == [], "\n\n".join(reports)
