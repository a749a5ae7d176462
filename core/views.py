"""The public's rule for published items in views, and staff's previews."""


def can_preview(request):
    """Staff see unpublished items, marked as a preview."""
    return request.user.is_authenticated and request.user.is_staff


class PublishedMixin:
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
