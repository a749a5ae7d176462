"""What the mailing house gets: a CSV of the orders to post, one row an order."""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone

from campaigns.models import BookletOrder
from campaigns.spreadsheets import BOM, neutralise

COLUMNS = [
    "reference",
    "ordered_at",
    "edition",
    "quantity",
    "name",
    *BookletOrder.ADDRESS_FIELDS,
    "country",
    "status",
]


def order_row(order: BookletOrder) -> list[str]:
    cells = [
        order.reference,
        timezone.localtime(order.created_at).strftime("%Y-%m-%d %H:%M"),
        str(order.edition),
        str(order.quantity),
        order.name,
        *(getattr(order, field) for field in BookletOrder.ADDRESS_FIELDS),
        order.get_country_display(),
        order.get_status_display(),
    ]
    return [neutralise(cell) for cell in cells]


def orders_csv(orders: Iterable[BookletOrder]) -> str:
    """The whole CSV: a byte-order mark and a header row, then one row an order."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(order_row(order) for order in orders)
    return out.getvalue()
