"""The admin side of a waiting change (core.pending): the change form shows and saves the
waiting version, and a save to a published item keeps its live version up when the change
must wait for approval (core.workflow.item_edited decides)."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from reversion.errors import RevertError

from core.pending import revision_of, revision_restore
from core.publishing import Status

LIVE_COMMENT = "The live version, kept while a change is saved."


class WaitingChangeAdminMixin:
    """For WorkflowAdminMixin, before VersionAdmin: its views run around VersionAdmin's, so
    the admin's revision of a change is saved when they settle it."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        parent = super().change_view
        return self._keeping_the_live_version(
            request,
            unquote(object_id),
            lambda: parent(request, object_id, form_url, extra_context),
            show_waiting=True,
        )

    def _reversion_revisionform_view(self, request, version, *args, **kwargs):
        """Reverting a published item to an old version is a change like any other."""
        parent = super()._reversion_revisionform_view
        return self._keeping_the_live_version(
            request,
            version.object_id,
            lambda: parent(request, version, *args, **kwargs),
            show_waiting=False,
        )

    def _keeping_the_live_version(self, request, object_id, view, *, show_waiting):
        """Run view on a published item in one transaction, under its row lock.

        On a save, a revision of the live rows is taken first (``request.workflow_live``);
        once the view has saved the change, ``workflow_edited`` keeps it waiting (bringing
        the live rows back) or lets it go live. ``show_waiting``: the form shows and saves
        the waiting change. Whatever was not saved is rolled back once the page is rendered.
        """
        rows = self.model._base_manager.filter(pk=object_id, status=Status.PUBLISHED)
        saving = request.method == "POST"
        waiting = rows.filter(pending_revision__isnull=False)
        if not saving and not (show_waiting and waiting.exists()):
            return view()
        with transaction.atomic():
            item = rows.select_for_update().first()
            if item is None:
                return view()
            if saving:
                request.workflow_live = revision_of(item, by=request.user, comment=LIVE_COMMENT)
            if show_waiting and item.has_waiting_change:
                self._show_waiting(request, item)
            response = view()
            if saved := getattr(request, "workflow_saved", None):
                self.workflow_edited(request, saved, live=request.workflow_live)
                request.workflow_live.delete()  # only a means: the live version is the rows
            else:
                getattr(response, "render", lambda: None)()  # while the waiting rows are there
                transaction.set_rollback(True)
        return response

    def _show_waiting(self, request, item):
        """The waiting change in the rows, for the form to show and save."""
        try:
            revision_restore(item.pending_revision, item)
        except RevertError as error:  # the form shows the live version, and why
            self.message_user(request, str(error), messages.ERROR)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["waiting_change"] = obj is not None and obj.has_waiting_change
        return super().render_change_form(request, context, add, change, form_url, obj)
