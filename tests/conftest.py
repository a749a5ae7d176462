import pytest
from django.test import Client


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
