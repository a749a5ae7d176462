"""The answer page's form: yes, no or not yet, and the reply's text if they want us to keep it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Letter

REPLY_TEXT_MAX = 20_000  # characters: a long letter from an office, with room to spare
KEEP_TEXT_WORDING = _(
    "Yes, keep this reply with my letter. Only our staff read it; it is never shown on the "
    "site, and it is removed when my details are."
)


class FirstRadio(forms.RadioSelect):
    """Radios whose field is 'labelled' at its first radio, so an error links to a real input."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Did they reply?"),
        choices=[
            (Letter.Reply.YES, _("Yes, they replied")),
            (Letter.Reply.NO, _("No, there has been no reply")),
            (Letter.Reply.NOT_YET, _("Not yet")),
        ],
        widget=FirstRadio,
        error_messages={"required": _("Choose whether they replied.")},
    )
    reply_text = forms.CharField(
        label=_("Their reply (optional)"),
        required=False,
        max_length=REPLY_TEXT_MAX,
        help_text=_("If they replied, you may paste what they wrote. Leave it empty if not."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    keep_text = forms.BooleanField(label=KEEP_TEXT_WORDING, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("reply_text", "").strip():
            return data
        if data.get("answer") and data["answer"] != Letter.Reply.YES:
            self.add_error(
                "reply_text",
                _("You said there has been no reply: clear this box, or choose “Yes”."),
            )
        elif not data.get("keep_text"):
            self.add_error(
                "keep_text",
                _("Tick the box to let us keep the reply, or clear the reply's text."),
            )
        return data
