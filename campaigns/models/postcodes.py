from django.db import models
from django.db.models import Q

from campaigns.models.parliaments import Area
from safeguarding.guard import OPEN_DATA, not_public


@not_public(OPEN_DATA)
class PostcodeShare(models.Model):
    """The share of a postcode sector's (or district's) addresses that lies in one area.

    Loaded from open data by ``import_representatives``; the offline lookup reads it.
    """

    class Granularity(models.TextChoices):
        SECTOR = "sector", "Sector (e.g. SW1A 0)"
        DISTRICT = "district", "District (e.g. SW1A)"

    granularity = models.CharField(
        max_length=10,
        choices=Granularity.choices,
        help_text="Lookups use the sector and fall back to the district.",
    )
    prefix = models.CharField(
        max_length=8, help_text="The sector (“SW1A 0”) or district (“SW1A”), upper case."
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        related_name="postcode_shares",
        help_text="The constituency this part of the sector lies in.",
    )
    postcodes = models.PositiveIntegerField(
        help_text="How many of the sector's postcodes lie in the area."
    )
    share = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        help_text="That count as a fraction of all the sector's postcodes (0 to 1).",
    )

    class Meta:
        ordering = ["prefix", "-share"]
        constraints = [
            # Also the index the lookup uses: prefix comes first.
            models.UniqueConstraint(fields=["prefix", "area"], name="postcode_share_unique"),
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=1), name="postcode_share_between_0_and_1"
            ),
            models.CheckConstraint(
                condition=Q(granularity="sector", prefix__contains=" ")
                | Q(granularity="district") & ~Q(prefix__contains=" "),
                name="postcode_share_prefix_fits_granularity",
            ),
        ]

    def __str__(self):
        return f"{self.prefix} → {self.area.code} ({self.share:.1%})"
