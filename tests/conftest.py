import os

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
    """Uploads from every test land in a fresh directory, never in the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
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


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached pages never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
