"""Booklet orders as the order page stores them, and the form as a supporter fills it in."""

import itertools
import uuid

from campaigns.models import BookletOrder

_numbers = itertools.count(1)


def make_order(**overrides):
    """A new order for one copy from a sample supporter in York."""
    number = next(_numbers)
    fields = {
        "name": f"Supporter {number}",
        "address_line1": "17 Lantern Lane",
        "town": "York",
        "postcode": "YO1 7HH",
        "country": BookletOrder.Country.UK,
        "edition": 2026,
        "idempotency_key": uuid.uuid4().hex,
    }
    return BookletOrder.objects.create(**{**fields, **overrides})


def order_form(**overrides):
    """What the order page posts for Jane in York, one copy, no consent."""
    data = {
        "name": "Jane Quietreader",
        "address_line1": "17 Lantern Lane",
        "address_line2": "",
        "town": "York",
        "county": "",
        "postcode": "yo17hh",
        "country": "GB",
        "email": "",
        "quantity": "1",
        "reason": "",
        "key": uuid.uuid4().hex,
        "website": "",
    }
    return {**data, **overrides}
