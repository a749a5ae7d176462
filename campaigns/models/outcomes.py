"""What members did in Parliament: who supported a campaign's motion, debate or question, how,
and when (the outcomes the results page sets against the letters written to them)."""

from django.db import models

from campaigns.models.campaigns import ParliamentaryAction
from campaigns.models.representatives import Representative
from safeguarding.guard import OPEN_DATA, not_public


@not_public(OPEN_DATA)
class ActionSupport(models.Model):
    """One member's support for one parliamentary action: signed, backed or spoke, on a day.

    It keeps the table the plain many-to-many ``ParliamentaryAction.supporters`` had, so the
    supporters recorded before it came keep their rows (with no date).
    """

    class Kind(models.TextChoices):
        SIGNED = "signed", "Signed it (early day motion or motion)"
        BACKED = "backed", "Backed it (voted for or supported the motion)"
        SPOKE = "spoke", "Spoke for it in the debate"
        ASKED = "asked", "Asked or supported the question"

    action = models.ForeignKey(
        ParliamentaryAction,
        on_delete=models.CASCADE,
        db_column="parliamentaryaction_id",  # the column of the many-to-many it replaces
        related_name="supports",
    )
    representative = models.ForeignKey(
        Representative,
        on_delete=models.CASCADE,
        related_name="supports",
        help_text="The member. Search by name or constituency.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.SIGNED,
        help_text="How they supported it.",
    )
    date = models.DateField(
        null=True,
        blank=True,
        help_text="When they signed, backed or spoke. The results page counts a member as "
        "having supported it after being written to only when this is after the first letter; "
        "blank if unknown.",
    )

    class Meta:
        db_table = "campaigns_parliamentaryaction_supporters"
        unique_together = [("action", "representative")]  # the many-to-many's own constraint
        ordering = ["action", "date", "id"]
        verbose_name = "member's support"
        verbose_name_plural = "members' support"

    def __str__(self):
        return f"{self.representative.name}: {self.get_kind_display()}"
