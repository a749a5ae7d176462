"""The admin site: a POST that saved something, and only that, moves the content version on,
so no cached page from before the change is served (advocacy/page_cache.py)."""

import pytest

from core.admin_urls import admin_url
from core.cache_version import content_version
from tests.support.factories import make_country
from tests.support.workflow import change_form

pytestmark = pytest.mark.django_db


def test_a_saved_change_moves_the_version_on(admin_client):
    country = make_country(name="Eritrea")
    before = content_version()

    answer = admin_client.post(
        admin_url(country, "change", country.pk), change_form(admin_client, country)
    )

    assert answer.status_code == 302
    assert content_version() != before


def test_a_form_with_errors_or_a_page_read_leaves_it(admin_client):
    country = make_country(name="Eritrea")
    before = content_version()

    admin_client.get(admin_url(country, "change", country.pk))
    fields = change_form(admin_client, country) | {"name": ""}
    answer = admin_client.post(admin_url(country, "change", country.pk), fields)

    assert answer.status_code == 200  # the form again, with its error
    assert content_version() == before


def test_a_post_by_someone_not_logged_in_leaves_it(client):
    country = make_country(name="Eritrea")
    before = content_version()

    answer = client.post(admin_url(country, "delete", country.pk), {"post": "yes"})

    assert answer.status_code == 302  # to the login page
    assert content_version() == before
