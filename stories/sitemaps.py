from django.contrib.sitemaps import Sitemap

from stories.models import Country, PrayerRequest, Spokesperson, Story


class StorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Story.objects.published()

    def lastmod(self, item):
        return item.updated_at


class SpokespersonSitemap(Sitemap):
    def items(self):
        return Spokesperson.objects.published()

    def lastmod(self, item):
        return item.updated_at


class PrayerRequestSitemap(Sitemap):
    def items(self):
        return PrayerRequest.objects.published()

    def lastmod(self, item):
        return item.updated_at


class CountrySitemap(Sitemap):
    def items(self):
        return Country.objects.published()
