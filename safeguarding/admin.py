"""The admin side of withheld names: the write-only field, and the guard on inline rows."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters

from safeguarding.guard import (
    MESSAGE,
    SENDS_BACK_TO,
    check_not_withheld,
    declared,
    is_public,
    text_fault,
    withheld_fields,
    withheld_names_count,
    withheld_names_forget,
    withheld_names_record,
    withheld_take_down,
)
from safeguarding.matching import HashedName, WithheldNames, hashed_name, key_id, word_digest
from safeguarding.models import AllowedWord
from safeguarding.redaction import history_redact

NAMES_HELP = (
    "The real name of someone at risk, or a word that would identify them (their village, "
    "their church), one per line. Add each form of a name on its own line, e.g. the full name "
    "and the given name. They are kept only as a keyed hash, never as text, and are never "
    "shown again, not even here. Saving takes every published page that contains them off the "
    "site, back to safeguarding review. If the form shows an error, type them again."
)


class WriteOnlyTextarea(forms.Textarea):
    """A textarea that never shows its value, not even when the form comes back with errors."""

    def format_value(self, value):
        return None


class WriteOnlyTextInput(forms.TextInput):
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

    def typed_names(self) -> set[HashedName]:
        text = self.cleaned_data.get("withheld_names", "")
        return {name for line in text.splitlines() if (name := hashed_name(line))}

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

    # django-reversion saves the request's revision, and the admin its log entry, after
    # save_related has recorded the names: redact those too, in the same transaction.

    def add_view(self, request, *args, **kwargs):
        return self._redacting(super().add_view, request, *args, **kwargs)

    def change_view(self, request, *args, **kwargs):
        return self._redacting(super().change_view, request, *args, **kwargs)

    def revision_view(self, request, *args, **kwargs):
        return self._redacting(super().revision_view, request, *args, **kwargs)

    def recover_view(self, request, *args, **kwargs):
        return self._redacting(super().recover_view, request, *args, **kwargs)

    def _redacting(self, view, request, *args, **kwargs):
        started = timezone.now()
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = view(request, *args, **kwargs)
            if names := getattr(request, "withheld_names_typed", ""):
                history_redact(names=names.splitlines(), since=started)
        return response

    def save_related(self, request, form, formsets, change):
        """Once the object and its inline rows are saved: forget, then record, its names, and
        take down every public page that holds one, in the admin's transaction."""
        super().save_related(request, form, formsets, change)
        owner = form.instance
        request.withheld_names_typed = form.cleaned_data.get("withheld_names", "")
        if form.cleaned_data.get("forget_withheld_names"):
            forgotten = withheld_names_forget(owner=owner)
            self.message_user(request, f"Forgot {forgotten} withheld name(s).", messages.WARNING)
        added = withheld_names_record(owner=owner, text=form.cleaned_data.get("withheld_names", ""))
        if added:
            self.message_user(request, f"Recorded {added} new withheld name(s).", messages.SUCCESS)
        self._keep_unpublished_if_withheld(request, owner)
        if added and (taken_down := withheld_take_down(by=request.user)):
            self.message_user(
                request,
                f"Taken off the site, back to {SENDS_BACK_TO.label.lower()}, because they "
                "contain a withheld name: "
                + "; ".join(str(fault) for fault in taken_down)
                + ". Edit them, then publish them again.",
                messages.WARNING,
            )

    def _keep_unpublished_if_withheld(self, request, obj):
        """The form checked the object's own fields; an inline row (a pull quote) may still hold
        a name typed in this same form, recorded only now."""
        if is_public(obj) and (fields := withheld_fields(obj)):
            type(obj).objects.filter(pk=obj.pk).update(status=SENDS_BACK_TO)
            obj.status = SENDS_BACK_TO
            self.message_user(
                request,
                f"Saved for {SENDS_BACK_TO.label.lower()}, not published: {', '.join(fields)} "
                f"{MESSAGE}",
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
            for name in declared(self.model).fields:
                if name in form.errors or name not in form.fields:  # refused already, or hidden
                    continue
                text = str(form.cleaned_data.get(name) or "")
                if message := text_fault(self.model, name, text, names):
                    form.add_error(name, message)


class AllowedWordForm(forms.ModelForm):
    """Type a word to allow; only its keyed hash is kept."""

    word = forms.CharField(
        max_length=100,
        help_text="One word, as it appears on the page, that holds a withheld name only by "
        "chance (a place such as Kimberley, a common word). It may then be published "
        "anywhere. A withheld name itself, in any spelling, cannot be allowed. Only a keyed "
        "hash of the word is kept: it is not shown again.",
        # Not shown again on an error: the word refused may be a withheld name.
        widget=WriteOnlyTextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = AllowedWord
        fields = []

    def clean_word(self):
        word = self.cleaned_data["word"].strip()
        if len(word.split()) != 1 or not word_digest(word):
            raise ValidationError("Type one word, as it appears on the page.")
        if WithheldNames.load().certainly_in(word):
            raise ValidationError("This word is a withheld name itself: it cannot be allowed.")
        self.instance.digest, self.instance.key_id = word_digest(word), key_id()
        if AllowedWord.objects.filter(digest=self.instance.digest).exists():
            raise ValidationError("This word is allowed already.")
        return word


@admin.register(AllowedWord)
class AllowedWordAdmin(admin.ModelAdmin):
    """Safeguarding reviewers' list of words checked and allowed; kept as hashes only."""

    form = AllowedWordForm
    list_display = ["__str__", "allowed_by", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["allowed_by__username"]
    list_select_related = ["allowed_by"]

    def has_change_permission(self, request, obj=None):
        return False  # a hash cannot be edited: delete it and allow the right word

    def get_fields(self, request, obj=None):
        return ["word"] if obj is None else ["allowed_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["allowed_by", "created_at"]

    @method_decorator(sensitive_post_parameters("word"))
    def changeform_view(self, request, *args, **kwargs):
        return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.allowed_by = request.user
        super().save_model(request, obj, form, change)
