import os
import secrets

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

# CI explores the same examples on every run, so a red build is never a roll of the dice;
# locally, new examples keep being tried.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads from every test land in a fresh directory, never in the project; so do the
    pictures of items taken down."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WITHDRAWN_MEDIA_ROOT = tmp_path / "withdrawn"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_user(django_user_model):
    """An editor: staff, but not a superuser."""
    return django_user_model.objects.create_user(
        username="editor", password="editor-password", is_staff=True
    )


@pytest.fixture
def staff_client(staff_user):
    """A logged-in editor's browser, separate from the anonymous ``client``."""
    client = Client()
    client.force_login(staff_user)
    return client


def clear_caches():
    """The shared cache and the rate limits' per-process fallback, with its outage flag.

    In the Redis-down run (.ci/run) REDIS_URL names a closed port: there is nothing to clear
    there, and the fallback is what the limits count in.
    """
    from django.conf import settings
    from django.core.cache import cache, caches

    from core import ratelimits

    ratelimits._fallback.clear()
    ratelimits._shared_failed_at = None
    try:
        cache.clear()
        caches["pages"].clear()
    except Exception:
        if not os.environ.get("REDIS_DOWN_RUN") or not settings.REDIS_URL:
            raise


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached pages never leak from one test into the next."""
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def mp(db):
    """Rachel Blake MP, the member for SW1A 0AA, whom most letter tests write to."""
    from tests.support.campaign_factories import make_area, make_member, make_share

    area = make_area(name="Cities of London and Westminster", code="E14001172")
    make_share("SW1A 0", area)
    return make_member(area, name="Rachel Blake", email="rachel.blake.mp@example.org")


@pytest.fixture
def campaign(mp):
    """A live Commons campaign asking for at least 10% of a letter in the writer's own words."""
    from tests.support.campaign_factories import make_campaign

    return make_campaign(title="Stop the forced returns", min_personal_percent=10)


@pytest.fixture
def production_env(tmp_path):
    """The environment production needs, every variable set, on a throwaway SQLite file."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "advocacy.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "WITHHELD_NAMES_KEY": secrets.token_urlsafe(50),
    }
