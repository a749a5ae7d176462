"""The home page's prepared reads give the ORM's rows, and only what the public may see."""

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.extra.django import TestCase

from advocacy.views import (
    HOME_CAMPAIGN,
    HOME_PRAYER,
    HOME_STORIES,
    HOME_STORY_COUNT,
    HOME_WATCH_LIST,
)
from core.publishing import Status
from tests.support.prepared import build_site, loaded, public, same_as_orm, sites

EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestHomeReads(TestCase):
    @EXAMPLES
    @given(drawn=sites())
    def test_the_home_pages_reads(self, drawn):
        now = timezone.now()
        site = build_site(drawn, now)
        stories = same_as_orm(HOME_STORIES, now=now)
        newest = sorted(public(site.stories, now), key=lambda s: (s.published_at, s.pk))
        assert {s.pk for s in stories} == {s.pk for s in newest[::-1][:HOME_STORY_COUNT]}
        prayer = HOME_PRAYER.first(now=now)
        assert loaded(prayer) == loaded(HOME_PRAYER.build(now=now).first())
        assert prayer is None or prayer in public(site.prayers, now)
        campaign = HOME_CAMPAIGN.first(now=now)
        assert loaded(campaign) == loaded(HOME_CAMPAIGN.build(now=now).first())
        assert campaign is None or campaign in public(site.campaigns, now)
        entries = same_as_orm(HOME_WATCH_LIST)
        assert all(entry.country.pk in {c.pk for c in site.countries} for entry in entries)
        published = {c.pk for c in site.countries if c.status == Status.PUBLISHED}
        assert {entry.country.pk for entry in entries} == published
