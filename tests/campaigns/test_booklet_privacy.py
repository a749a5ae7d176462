"""Supporters' details on booklet orders: anonymised BOOKLET_ADDRESS_DAYS after posting or
cancelling, in the supporter's export and erase, and on the privacy page."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from campaigns.booklets.privacy import ANONYMISED_NAME
from campaigns.booklets.services import booklet_orders_move, orders_per_edition
from campaigns.letters.supporters import supporter_data, supporter_erase
from campaigns.models import BookletOrder
from tests.support.booklets import make_order
from tests.support.html import content, text

pytestmark = pytest.mark.django_db
Status = BookletOrder.Status
POSTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
JANE = {
    "name": "Jane Quietreader",
    "address_line1": "17 Lantern Lane",
    "email": "Jane+books@Example.org",
    "email_key": "jane@example.org",
    "quantity": 4,
    "reason": "For the Lantern Lane prayer group",
    "marketing_consent": True,
    "consent_wording": "Yes, email me.",
    "consented_at": POSTED,
}


def purge(**options):
    out = StringIO()
    call_command("purge_letters", stdout=out, **options)
    return out.getvalue()


def posted_order(when=POSTED, **fields):
    order = make_order(**{**JANE, **fields})
    with time_machine.travel(when, tick=False):
        booklet_orders_move([order.pk], Status.POSTED)
    return order


def personal(order):
    order.refresh_from_db()
    return [
        order.name,
        order.address_line1,
        order.town,
        order.postcode,
        order.email,
        order.reason,
        order.consent_wording,
    ]


def test_a_posted_order_keeps_its_address_for_the_set_days_then_loses_it(settings):
    settings.BOOKLET_ADDRESS_DAYS = 90
    order = posted_order()
    waiting = make_order()  # not posted yet: kept, however old

    with time_machine.travel(POSTED + timedelta(days=89), tick=False):
        assert "booklet" not in purge()
    assert personal(order)[0] == "Jane Quietreader"

    with time_machine.travel(POSTED + timedelta(days=91), tick=False):
        assert "Anonymised 1 booklet order posted or cancelled over 90 days ago." in purge()
    assert personal(order) == [ANONYMISED_NAME, "", "", "", "", "", ""]
    order.refresh_from_db()
    assert (order.status, order.quantity, order.edition, order.marketing_consent) == (
        Status.POSTED,
        4,
        2026,
        False,
    )
    assert order.anonymised_at and order.consented_at is None
    assert personal(waiting)[0].startswith("Supporter")
    assert orders_per_edition()[0]["copies"] == 5  # the counts stay


def test_cancelled_orders_are_anonymised_too_and_the_days_are_a_setting(settings):
    settings.BOOKLET_ADDRESS_DAYS = 10
    order = make_order(**JANE)
    with time_machine.travel(POSTED, tick=False):
        booklet_orders_move([order.pk], Status.CANCELLED)
    with time_machine.travel(POSTED + timedelta(days=11), tick=False):
        assert "Dry run (nothing anonymised): would anonymise 1 booklet order" in purge(
            dry_run=True
        )
        assert personal(order)[0] == "Jane Quietreader"
        purge()
    assert personal(order)[0] == ANONYMISED_NAME


def test_export_holds_the_orders_of_the_mailbox_however_it_is_spelt():
    order = posted_order()
    make_order(email="someone@example.org", email_key="someone@example.org")

    data = supporter_data("JANE@example.org")
    assert [row["reference"] for row in data["booklet_orders"]] == [order.reference]
    row = data["booklet_orders"][0]
    assert (row["name"], row["address_line1"], row["quantity"], row["status"]) == (
        "Jane Quietreader",
        "17 Lantern Lane",
        4,
        "posted",
    )
    assert row["consented_at"] == POSTED.isoformat()


def test_erase_anonymises_the_orders_and_cancels_one_not_yet_posted():
    posted = posted_order()
    waiting = make_order(**JANE)

    assert supporter_erase("jane+other@example.org") == 2
    assert personal(posted)[0] == personal(waiting)[0] == ANONYMISED_NAME
    waiting.refresh_from_db()
    assert waiting.status == Status.CANCELLED and waiting.cancelled_at
    assert supporter_erase("jane@example.org") == 0
    assert supporter_data("jane@example.org")["booklet_orders"] == []


def test_the_privacy_page_describes_booklet_orders_and_their_days(client, settings):
    settings.BOOKLET_ADDRESS_DAYS = 60
    page = text(content(client.get("/privacy/")))
    assert "When you order the World Watch List booklet" in page
    assert "60 days after we post your booklet" in page
    assert "every booklet order with that email address" in page
