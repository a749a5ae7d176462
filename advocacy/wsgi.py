"""WSGI entry point for gunicorn: Django, with cached pages answered in front of it."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.production")

django_application = get_wsgi_application()

# Imported once the apps are loaded (get_wsgi_application sets Django up): it reads models.
from advocacy.page_cache import PageCacheFrontDoor  # noqa: E402

application = PageCacheFrontDoor(django_application)
