"""Orders for the booklet: the edition and limit staff set, placing an order once however
often its form is posted, and moving orders through fulfilment."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from campaigns.delivery.limits import normalise_email
from campaigns.models import BookletOrder, BookletSettings
from stories.models import WatchListEntry

Status = BookletOrder.Status

# Where each status may be reached from, and the moment it records.
TRANSITIONS = {
    Status.PACKED: ({Status.NEW}, "packed_at"),
    Status.POSTED: ({Status.NEW, Status.PACKED}, "posted_at"),
    Status.CANCELLED: ({Status.NEW, Status.PACKED}, "cancelled_at"),
}


@dataclass(frozen=True)
class Offer:
    """What the order page offers: the booklet's edition and the most copies an order takes."""

    edition: int
    most_copies: int


def booklet_settings() -> BookletSettings:
    """The one row of settings, or the defaults if staff never saved it (nothing written)."""
    return BookletSettings.objects.filter(pk=1).first() or BookletSettings(pk=1)


def latest_edition() -> int:
    """The latest year of the World Watch List; this year if there is no list yet."""
    year = WatchListEntry.objects.public().order_by("-year").values_list("year", flat=True)
    return year.first() or timezone.now().year


def booklet_offer() -> Offer:
    chosen = booklet_settings()
    return Offer(edition=chosen.edition or latest_edition(), most_copies=chosen.most_copies)


def booklet_order_create(*, key: str, edition: int, **details) -> BookletOrder:
    """The order for this form's ``key``: made once, and found again when posted again."""
    existing = BookletOrder.objects.filter(idempotency_key=key).first()
    if existing:
        return existing
    consent = details.get("marketing_consent", False)
    order = BookletOrder(
        idempotency_key=key,
        edition=edition,
        email_key=normalise_email(details["email"]) if details.get("email") else "",
        consented_at=timezone.now() if consent else None,
        **details,
    )
    if not consent:
        order.consent_wording = ""
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:  # the same form, posted twice at the same moment: the first won
        return BookletOrder.objects.get(idempotency_key=key)
    return order


def booklet_orders_move(ids, status: str) -> int:
    """Move the orders that may go to ``status`` there; how many moved. Others stay put."""
    sources, moment = TRANSITIONS[Status(status)]
    movable = BookletOrder.objects.filter(
        pk__in=list(ids), status__in=sources, anonymised_at__isnull=True
    )
    return movable.update(status=status, **{moment: timezone.now()})


def orders_per_edition() -> list[dict]:
    """Per edition, newest first: orders and copies, not counting cancelled ones."""
    live = ~Q(status=Status.CANCELLED)
    return list(
        BookletOrder.objects.values("edition")
        .annotate(
            orders=Count("pk", filter=live),
            copies=Sum("quantity", filter=live, default=0),
            waiting=Count("pk", filter=Q(status__in=[Status.NEW, Status.PACKED])),
        )
        .order_by("-edition")
    )
