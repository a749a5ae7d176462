"""The content checks for campaigns (core.checklist), built from the stories' pieces."""

from campaigns.models import Campaign
from stories.checks import description, pseudonyms_noted, readable, search_title
from stories.pseudonyms import name_changed_people


def campaign_noted(campaign: Campaign) -> list:
    """Whom the campaign page's note covers: its spokesperson, once they are published."""
    person = campaign.spokesperson
    return name_changed_people([person] if person and person.is_published else [], [])


CAMPAIGN_CHECKS = [
    search_title(lambda campaign: campaign.title),
    description(lambda campaign: campaign.summary),
    readable(lambda campaign: campaign.summary, what="summary"),
    pseudonyms_noted(campaign_noted),
]
