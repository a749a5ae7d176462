"""Showing a version of an item that is not on the site, in its public template.

The version is written into the rows inside a transaction, the item's public page is rendered
from them in full, and the transaction is rolled back (as django-reversion's own admin does to
show an old version): the page is the real public template and view, and the database is left
as it was. Which item the page may show whatever its status is set on the request here only
(``core.views.PreviewOf``); everything it links to keeps the public's rule.
"""

from collections.abc import Callable
from copy import copy

from django.db import models, transaction
from django.http import HttpResponse
from django.urls import resolve

from core.views import PREVIEW_ATTRIBUTE, PreviewOf

# Previews are for the people they were made for: never cached, indexed or sent onwards.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store, private",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",  # a share link's token must not leak to linked sites
}


class _Shown(Exception):
    """Raised to roll the preview's rows back, carrying the page rendered from them."""

    def __init__(self, response: HttpResponse):
        super().__init__("preview rendered")
        self.response = response


def private(response: HttpResponse) -> HttpResponse:
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def preview_render(request, *, write: Callable[[], models.Model], notice: str) -> HttpResponse:
    """The public page of the item ``write()`` puts into the rows, rendered, then rolled back.

    ``write`` may raise to refuse: the rows are rolled back and the exception goes on."""
    try:
        with transaction.atomic():
            item = write()
            raise _Shown(public_page(request, item, notice=notice))
    except _Shown as shown:
        return private(shown.response)


def public_page(request, item: models.Model, *, notice: str) -> HttpResponse:
    """Item's public page as its own view renders it (a GET at its address), fully rendered."""
    match = resolve(item.get_absolute_url())
    page_request = copy(request)  # the preview was posted; the public page is read
    page_request.method = "GET"
    setattr(page_request, PREVIEW_ATTRIBUTE, PreviewOf(type(item), item.pk, notice))
    response = match.func(page_request, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()  # while the rows still hold the version shown
    return response
