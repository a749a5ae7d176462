"""The campaigns app's models, one module per concept."""

from campaigns.models.booklets import BookletOrder, BookletSettings
from campaigns.models.campaigns import Campaign, CampaignQuerySet, ParliamentaryAction
from campaigns.models.deliveries import DeliveryEvent
from campaigns.models.letters import Letter, LetterTemplate
from campaigns.models.outcomes import ActionSupport
from campaigns.models.parliaments import Area, Parliament
from campaigns.models.postcodes import PostcodeShare
from campaigns.models.representatives import Representative, RepresentativeQuerySet
from campaigns.models.subscriptions import ResultsSubscription

__all__ = [
    "ActionSupport",
    "Area",
    "BookletOrder",
    "BookletSettings",
    "Campaign",
    "CampaignQuerySet",
    "DeliveryEvent",
    "Letter",
    "LetterTemplate",
    "Parliament",
    "ParliamentaryAction",
    "PostcodeShare",
    "Representative",
    "RepresentativeQuerySet",
    "ResultsSubscription",
]
