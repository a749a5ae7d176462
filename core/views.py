"""The public's rule for published items in views, staff's previews, and 410 Gone."""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from core.takedown import was_taken_down


def can_preview(request):
    """Staff see unpublished items, marked as a preview."""
    return request.user.is_authenticated and request.user.is_staff


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


class PublishedMixin(GoneWhenTakenDownMixin):
    """Public visitors see published items only; staff may preview the rest."""

    def get_queryset(self):
        return self.visible(self.get_base_queryset())

    def visible(self, queryset):
        """The same rule for the page's own item and the items it links to."""
        return queryset if can_preview(self.request) else queryset.published()

    def get_base_queryset(self):
        return self.model.objects.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=not self.object.is_published, **kwargs)
