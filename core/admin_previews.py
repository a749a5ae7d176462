"""Previews in the admin: the unsaved edit in the public template, and share-preview links
(made, listed and revoked on the item's page; all of them in one list)."""

from copy import copy

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from core.admin_urls import admin_url
from core.models import SharePreview
from core.previews import preview_render, private
from core.share_previews import SharePreviewRefused, share_preview_create, share_preview_revoke

# The change form is posted whole to each of these views: its unsaved text (and any withheld
# names typed in it) stays out of error reports.
HIDDEN_FROM_ERROR_REPORTS = sensitive_post_parameters()
UNSAVED_NOTICE = (
    "Preview of your unsaved changes: nothing is saved and the public cannot see it. A picture "
    "you have just chosen appears only once you save; the current one is shown."
)


def may_change(user, model) -> bool:
    return model is not None and user.has_perm(
        f"{model._meta.app_label}.change_{model._meta.model_name}"
    )


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y %H:%M")


class PreviewAdminMixin:
    """For the admin of a model with a public page: Preview, and share-preview links."""

    def _preview_url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        view = self.admin_site.admin_view
        name = self._preview_url_name
        return [
            path("preview/", view(self.preview_view), name=name("preview_new")),
            path("<path:object_id>/preview/", view(self.preview_view), name=name("preview")),
            path("<path:object_id>/share/", view(self.share_view), name=name("share")),
            path(
                "<path:object_id>/share/<int:link_id>/revoke/",
                view(self.share_revoke_view),
                name=name("share_revoke"),
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_panel"] = self.preview_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _item(self, request, object_id):
        """The item, if this user may change it (and so preview and share it)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such item.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    # Preview of the unsaved edit

    @method_decorator(HIDDEN_FROM_ERROR_REPORTS)
    def preview_view(self, request, object_id=None):
        """The change form, posted here in a new tab: its edit, shown and never saved."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._item(request, object_id) if object_id else None
        if obj is None and not self.has_add_permission(request):
            raise PermissionDenied
        form_request = copy(request)
        form_request._files = MultiValueDict()  # no upload is written to storage for a preview
        form_class = self.get_form(form_request, obj, change=obj is not None)
        form = form_class(form_request.POST, form_request.FILES, instance=obj)
        formsets, _inlines = self._create_formsets(form_request, form.instance, change=bool(obj))
        if not (form.is_valid() and all_valid(formsets)):
            return self._preview_refused(request, form, formsets)

        def write():
            item = form.save()  # and its links; no revision, message or log: rolled back
            for formset in formsets:
                formset.save()
            return item

        return preview_render(request, write=write, notice=_(UNSAVED_NOTICE))

    def _preview_refused(self, request, form, formsets):
        errors = [*form.errors.items()]
        for formset in formsets:
            errors += [(formset.prefix, error) for error in formset.non_form_errors()]
            errors += [(formset.prefix, e) for form_errors in formset.errors for e in form_errors]
        context = {
            **self.admin_site.each_context(request),
            "title": "This edit cannot be previewed yet",
            "opts": self.opts,
            "errors": errors,
        }
        response = TemplateResponse(request, "core/preview_refused.html", context, status=400)
        return private(response)

    # Share-preview links

    @method_decorator(HIDDEN_FROM_ERROR_REPORTS)
    def share_view(self, request, object_id):
        """Make a link to the item as saved now; show it once, to copy."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._item(request, object_id)
        try:
            link, token = share_preview_create(item=obj, by=request.user)
        except SharePreviewRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return self._back_to(obj)
        self.log_change(request, obj, "Made a share-preview link.")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Share a preview of {obj}",
            "opts": self.opts,
            "original": obj,
            "link": link,
            "url": request.build_absolute_uri(reverse("share_preview", args=[token])),
            "back_url": admin_url(obj, "change", obj.pk),
        }
        return private(TemplateResponse(request, "core/share_preview_made.html", context))

    @method_decorator(HIDDEN_FROM_ERROR_REPORTS)
    def share_revoke_view(self, request, object_id, link_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._item(request, object_id)
        link = SharePreview.objects.for_item(obj).filter(pk=link_id).first()
        if link is None:
            raise Http404("No such link.")
        if share_preview_revoke(link=link, by=request.user):
            self.log_change(request, obj, f"Revoked share-preview link {link.pk}.")
            self.message_user(request, "The share-preview link no longer works.", messages.SUCCESS)
        return self._back_to(obj)

    def _back_to(self, obj):
        url = admin_url(obj, "change", obj.pk)
        return HttpResponseRedirect(url)

    # The panel on the change form

    def preview_panel(self, request, obj):
        """The Preview button, and for a saved item its share-preview links: for staff who
        may change it (and so post the form)."""
        if obj is None or not obj.pk:
            if not self.has_add_permission(request):
                return ""
            url = admin_url(self.model, "preview_new")
        elif not self.has_change_permission(request, obj):
            return ""
        else:
            url = admin_url(obj, "preview", obj.pk)
        preview = format_html(
            '<p><button type="submit" class="button" formaction="{}" formtarget="_blank" '
            'formnovalidate>Preview</button></p><p class="help">Opens the page as the public '
            "would see it with your changes, in a new tab, without saving them.</p>",
            url,
        )
        if obj is None or not obj.pk:
            return preview
        return format_html("{}{}", preview, self.share_panel(obj))

    def share_panel(self, obj):
        share = admin_url(obj, "share", obj.pk)
        links = SharePreview.objects.for_item(obj).select_related("created_by")
        return format_html(
            '<h3>Share a preview</h3><p><button type="submit" class="button" formaction="{}">'
            'Share a preview</button></p><p class="help">Makes a link that shows this item as '
            "last saved to anyone who has it, without an account, for {} hours or until you "
            "revoke it. Save your changes first.</p>{}",
            share,
            settings.SHARE_PREVIEW_HOURS,
            self._links_table(obj, links) if links else "",
        )

    def _links_table(self, obj, links):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    link.created_by or "-",
                    _when(link.created_at),
                    _when(link.expires_at),
                    link.status.capitalize(),
                    self._revoke_button(obj, link),
                )
                for link in links
            ),
        )
        return format_html(
            '<table class="share-previews"><caption>Share-preview links</caption><thead><tr>'
            "<th>Made by</th><th>Made</th><th>Expires</th><th>Status</th><th></th></tr>"
            "</thead><tbody>{}</tbody></table>",
            rows,
        )

    def _revoke_button(self, obj, link):
        if link.status != "active":
            return ""
        url = admin_url(obj, "share_revoke", obj.pk, link.pk)
        return format_html(
            '<button type="submit" class="button" formaction="{}" '
            'aria-label="Revoke the link made {}">Revoke</button>',
            url,
            _when(link.created_at),
        )


class SharePreviewStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() in ("active", "expired", "revoked"):
            return getattr(queryset, self.value())()
        return queryset


@admin.register(SharePreview)
class SharePreviewAdmin(admin.ModelAdmin):
    """Every share-preview link: made from an item's page, revoked here or there."""

    list_display = ["item_name", "content_type", "created_by", "created_at", "expires_at"]
    list_display += ["link_status", "revoked_by"]
    list_filter = [SharePreviewStatusFilter, "content_type", "created_by"]
    search_fields = ["created_by__username", "created_by__first_name"]
    list_select_related = ["content_type", "created_by", "revoked_by"]
    date_hierarchy = "created_at"
    actions = ["revoke"]

    def get_queryset(self, request):
        """Links to items of the models this user may change: those they may revoke."""
        links = super().get_queryset(request)
        shared = ContentType.objects.filter(pk__in=links.values("content_type"))
        mine = [kind.pk for kind in shared if may_change(request.user, kind.model_class())]
        return links.filter(content_type__in=mine).prefetch_related("item")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    @admin.display(description="Item")
    def item_name(self, link):
        return link.item or f"(deleted) {link.content_type.model} #{link.object_id}"

    @admin.display(description="Status")
    def link_status(self, link):
        return link.status.capitalize()

    @admin.action(description="Revoke selected links")
    def revoke(self, request, queryset):
        links = queryset.filter(revoked_at__isnull=True)  # get_queryset: only theirs to revoke
        count = sum(share_preview_revoke(link=link, by=request.user) for link in links)
        self.message_user(request, f"{count} link(s) revoked.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False  # made from the item's page, where the link is shown once

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
