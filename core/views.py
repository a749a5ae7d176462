"""The public's rule for published items in views, staff's previews, and 410 Gone."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control

from core.prepared import Prepared
from core.takedown import was_taken_down


@dataclass(frozen=True)
class PreviewOf:
    """One item a preview shows whatever its status, and the notice the page shows with it.

    Only core.previews sets it on a request (``PREVIEW_ATTRIBUTE``), after checking who may see
    what: never a query parameter, so no visitor can ask for an unpublished item."""

    model: type[models.Model]
    pk: int
    notice: str


PREVIEW_ATTRIBUTE = "preview_of"


def previewed(request) -> PreviewOf | None:
    return getattr(request, PREVIEW_ATTRIBUTE, None)


def can_preview(request):
    """Staff see unpublished items, marked as a preview."""
    return signed_in(request) and request.user.is_staff


def signed_in(request) -> bool:
    """Whether someone is signed in, asking for the user only if a session could hold one."""
    return may_be_signed_in(request) and request.user.is_authenticated


def may_be_signed_in(request) -> bool:
    """Only a session signs anyone in: a request through SessionMiddleware without its cookie
    is anonymous, known without looking its user up (the session, the user and the two-factor
    device cost about 60 calls). A request that did not pass the middleware (a test's, with its
    user set) is asked."""
    return not hasattr(request, "session") or settings.SESSION_COOKIE_NAME in request.COOKIES


def gone(request):
    """410: the page was removed. It names nothing of the item, and no cache may keep it, so
    the page can come back (after a new approval) without waiting for caches to expire."""
    response = render(request, "core/gone.html", status=410)
    patch_cache_control(response, no_store=True)
    return response


class GoneWhenTakenDownMixin:
    """A detail view whose item was taken down (and not published since) answers 410 Gone;
    drafts and unknown addresses stay 404. Asked only when the page's lookup found nothing."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if self.taken_down():
                return gone(request)
            raise

    def taken_down(self) -> bool:
        slug = self.kwargs.get(self.slug_url_kwarg)
        if slug is None:
            return False
        model = self.get_queryset().model
        return was_taken_down(model._default_manager.filter(**{self.get_slug_field(): slug}))


def published_by_slug(base: Callable[[], models.QuerySet]) -> Prepared:
    """A page's published item by its slug, ``base()`` under the one rule, as a prepared read
    (core.prepared: compiled once a process)."""
    return Prepared(lambda slug, now: base().published(now).filter(slug=slug))


class PublishedMixin(GoneWhenTakenDownMixin):
    """Public visitors see published items only; staff may preview the rest."""

    # published_by_slug(get_base_queryset's definition): how a public visitor's page finds
    # its item without building a queryset; None: through get_queryset.
    prepared_item: Prepared | None = None

    def get_object(self, queryset=None):
        if self.prepared_item is None or queryset is not None or not self.is_public():
            return super().get_object(queryset)
        slug = self.kwargs[self.slug_url_kwarg]
        item = self.prepared_item.first(slug=slug, now=timezone.now())
        if item is None:
            raise Http404(f"No {self.model._meta.verbose_name} found matching the query")
        return item

    def is_public(self) -> bool:
        """A visitor who sees what is published only, and no preview."""
        return not can_preview(self.request) and previewed(self.request) is None

    def get_queryset(self):
        queryset = self.get_base_queryset()
        shown = previewed(self.request)
        if shown and shown.model is queryset.model:  # the previewed item only, not its links
            return queryset.filter(pk=shown.pk)
        return self.visible(queryset)

    def visible(self, queryset):
        """The same rule for the page's own item and the items it links to."""
        return queryset if can_preview(self.request) else queryset.published()

    def get_base_queryset(self):
        return self.model.objects.all()

    def get_context_data(self, **kwargs):
        shown = previewed(self.request)
        return super().get_context_data(
            preview=shown is not None or not self.object.is_published,
            preview_notice=shown.notice if shown else "",
            **kwargs,
        )
