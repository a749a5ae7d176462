"""The admin's addresses for a model's views, by the names Django's admin gives them."""

from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db import models
from django.urls import reverse


def admin_url(model: type[models.Model] | models.Model, view: str, *args) -> str:
    """The address of the admin's ``view`` ("change", "history", ...) for model or one of its
    items, as ``admin:stories_story_change``, with the arguments its URL takes."""
    return reverse(admin_urlname(model._meta, view), args=args)
