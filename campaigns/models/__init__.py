"""The campaigns app's models, one module per concept."""

from .campaigns import Campaign, CampaignQuerySet, ParliamentaryAction
from .letters import Letter, LetterTemplate
from .parliaments import Area, Parliament
from .postcodes import PostcodeShare
from .representatives import Representative, RepresentativeQuerySet

__all__ = [
    "Area",
    "Campaign",
    "CampaignQuerySet",
    "Letter",
    "LetterTemplate",
    "Parliament",
    "ParliamentaryAction",
    "PostcodeShare",
    "Representative",
    "RepresentativeQuerySet",
]
