"""The staff side of campaigns, one module per part: open data, campaigns, letters."""

from campaigns.admin import (  # noqa: F401  (each registers its admins)
    actions,
    booklets,
    campaigns,
    letters,
    parliaments,
)
