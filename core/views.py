"""The public's rule for published items in views, and staff's previews."""

from dataclasses import dataclass

from django.db import models


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
    return request.user.is_authenticated and request.user.is_staff


class PublishedMixin:
    """Public visitors see published items only; staff may preview the rest."""

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
