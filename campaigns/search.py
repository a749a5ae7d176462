"""Campaigns in the site search (registered with core.search in CampaignsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.links import slug_url
from core.search import SearchSource

CAMPAIGN_SOURCE = SearchSource(
    kind="campaign",
    label=_("Campaign"),
    published=Campaign.objects.published,
    title="title",
    text=("summary", "ask", "why_it_matters"),
    url=lambda slug: slug_url("campaigns:campaign_detail", slug),
)
