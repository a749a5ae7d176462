"""The free World Watch List booklet: supporters' orders, and what staff set for them."""

from django.db import models
from django.db.models import Q

from safeguarding.guard import not_public

DEFAULT_MOST_COPIES = 50


@not_public("Staff settings for booklet orders; nothing here is shown on its own.")
class BookletSettings(models.Model):
    """One row: the most copies one order may ask for, and the edition we post."""

    most_copies = models.PositiveSmallIntegerField(
        default=DEFAULT_MOST_COPIES,
        help_text="The most copies one order may ask for. More than one needs a reason "
        "(for a church or a group); the order form offers up to this number.",
    )
    edition = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The World Watch List year of the booklet we post now. Leave empty for the "
        "latest year on the list. The order page names this year.",
    )

    class Meta:
        verbose_name = "booklet settings"
        verbose_name_plural = "booklet settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="booklet_settings_one_row"),
            models.CheckConstraint(condition=Q(most_copies__gte=1), name="booklet_most_copies_1"),
        ]

    def __str__(self):
        return "Booklet settings"


@not_public("A supporter's order and address go only to the mailing house.")
class BookletOrder(models.Model):
    """One supporter's order for the booklet: who, where, how many, and how far it has got."""

    class Country(models.TextChoices):
        # ISO 3166 codes, as browsers' autofill gives them.
        UK = "GB", "United Kingdom"
        IRELAND = "IE", "Ireland"

    class Status(models.TextChoices):
        NEW = "new", "New"
        PACKED = "packed", "Packed"
        POSTED = "posted", "Posted"
        CANCELLED = "cancelled", "Cancelled"

    # The address as the supporter types it, line by line (the country is chosen apart).
    ADDRESS_FIELDS = ("address_line1", "address_line2", "town", "county", "postcode")

    name = models.CharField(max_length=100)
    address_line1 = models.CharField("address line 1", max_length=100)
    address_line2 = models.CharField("address line 2", max_length=100, blank=True)
    town = models.CharField(max_length=60)
    county = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(
        max_length=8, blank=True, help_text="A UK postcode or an Eircode, normalised."
    )
    country = models.CharField(max_length=2, choices=Country.choices, default=Country.UK)
    email = models.EmailField(blank=True)
    email_key = models.CharField(
        max_length=254, blank=True, db_index=True, help_text="The email address, normalised."
    )
    quantity = models.PositiveSmallIntegerField(default=1)
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why more than one copy, in the supporter's words."
    )
    edition = models.PositiveIntegerField(
        db_index=True, help_text="The World Watch List year of the booklet ordered."
    )
    marketing_consent = models.BooleanField(default=False)
    consent_wording = models.TextField(blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    idempotency_key = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    packed_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(
        null=True, blank=True, help_text="When the name, address and email were removed."
    )

    class Meta:
        ordering = ["created_at", "id"]  # first come, first posted
        permissions = [
            (
                "fulfil_bookletorder",
                "Can fulfil booklet orders: see the queue, mark packed, posted or cancelled, "
                "download the CSV and print labels",
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="booklet_at_least_one"),
            models.CheckConstraint(
                condition=Q(quantity=1) | ~Q(reason="") | Q(anonymised_at__isnull=False),
                name="booklet_more_than_one_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(marketing_consent=False) | Q(consented_at__isnull=False),
                name="booklet_consent_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="posted") | Q(posted_at__isnull=False),
                name="booklet_posted_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="booklet_cancelled_has_a_time",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.name}"

    @property
    def reference(self) -> str:
        """What staff and the mailing house call the order: ``B000042``."""
        return f"B{self.pk:06d}" if self.pk else "B(new)"

    @property
    def address_lines(self) -> list[str]:
        """The label, a line each: name, address, town, county, postcode, country."""
        lines = [
            self.name,
            *(getattr(self, field) for field in self.ADDRESS_FIELDS),
            self.get_country_display(),
        ]
        return [line for line in lines if line]
