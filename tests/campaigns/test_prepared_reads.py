"""The campaign page's prepared reads give the ORM's rows, and hide what the public may not
see: a campaign not yet published, a story, spokesperson or prayer request it links that is
not public."""

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.extra.django import TestCase

from campaigns.models import Campaign
from campaigns.templatetags.campaign_links import LIVE_CAMPAIGNS_FOR
from campaigns.views.campaigns import ACTIONS, CAMPAIGN_PAGE, LINKED_STORIES, PARLIAMENTS
from tests.support.prepared import build_site, public, same_as_orm, sites

EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestCampaignReads(TestCase):
    @EXAMPLES
    @given(drawn=sites())
    def test_a_campaign_page_and_what_it_links(self, drawn):
        now = timezone.now()
        site = build_site(drawn, now)
        shown = {campaign.pk for campaign in public(site.campaigns, now)}
        for campaign in site.campaigns:
            found = same_as_orm(CAMPAIGN_PAGE, slug=campaign.slug, now=now)
            assert [c.pk for c in found] == ([campaign.pk] if campaign.pk in shown else [])
            same_as_orm(PARLIAMENTS, campaign=campaign.pk)
            same_as_orm(ACTIONS, campaign=campaign.pk)
            for public_only in (True, False):
                same_as_orm(LINKED_STORIES, campaign=campaign.pk, now=now, public=public_only)
            stories = LINKED_STORIES.rows(campaign=campaign.pk, now=now, public=True)
            expected = public(campaign.stories.all(), now)
            assert {s.pk for s in stories} == {s.pk for s in expected}

    @EXAMPLES
    @given(drawn=sites())
    def test_the_campaigns_a_story_page_offers(self, drawn):
        now = timezone.now()
        site = build_site(drawn, now)
        live = {c.pk for c in Campaign.objects.live(now)}
        for story in site.stories:
            offered = same_as_orm(LIVE_CAMPAIGNS_FOR, story=story.pk, now=now)
            linking = {c.pk for c in story.campaigns.all()}
            assert {c.pk for c in offered} == live & linking
            for campaign in offered:  # published, and not closed
                assert campaign.pk in {c.pk for c in public(site.campaigns, now)}
                row = Campaign.objects.get(pk=campaign.pk)
                assert row.closes_at is None or row.closes_at > now
