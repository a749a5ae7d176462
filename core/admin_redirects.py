"""Redirects in the admin: staff add and remove them by hand, and an item's admin keeps its old
addresses working when its address changes (``RedirectOnSlugChangeMixin``)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html, format_html_join

from core.models import Redirect
from core.redirects import address_refusal, is_free, item_at, normal_path, redirect_record

NOT_FREE = (
    "“{path}” is a page of the site now, so visitors would never be redirected from it. "
    "Type an address that no longer has a page."
)
NOT_A_PAGE = (
    "“{path}” is not the address of one page of the site. Type the current address of a "
    "story, spokesperson, prayer request, country or campaign, as in /stories/church-reopens/."
)


class RedirectForm(forms.ModelForm):
    """The old address as typed, and the target page by its current address."""

    target_address = forms.CharField(
        label="Goes to",
        max_length=300,
        help_text="The current address of the page visitors should reach, as in "
        "/stories/church-reopens/. If that page's address changes later, the redirect follows "
        "it. Visitors are redirected only while the page is on the site.",
    )

    class Meta:
        model = Redirect
        fields = ["old_path"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and (target := self.instance.target) is not None:
            self.fields["target_address"].initial = target.get_absolute_url()

    def clean_old_path(self):
        path = normal_path(self.cleaned_data["old_path"])
        if not is_free(path):
            raise forms.ValidationError(NOT_FREE.format(path=path))
        if refusal := address_refusal(path):
            raise forms.ValidationError(refusal)
        return path

    def clean_target_address(self):
        address = self.cleaned_data["target_address"]
        target = item_at(address)
        if target is None:
            raise forms.ValidationError(NOT_A_PAGE.format(path=normal_path(address)))
        self.instance.content_type = ContentType.objects.get_for_model(target)
        self.instance.object_id = target.pk
        return address


class RedirectAdmin(admin.ModelAdmin):
    """Old addresses and where they lead: made automatically when an address changes, or by
    hand here."""

    form = RedirectForm
    list_display = ["old_path", "goes_to", "content_type", "automatic", "created_by", "created_at"]
    list_filter = ["automatic", "content_type"]
    search_fields = ["old_path"]
    list_select_related = ["content_type", "created_by"]
    readonly_fields = ["automatic", "created_by", "created_at"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    def get_fields(self, request, obj=None):
        return ["old_path", "target_address", *(self.readonly_fields if obj else [])]

    @admin.display(description="Goes to")
    def goes_to(self, obj):
        if obj.target is None:
            return "(the page was deleted)"
        return obj.target.get_absolute_url()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class RedirectOnSlugChangeMixin:
    """For the admin of a model with a public page: put it before the ModelAdmin class.

    When a save changes the item's address (``get_absolute_url()``), the old address redirects
    to the new one; the change form lists the old addresses that lead to the item.
    """

    redirect_fields = ["old_addresses"]

    def save_model(self, request, obj, form, change):
        before = self._address_before(request, obj) if change else None
        super().save_model(request, obj, form, change)
        if before is None or normal_path(before) == normal_path(obj.get_absolute_url()):
            return
        if redirect_record(item=obj, old_address=before):
            message = f"Its old address {normal_path(before)} now redirects here."
            self.message_user(request, message, messages.INFO)
        else:
            message = f"Its old address was not kept as a redirect: {address_refusal(before)}"
            self.message_user(request, message, messages.WARNING)

    def _address_before(self, request, obj):
        """The address as saved, before this save (or before the revert being saved)."""
        if (before := getattr(request, "address_before_revert", None)) is not None:
            return before
        saved = type(obj)._base_manager.filter(pk=obj.pk).first()
        return saved.get_absolute_url() if saved is not None else None

    def _reversion_revisionform_view(self, request, version, *args, **kwargs):
        """django-reversion writes the old version to the database before the form is saved:
        remember the address it had until then."""
        saved = self.model._base_manager.filter(pk=version.object_id).first()
        request.address_before_revert = saved.get_absolute_url() if saved else None
        return super()._reversion_revisionform_view(request, version, *args, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, *self.redirect_fields] if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        without = [
            (name, {**options, "fields": _without(options["fields"], self.redirect_fields)})
            for name, options in fieldsets
        ]
        return [*without, ("Old addresses", {"fields": self.redirect_fields})]

    @admin.display(description="Redirected here")
    def old_addresses(self, obj):
        """The old addresses that send visitors to this page while it is on the site."""
        paths = Redirect.objects.for_item(obj).values_list("old_path", flat=True)
        if not paths:
            return "None: this page has only ever had its current address."
        items = format_html_join("", "<li>{}</li>", ((path,) for path in paths))
        return format_html("<ul>{}</ul>", items)


def _without(fields, names):
    return [field for field in fields if field not in names]
