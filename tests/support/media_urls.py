"""The site's addresses plus ``MEDIA_URL``, served from ``MEDIA_ROOT`` as it is at each request
(each test has its own): a picture's public URL answers as the web server answers it in
production, where only the media folder is served. Use with ``settings.ROOT_URLCONF``."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from advocacy.urls import (  # noqa: F401 - the site's error pages here too
    handler400,
    handler403,
    handler404,
    handler500,
)
from advocacy.urls import urlpatterns as site_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


MEDIA_PREFIX = settings.MEDIA_URL.strip("/")
urlpatterns = [*site_urlpatterns, re_path(rf"^{MEDIA_PREFIX}/(?P<path>.*)$", media)]
