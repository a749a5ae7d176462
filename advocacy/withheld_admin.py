"""The admin side of withheld names: the write-only field, and the guard on inline rows."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.decorators import method_decorator
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters

from stories.querysets import Status

from .withheld import (
    MESSAGE,
    PUBLIC_FIELDS,
    WithheldNames,
    check_not_withheld,
    hashed_name,
    is_public,
    published_faults,
    withheld_fields,
    withheld_message,
    withheld_names_count,
    withheld_names_forget,
    withheld_names_record,
)

NAMES_HELP = (
    "The real name of someone at risk, or a word that would identify them (their village, "
    "their church), one per line. Add each form of a name on its own line, e.g. the full name "
    "and the given name. They are kept only as a keyed hash, never as text, and are never "
    "shown again, not even here. No published page may then contain them. If the form shows "
    "an error, type them again."
)


class WriteOnlyTextarea(forms.Textarea):
    """A textarea that never shows its value, not even when the form comes back with errors."""

    def format_value(self, value):
        return None


class WithheldNamesForm(forms.ModelForm):
    """An admin form that records withheld names for its object."""

    withheld_names = forms.CharField(
        label="Withheld names",
        required=False,
        # Browsers' spellcheckers may send typed text to a server: not these names.
        widget=WriteOnlyTextarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
    )
    forget_withheld_names = forms.BooleanField(
        label="Forget all withheld names",
        required=False,
        help_text="Delete every withheld name recorded here: pages are no longer checked for "
        "them. Names typed above at the same time are kept.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        count = withheld_names_count(owner=self.instance)
        recorded = ngettext(
            "%(count)d withheld name recorded.", "%(count)d withheld names recorded.", count
        ) % {"count": count}
        self.fields["withheld_names"].help_text = f"{NAMES_HELP} {recorded}"

    def typed_names(self) -> set[tuple[str, int]]:
        text = self.cleaned_data.get("withheld_names", "")
        return {pair for line in text.splitlines() if (pair := hashed_name(line))}

    def _post_clean(self):
        super()._post_clean()  # the model's clean() checks against the names already recorded
        # ... and these, typed now, are recorded only when the form is saved.
        if not (typed := self.typed_names()):
            return
        try:
            check_not_withheld(self.instance, WithheldNames.load(extra=typed))
        except ValidationError as error:
            new = {name: m for name, m in error.message_dict.items() if name not in self.errors}
            if new:
                self._update_errors(ValidationError(new))


class WithheldNamesAdminMixin:
    """For the admin of a model on which staff record withheld names."""

    form = WithheldNamesForm

    @method_decorator(sensitive_post_parameters("withheld_names"))  # kept out of error reports
    def changeform_view(self, request, *args, **kwargs):
        return super().changeform_view(request, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        """Once the object and its inline rows are saved: forget, then record, its names."""
        super().save_related(request, form, formsets, change)
        owner = form.instance
        if form.cleaned_data.get("forget_withheld_names"):
            forgotten = withheld_names_forget(owner=owner)
            self.message_user(request, f"Forgot {forgotten} withheld name(s).", messages.WARNING)
        added = withheld_names_record(owner=owner, text=form.cleaned_data.get("withheld_names", ""))
        if added:
            self.message_user(request, f"Recorded {added} new withheld name(s).", messages.SUCCESS)
        self._keep_unpublished_if_withheld(request, owner)
        if added and (faults := published_faults()):
            self.message_user(
                request,
                "These published pages contain a withheld name: "
                + "; ".join(str(fault) for fault in faults)
                + ". Edit them or take them down.",
                messages.WARNING,
            )

    def _keep_unpublished_if_withheld(self, request, obj):
        """The form checked the object's own fields; an inline row (a pull quote) may still hold
        a name typed in this same form, recorded only now."""
        if is_public(obj) and (fields := withheld_fields(obj)):
            type(obj).objects.filter(pk=obj.pk).update(status=Status.DRAFT)
            obj.status = Status.DRAFT
            self.message_user(
                request,
                f"Saved as a draft, not published: {', '.join(fields)} {MESSAGE}",
                messages.ERROR,
            )


class WithheldInlineFormSet(BaseInlineFormSet):
    """Inline rows of a published parent may not contain a withheld name: checked with the
    text being saved, not the text in the database."""

    def clean(self):
        super().clean()
        if not is_public(self.instance) or not (names := WithheldNames.load()):
            return
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            for name in PUBLIC_FIELDS[self.model._meta.label_lower]:
                if name in form.errors or name not in form.fields:  # refused already, or hidden
                    continue
                if names.found_in(str(form.cleaned_data.get(name) or "")):
                    form.add_error(name, withheld_message(self.model, name))
