"""Supporters' details on booklet orders: anonymised a set time after posting (or cancelling),
and exported or erased by email address with the rest of a supporter's data."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from campaigns.delivery.limits import normalise_email
from campaigns.models import BookletOrder

Status = BookletOrder.Status
DEFAULT_ADDRESS_DAYS = 90
ANONYMISED_NAME = "Anonymised"


def address_retention() -> timedelta:
    """How long a posted or cancelled order keeps the supporter's name, address and email."""
    return timedelta(days=getattr(settings, "BOOKLET_ADDRESS_DAYS", DEFAULT_ADDRESS_DAYS))


def anonymised_values(now) -> dict:
    """What anonymising changes: the country, edition, quantity and dates stay for the counts."""
    return {
        "name": ANONYMISED_NAME,
        **dict.fromkeys(BookletOrder.ADDRESS_FIELDS, ""),
        "email": "",
        "email_key": "",
        "reason": "",  # "for St Anne's, ask for Jo" names people too
        "marketing_consent": False,
        "consent_wording": "",
        "consented_at": None,
        "anonymised_at": now,
    }


def addresses_expired(now=None) -> QuerySet[BookletOrder]:
    """Orders posted or cancelled longer ago than the retention, not yet anonymised."""
    cutoff = (now or timezone.now()) - address_retention()
    finished = Q(status=Status.POSTED, posted_at__lt=cutoff) | Q(
        status=Status.CANCELLED, cancelled_at__lt=cutoff
    )
    return BookletOrder.objects.filter(finished, anonymised_at__isnull=True)


def booklets_anonymise(*, dry_run: bool = False) -> int:
    """Anonymise every finished order past keeping; the count."""
    if dry_run:
        return addresses_expired().count()
    now = timezone.now()
    return addresses_expired(now).update(**anonymised_values(now))


def supporter_orders(email: str) -> QuerySet[BookletOrder]:
    """Every order given this mailbox (jo+x@ and jo@ are one), not yet anonymised."""
    return BookletOrder.objects.filter(email_key=normalise_email(email), anonymised_at__isnull=True)


ORDER_FIELDS = [
    "reference",
    "created_at",
    "edition",
    "quantity",
    "reason",
    "status",
    "name",
    *BookletOrder.ADDRESS_FIELDS,
    "country",
    "email",
    "marketing_consent",
    "consent_wording",
    "consented_at",
    "posted_at",
]


def booklets_export(email: str) -> list[dict]:
    orders = supporter_orders(email).order_by("created_at", "id")
    return [{name: _json_value(getattr(order, name)) for name in ORDER_FIELDS} for order in orders]


def booklets_erase(email: str, dry_run: bool = False) -> int:
    """Anonymise the address's orders; one not yet posted is cancelled, having no address."""
    orders = supporter_orders(email)
    if dry_run:
        return orders.count()
    now = timezone.now()
    with transaction.atomic():
        ids = list(orders.select_for_update().values_list("pk", flat=True))
        waiting = BookletOrder.objects.filter(pk__in=ids, status__in=[Status.NEW, Status.PACKED])
        waiting.update(status=Status.CANCELLED, cancelled_at=now)
        return BookletOrder.objects.filter(pk__in=ids).update(**anonymised_values(now))


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
