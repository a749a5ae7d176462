from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from campaigns.models.parliaments import Area
from safeguarding.guard import OPEN_DATA, not_public


def in_office_on(day, prefix=""):
    """Terms that have begun (or whose start is unknown) and have not ended by ``day``.

    ``prefix`` reaches the terms through a relation, e.g. ``"representatives__"`` from Area.
    """
    started = Q(**{f"{prefix}in_office_from__isnull": True}) | Q(
        **{f"{prefix}in_office_from__lte": day}
    )
    not_ended = Q(**{f"{prefix}in_office_to__isnull": True}) | Q(
        **{f"{prefix}in_office_to__gt": day}
    )
    # A dissolved parliament has no members until those elected after it are imported.
    dissolved = f"{prefix}area__parliament__dissolved_on"
    not_dissolved = (
        Q(**{f"{dissolved}__isnull": True})
        | Q(**{f"{dissolved}__gt": day})
        | Q(**{f"{prefix}in_office_from__gte": F(dissolved)})
    )
    return started & not_ended & not_dissolved


class RepresentativeQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        """Members in office today (or on the given day): the only ones the public sees."""
        return self.filter(in_office_on(on or timezone.localdate()))

    def out_of_office(self, on: date | None = None):
        return self.exclude(in_office_on(on or timezone.localdate()))


@not_public(OPEN_DATA)
class Representative(models.Model):
    """One member's term in one seat. A new term is a new row, so history is kept."""

    name = models.CharField(max_length=150, help_text="As shown on the page.")
    party = models.CharField(max_length=150, help_text="As shown beside the name.")
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="representatives",
        help_text="The constituency or region the member was elected for.",
    )
    email = models.EmailField(
        blank=True,
        help_text="Shown as the way to contact the member. Blank: the page gives the "
        "parliament's postal address instead.",
    )
    official_id = models.CharField(
        "official id",
        max_length=50,
        blank=True,
        help_text="The member's id in the source data (the UK Parliament member id for MPs, "
        "the Democracy Club person id for MSs); the import matches members on it.",
    )
    addressed_as = models.CharField(
        "greeting name",
        max_length=150,
        blank=True,
        help_text="How a letter greets the member after “Dear”, e.g. “Deputy Bacik” for a TD. "
        "Blank: their name as above.",
    )
    list_position = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For members elected from a party list: their place on it. Members of one "
        "area are listed by party, then by this.",
    )
    in_office_from = models.DateField(
        null=True, blank=True, help_text="When the term began. Blank if the source does not say."
    )
    in_office_to = models.DateField(
        null=True,
        blank=True,
        help_text="When the term ended. From this day the page offers no one for the seat "
        "and gives the reason below. Blank while in office.",
    )
    end_reason = models.CharField(
        "reason the term ended",
        max_length=250,
        blank=True,
        help_text="Shown on the page while the seat is empty, e.g. “Parliament is dissolved "
        "for the election on 7 May 2026.”",
    )
    email_bounced_at = models.DateTimeField(
        "address bounced",
        null=True,
        blank=True,
        help_text="Set when letters to this address have bounced twice: check it. Letters to "
        "a bounced address are not sent (their writers are told to post them). Changing the "
        "email clears it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        ordering = ["area__name", "party", "list_position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_office_to__isnull=True)
                | Q(in_office_from__isnull=True)
                | Q(in_office_to__gte=F("in_office_from")),
                name="representative_term_ends_after_it_begins",
            ),
            models.UniqueConstraint(
                fields=["area", "name"],
                condition=Q(in_office_to__isnull=True),
                name="representative_one_open_term_per_name_and_area",
            ),
            models.UniqueConstraint(
                fields=["area", "official_id"],
                condition=Q(in_office_to__isnull=True) & ~Q(official_id=""),
                name="representative_one_open_term_per_id_and_area",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.party}), {self.area.name}"

    def is_current(self, on: date | None = None):
        """In office on the day (today if not given): as ``current()`` decides in the database."""
        day = on or timezone.localdate()
        started = self.in_office_from is None or self.in_office_from <= day
        return (
            started
            and (self.in_office_to is None or self.in_office_to > day)
            and not self.dissolved_with_parliament(day)
        )

    def dissolved_with_parliament(self, day: date) -> bool:
        """Elected before the parliament was dissolved, and the day is in the election."""
        parliament = self.area.parliament
        if not parliament.in_election(day):
            return False
        return self.in_office_from is None or self.in_office_from < parliament.dissolved_on

    @property
    def salutation(self):
        return f"Dear {self.addressed_as or self.name}"

    def member_page_url(self):
        return self.area.parliament.member_page_url(self.official_id)

    def clean(self):
        if self.in_office_from and self.in_office_to and self.in_office_to < self.in_office_from:
            raise ValidationError({"in_office_to": "A term cannot end before it begins."})
