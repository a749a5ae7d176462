"""Links from other apps' pages to the campaigns they feed, without those apps importing us."""

from django import template
from django.utils import timezone

from campaigns.models import Campaign
from core.prepared import Prepared

register = template.Library()

# What the panel shows, compiled once a process (core.prepared).
LIVE_CAMPAIGNS_FOR = Prepared(
    lambda story, now: (
        Campaign.objects.live(now).filter(stories=story).only("title", "slug", "summary")
    )
)


@register.simple_tag
def live_campaigns_for(story):
    """The live campaigns that link this story: one query."""
    return LIVE_CAMPAIGNS_FOR.rows(story=story.pk, now=timezone.now())
