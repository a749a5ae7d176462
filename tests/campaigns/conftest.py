import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from campaigns.models import Parliament
from campaigns.models.parliaments import ensure_parliaments
from tests.support.campaign_factories import make_area, make_campaign, make_member, make_share
from tests.support.rq import rq_backend  # noqa: F401 - a fixture for the RQ backend's tests


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """The real open data, imported once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_representatives", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def campaign_and_mp():
    """A Commons campaign and its MP, for the tests that empty the database (PostgreSQL)."""
    ensure_parliaments(Parliament)  # a transactional test empties the tables the migration filled
    area = make_area(name="Cities of London and Westminster", code="E14001172")
    make_share("SW1A 0", area)
    mp = make_member(area, name="Rachel Blake", email="rachel.blake.mp@example.org")
    return make_campaign(min_personal_percent=10), mp


@pytest.fixture
def superuser_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.org"))
    return client
