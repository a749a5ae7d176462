from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from campaigns.sitemaps import CampaignSitemap
from stories.sitemaps import CountrySitemap, PrayerRequestSitemap, SpokespersonSitemap, StorySitemap

SECTION_PAGES = [
    "home",
    "stories:story_list",
    "stories:prayer_list",
    "stories:watch_list",
    "campaigns:campaign_list",
    "campaigns:representatives",
    "campaigns:about_data",
    "campaigns:privacy",
]


class SectionSitemap(Sitemap):
    """The fixed pages: home, the lists and the lookup."""

    def items(self):
        return SECTION_PAGES

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "sections": SectionSitemap,
    "stories": StorySitemap,
    "spokespeople": SpokespersonSitemap,
    "prayer": PrayerRequestSitemap,
    "countries": CountrySitemap,
    "campaigns": CampaignSitemap,
}
