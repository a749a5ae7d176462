"""Fulfilling booklet orders: the queue, its actions, the CSV and the labels, all behind
campaigns.fulfil_bookletorder."""

import csv
import io

import pytest
from django.contrib.auth.models import Group

from campaigns.booklets.exports import COLUMNS
from campaigns.booklets.services import booklet_orders_move
from campaigns.models import BookletOrder
from tests.support.admin import act, admin_url, staff_with
from tests.support.booklets import make_order
from tests.support.html import content, select, text

pytestmark = pytest.mark.django_db
Status = BookletOrder.Status
QUEUE = "bookletorder_changelist"


@pytest.fixture
def fulfiller(django_user_model):
    return staff_with(django_user_model, "fulfil_bookletorder")


@pytest.fixture
def orders():
    return [
        make_order(name="Ann Early", edition=2025),
        make_order(name="Ben Middle", quantity=12, reason="Our church", edition=2026),
        make_order(name="=HYPERLINK(evil)", edition=2026, country="IE", postcode="A65 F4E2"),
    ]


def test_without_the_permission_there_is_no_queue_no_csv_and_no_labels(django_user_model, orders):
    other = staff_with(django_user_model, "view_campaign", "view_letter")
    assert other.get(admin_url(QUEUE)).status_code == 403
    assert other.get(admin_url("bookletorder_change", orders[0].pk)).status_code == 403
    for action in ("download_csv", "print_labels", "mark_posted"):
        response = act(other, action, orders, model="bookletorder")
        assert response.status_code == 403
        assert "Lantern" not in content(response)
    assert BookletOrder.objects.filter(status=Status.NEW).count() == 3
    assert "Booklet orders" not in content(other.get("/admin/"))


def test_campaign_managers_may_fulfil_and_others_may_not():
    assert Group.objects.get(name="Campaign managers").permissions.filter(
        codename="fulfil_bookletorder"
    )
    for name in ("Editors", "Safeguarding reviewers"):
        assert not Group.objects.get(name=name).permissions.filter(
            content_type__model__startswith="booklet"
        )


def test_the_queue_filters_by_status_and_edition_and_counts_each_edition(fulfiller, orders):
    booklet_orders_move([orders[0].pk], Status.CANCELLED)
    page = content(fulfiller.get(admin_url(QUEUE)))
    rows = [
        [text(str(cell)) for cell in row.select("th, td")]
        for row in select(page, ".booklet-editions tbody tr")
    ]
    assert rows == [["2026", "2", "13", "2"], ["2025", "0", "0", "0"]]

    only_2026 = content(fulfiller.get(admin_url(QUEUE) + "?edition=2026"))
    assert "Ben Middle" in only_2026 and "Ann Early" not in only_2026
    cancelled = content(fulfiller.get(admin_url(QUEUE) + "?status__exact=cancelled"))
    assert "Ann Early" in cancelled and "Ben Middle" not in cancelled
    found = content(fulfiller.get(admin_url(QUEUE) + "?q=A65"))
    assert "HYPERLINK" in found and "Ben Middle" not in found


def test_orders_move_from_new_to_packed_to_posted_and_not_back(fulfiller, orders):
    act(fulfiller, "mark_packed", orders[:2], model="bookletorder")
    assert [o.status for o in BookletOrder.objects.all()] == ["packed", "packed", "new"]

    page = content(act(fulfiller, "mark_posted", orders, model="bookletorder"))
    assert "3 order(s) marked posted." in text(page)
    assert all(o.status == "posted" and o.posted_at for o in BookletOrder.objects.all())

    page = content(act(fulfiller, "mark_cancelled", orders, model="bookletorder"))
    assert "0 order(s) marked cancelled." in text(page)
    assert "3 order(s) left as they were" in text(page)
    assert {o.status for o in BookletOrder.objects.all()} == {"posted"}


def test_the_csv_holds_each_address_safe_for_a_spreadsheet(fulfiller, orders):
    response = act(fulfiller, "download_csv", orders, model="bookletorder")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="booklet-orders-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert [row[COLUMNS.index("name")] for row in rows[1:]] == [
        "Ann Early",
        "Ben Middle",
        "'=HYPERLINK(evil)",
    ]
    ben = dict(zip(COLUMNS, rows[2], strict=True))
    assert (ben["reference"], ben["quantity"], ben["postcode"], ben["country"]) == (
        orders[1].reference,
        "12",
        "YO1 7HH",
        "United Kingdom",
    )


def test_labels_come_21_to_an_a4_sheet_with_a_print_stylesheet(fulfiller):
    orders = [make_order(name=f"Reader {n}") for n in range(23)]
    response = act(fulfiller, "print_labels", orders, model="bookletorder")
    page = content(response)
    sheets = select(page, ".sheet")
    assert [len(sheet.select(".label")) for sheet in sheets] == [21, 2]
    first = text(str(sheets[0].select_one(".label address")))
    assert "Reader 0" in first and "17 Lantern Lane" in first and "YO1 7HH" in first
    assert select(page, 'link[rel=stylesheet][href$="booklet_labels.css"]')
    assert not select(page, "script")


def test_anonymised_orders_give_no_label_and_no_row(fulfiller, orders):
    BookletOrder.objects.filter(pk=orders[0].pk).update(
        name="Anonymised", anonymised_at="2026-01-01T00:00Z", address_line1="", town="", postcode=""
    )
    labels = content(act(fulfiller, "print_labels", orders, model="bookletorder"))
    assert len(select(labels, ".label")) == 2
    response = act(fulfiller, "download_csv", orders, model="bookletorder")
    assert len(response.content.decode("utf-8-sig").splitlines()) == 3


def test_the_settings_open_on_their_one_row_and_change_the_order_page(django_user_model, client):
    manager = staff_with(django_user_model, "view_bookletsettings", "change_bookletsettings")
    listed = content(manager.get(admin_url("bookletsettings_changelist")))
    assert [a["href"] for a in select(listed, "#result_list tbody th a")] == [
        admin_url("bookletsettings_change", 1)
    ]
    manager.post(admin_url("bookletsettings_change", 1), {"most_copies": "8", "edition": "2024"})

    page = content(client.get("/world-watch-list/booklet/"))
    assert "World Watch List 2024 booklet" in text(page)
    assert select(page, "[name=quantity]")[0]["max"] == "8"
    assert (
        staff_with(django_user_model, "view_campaign")
        .get(admin_url("bookletsettings_changelist"))
        .status_code
        == 403
    )
