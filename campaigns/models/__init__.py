"""The campaigns app's models, one module per concept."""

from .parliaments import Area, Parliament
from .postcodes import PostcodeShare
from .representatives import Representative, RepresentativeQuerySet

__all__ = ["Area", "Parliament", "PostcodeShare", "Representative", "RepresentativeQuerySet"]
