import re
import unicodedata
import uuid

from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from campaigns.booklets.addresses import InvalidPostalCode, normalise_eircode
from campaigns.lookup.ireland import COUNTIES, DailLookup
from campaigns.lookup.postcodes import InvalidPostcode, normalise_postcode
from campaigns.models import Letter


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("For example, SW1A 0AA"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    def clean_postcode(self):
        try:
            return str(normalise_postcode(self.cleaned_data["postcode"]))
        except InvalidPostcode as error:
            raise forms.ValidationError(str(error), code="invalid") from error


class DailForm(forms.Form):
    """A supporter in Ireland finds their TDs: their county, or their constituency from the
    list (grouped by county). The choices come from the lookup, so no query of their own."""

    county = forms.ChoiceField(
        label=_("Your county"),
        required=False,
        error_messages={"invalid_choice": _("Choose your county from the list.")},
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    constituency = forms.ChoiceField(
        label=_("Your Dáil constituency"),
        required=False,
        help_text=_("Listed under each county it covers."),
        error_messages={"invalid_choice": _("Choose your constituency from the list.")},
    )

    def __init__(self, *args, lookup: DailLookup, **kwargs):
        super().__init__(*args, **kwargs)
        counties = lookup.constituencies_by_county()
        self.fields["county"].choices = [("", _("Choose your county"))] + [
            (county, county) for county, _areas in counties
        ]
        self.fields["constituency"].choices = [("", _("Choose your constituency"))] + [
            (county, [(area.code, area.name) for area in areas]) for county, areas in counties
        ]


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
KEY_PATTERN = re.compile(r"[0-9a-f]{32}")
KEY_EXPIRED = _("This form has expired: check your letter below and send it again.")
CONSENT_WORDING = _(
    "Yes, email me now and then about this and other campaigns for persecuted Christians. "
    "I can stop these emails at any time."
)
MAX_ANSWER = 1000
MAX_BODY = 8000


def no_control_characters(value):
    if CONTROL_CHARACTERS.search(value):
        raise forms.ValidationError(
            _("Remove the special characters: they cannot be printed in a letter."),
            code="control_characters",
        )


def one_line(value):
    if "\n" in value or "\r" in value:
        raise forms.ValidationError(_("Write this on one line."), code="line_break")
    no_control_characters(value)


def without_format_characters(value: str) -> str:
    """``value`` without invisible format characters (Unicode category Cf).

    They include the bidi controls (U+202A-U+202E, U+2066-U+2069) that can make a name in a
    letter's From: line read backwards, and the zero-width ones (U+200B-U+200F, U+FEFF).
    """
    return "".join(char for char in value if unicodedata.category(char) != "Cf")


# Names that never reach a mailbox on the internet (RFC 2606, 6761, 6762; ICANN's .internal).
RESERVED_TOP_LEVEL_DOMAINS = {"example", "internal", "invalid", "local", "localhost", "test"}


class DeliverableEmailValidator(EmailValidator):
    """An address at a dotted domain name with a real-looking top-level domain.

    Django's validator also takes ``pat@localhost`` and ``pat@[127.0.0.1]``: a confirmation
    mail to either would go to a machine of ours or nowhere.
    """

    message = _("Enter an email address at a real domain, like name@example.org.")

    def __init__(self, **kwargs):
        super().__init__(allowlist=[], **kwargs)

    def validate_domain_part(self, domain_part):
        top_level = domain_part.rpartition(".")[2].lower()
        if self.literal_regex.match(domain_part) or top_level in RESERVED_TOP_LEVEL_DOMAINS:
            return False
        return super().validate_domain_part(domain_part)


class SupporterForm(forms.Form):
    """What every supporter's form shares: their name, and the key that makes a repeat submit
    return what the first one made."""

    key_expired = KEY_EXPIRED

    def clean_name(self):
        name = without_format_characters(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(_("Enter your full name."), code="required")
        return name

    def clean_key(self):
        """A key we handed out; otherwise a page-level error and a fresh key to send again."""
        key = self.cleaned_data["key"]
        if KEY_PATTERN.fullmatch(key):
            return key
        self.data = self.data.copy()
        self.data[self.add_prefix("key")] = uuid.uuid4().hex
        self.add_error(None, self.key_expired)  # shown at the top: the field itself is hidden
        return None


class LetterForm(SupporterForm):
    """The supporter's details, their own words and their letter(s), in one form.

    The letters are built per request: one subject and body per draft the view passes in.
    """

    name = forms.CharField(
        label=_("Your full name"),
        max_length=100,
        validators=[one_line],
        help_text=_("Members reply only to constituents, so use your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        validators=[DeliverableEmailValidator()],
        help_text=_("So the office can reply to you. We do not add it to any list."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Your postal address"),
        max_length=300,
        # Lines of house, street and town: the one-field form of an address.
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        validators=[no_control_characters],
        help_text=_("House number and street, town. Your postcode is added from above."),
    )
    marketing_consent = forms.BooleanField(label=CONSENT_WORDING, required=False)
    delivery = forms.ChoiceField(
        choices=Letter.Delivery.choices,
        error_messages={"required": _("Choose how you will send your letter.")},
    )
    # Checked in clean_key alone, so a missing or mangled key gets the one clear message.
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    # Hidden from people and screen readers (see write_compose.html); bots fill it in.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, drafts, prompts, irish=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.drafts = drafts
        if irish:
            self._add_irish_address_fields()
        for number, prompt in enumerate(prompts, start=1):
            self.fields[f"answer_{number}"] = forms.CharField(
                label=prompt,
                required=False,
                max_length=MAX_ANSWER,
                widget=forms.Textarea(attrs={"rows": 3, "data-personal": ""}),
                validators=[no_control_characters],
            )
        for number, draft in enumerate(drafts, start=1):
            self.fields[f"subject_{number}"] = forms.CharField(
                label=_("Subject"), max_length=200, validators=[one_line], initial=draft.subject
            )
            self.fields[f"body_{number}"] = forms.CharField(
                label=_("Your letter"),
                max_length=MAX_BODY,
                initial=draft.body,
                widget=forms.Textarea(attrs={"rows": 18, "data-letter": ""}),
                validators=[no_control_characters],
            )

    def _add_irish_address_fields(self):
        """An Irish address: a county, and an Eircode if the supporter knows it."""
        self.fields["address"].help_text = _(
            "House and street, then town or townland. Your county and Eircode go below."
        )
        self.fields["county"] = forms.ChoiceField(
            label=_("County"),
            choices=[("", _("Choose your county"))] + [(county, county) for county in COUNTIES],
            error_messages={"required": _("Choose your county.")},
            widget=forms.Select(attrs={"autocomplete": "address-level1"}),
        )
        self.fields["eircode"] = forms.CharField(
            label=_("Eircode (optional)"),
            required=False,
            max_length=16,
            help_text=_("For example A65 F4E2. It helps the office find your address."),
            widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        )

    def clean_eircode(self):
        value = self.cleaned_data.get("eircode", "").strip()
        try:
            return normalise_eircode(value) if value else ""
        except InvalidPostalCode as error:
            raise forms.ValidationError(str(error), code="invalid") from error

    @property
    def irish_address(self):
        """The address lines with the county, unless the supporter wrote it already."""
        data = self.cleaned_data
        address, county = data["address"].strip(), data["county"]
        if county.casefold() in address.casefold():
            return address  # "Dublin 8", "Navan, Co. Meath": the county is there already
        return f"{address}\nCo. {county}"

    @property
    def answer_fields(self):
        return [self[name] for name in self.fields if name.startswith("answer_")]

    @property
    def letter_fields(self):
        """(draft, subject field, body field) for each letter the supporter edits."""
        return [
            (draft, self[f"subject_{n}"], self[f"body_{n}"])
            for n, draft in enumerate(self.drafts, start=1)
        ]

    def personal_paragraph(self):
        answers = (self.cleaned_data.get(field.name, "").strip() for field in self.answer_fields)
        return "\n\n".join(answer for answer in answers if answer)

    def written(self):
        """(draft, subject, body) for each letter, as the supporter left it."""
        data = self.cleaned_data
        return [
            (draft, data[f"subject_{n}"], data[f"body_{n}"])
            for n, draft in enumerate(self.drafts, start=1)
        ]

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():  # browsers send CRLF; store one kind of line end
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        if not self.personal_paragraph():
            return cleaned
        for number in range(1, len(self.drafts) + 1):
            body = cleaned.get(f"body_{number}", "")
            if body and "{personal_paragraph}" not in body:
                self.add_error(
                    f"body_{number}",
                    _(
                        "Your own words have nowhere to go: put {personal_paragraph} back "
                        "where you want them in the letter."
                    ),
                )
        return cleaned


class CandidatesLetterForm(LetterForm):
    """A letter to the candidates: the supporter's words, name and address; printed, not kept,
    so no email, delivery, consent or key."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("email", "marketing_consent", "delivery", "key", "website"):
            del self.fields[name]
        self.fields["name"].help_text = _("Sign with your real name: you are a voter here.")
        self.fields["name"].error_messages["required"] = _("Enter your full name.")
        self.fields["address"].error_messages["required"] = _(
            "Enter your address, so the candidates can see you live where they stand."
        )
