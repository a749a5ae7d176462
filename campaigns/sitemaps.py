from django.contrib.sitemaps import Sitemap

from campaigns.models import Campaign


class CampaignSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Campaign.objects.published()  # closed ones too: their pages stay up

    def lastmod(self, item):
        return item.updated_at
