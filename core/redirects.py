"""Old addresses keep working: a redirect from each address an item had to wherever it is now.

A ``core.models.Redirect`` points at the item, not at an address, so chains never form: every
old address lands on the current one. It is followed only on a 404 (the live page always wins)
and only while its item is public under the item's own ``published()`` rule, so a redirect
never leads to a draft, a scheduled item before its time or an item taken down.

What may stop an address being kept (a withheld name in an old slug) is registered here by the
app that knows it, as publish checks are: see ``register_address_check``.
"""

from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.encoding import iri_to_uri

from core.models import Redirect

# Takes an address; returns why it may not be kept as a redirect, or None.
AddressCheck = Callable[[str], str | None]
_address_checks: list[AddressCheck] = []


def register_address_check(check: AddressCheck) -> None:
    """Called from an AppConfig.ready(); registering the same check twice keeps one."""
    if check not in _address_checks:
        _address_checks.append(check)


def address_refusal(path: str) -> str | None:
    """Why a registered check refuses to keep ``path`` as an old address, or None."""
    return next((reason for check in _address_checks if (reason := check(path))), None)


def normal_path(address: str) -> str:
    """An address as redirects store it: the path alone (no host, query or fragment),
    unquoted, with a slash at each end."""
    path = unquote(urlsplit(address.strip()).path).strip("/")
    return f"/{path}/" if path else "/"


# Serving


def public_item(model: type[models.Model] | None, pk: int) -> models.Model | None:
    """The item if the public may see it now, by its model's own ``published()``; else None."""
    queryset = model._default_manager.all() if model is not None else None
    if not hasattr(queryset, "published"):  # a model removed, or one with no public rule
        return None
    return queryset.published().filter(pk=pk).first()


def redirect_destination(path: str) -> str | None:
    """The current address of the public item that ``path`` redirects to, or None."""
    redirect = (
        Redirect.objects.select_related("content_type").filter(old_path=normal_path(path)).first()
    )
    if redirect is None:
        return None
    item = public_item(redirect.content_type.model_class(), redirect.object_id)
    return item.get_absolute_url() if item is not None else None


class RedirectFallbackMiddleware:
    """A 404 to GET or HEAD at an old address becomes a permanent redirect to its item's
    current page, with the query string kept; only 404s pay for the look-up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        destination = redirect_destination(request.path_info)
        if destination is None:
            return response
        if query := request.META.get("QUERY_STRING", ""):
            destination = f"{destination}?{iri_to_uri(query)}"
        return HttpResponsePermanentRedirect(destination)


# Recording


@transaction.atomic
def redirect_record(*, item: models.Model, old_address: str) -> Redirect | None:
    """After ``item``'s address changed from ``old_address``: the old address redirects to it,
    and the new address, now a live page, stops redirecting anywhere else.

    Returns the redirect, or None if the address did not change or a registered check
    refuses to keep it (see ``address_refusal``).
    """
    old_path, new_path = normal_path(old_address), normal_path(item.get_absolute_url())
    if old_path == new_path:
        return None
    Redirect.objects.filter(old_path=new_path).delete()  # the live page wins
    if address_refusal(old_path):
        Redirect.objects.filter(old_path=old_path).delete()
        return None
    redirect, _ = Redirect.objects.update_or_create(
        old_path=old_path,
        defaults={
            "content_type": ContentType.objects.get_for_model(item),
            "object_id": item.pk,
            "automatic": True,
            "created_by": None,
        },
    )
    return redirect


# Finding the item behind an address, through the URL map (core names no app)


def _view_of(path: str):
    """The resolved match of ``path`` and its class-based view, or (None, None)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None, None
    return match, getattr(match.func, "view_class", None)


def _item_page(path: str):
    """The resolved match; for an item's page (a view with a model, found by slug) also its
    model and the lookup that finds the item, else None for both."""
    match, view = _view_of(path)
    model = getattr(view, "model", None)
    slug_kwarg = getattr(view, "slug_url_kwarg", "slug")
    if model is None or slug_kwarg not in match.kwargs:
        return match, None, None
    return match, model, {getattr(view, "slug_field", "slug"): match.kwargs[slug_kwarg]}


def item_at(address: str) -> models.Model | None:
    """The item (in any status) whose page is at ``address``: the model of the view the URL
    map sends it to, found by the view's slug."""
    path = normal_path(address)
    _match, model, lookup = _item_page(path)
    item = model._base_manager.filter(**lookup).first() if model is not None else None
    if item is None or normal_path(item.get_absolute_url()) != path:
        return None
    return item


def is_free(address: str) -> bool:
    """Whether ``address`` has no page of its own now: it resolves to nothing, or to the page
    of an item that does not exist. Only such addresses can redirect."""
    path = normal_path(address)
    match, model, _lookup = _item_page(path)
    if match is None:
        return True
    return model is not None and item_at(path) is None
