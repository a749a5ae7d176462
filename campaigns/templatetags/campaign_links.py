"""Links from other apps' pages to the campaigns they feed, without those apps importing us."""

from django import template

from campaigns.models import Campaign

register = template.Library()


@register.simple_tag
def live_campaigns_for(story):
    """The live campaigns that link this story: one query."""
    campaigns = Campaign.objects.live().filter(stories=story)
    return list(campaigns.only("title", "slug", "summary"))  # what the panel shows
