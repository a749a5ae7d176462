"""The booklet order form: a UK or Irish address, how many copies, and the consent box."""

import uuid

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from campaigns.booklets.addresses import InvalidPostalCode, normalise_postal_code
from campaigns.forms import (
    DeliverableEmailValidator,
    SupporterForm,
    one_line,
)
from campaigns.models import BookletOrder

BOOKLET_CONSENT_WORDING = _(
    "Yes, email me now and then about the World Watch List, prayer and campaigns for "
    "persecuted Christians. I can stop these emails at any time."
)


def line(label, *, autocomplete, missing=None, max_length=100, help_text=""):
    """A one-line text field with the autofill token browsers use for it; ``missing`` is the
    message when a required one is left empty (None: optional)."""
    return forms.CharField(
        label=label,
        required=missing is not None,
        error_messages={"required": missing} if missing else None,
        max_length=max_length,
        help_text=help_text,
        validators=[one_line],
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class BookletOrderForm(SupporterForm):
    """Name, address and copies; the view passes the most copies staff allow."""

    key_expired = _("This form has expired: check your order below and send it again.")

    name = line(_("Your full name"), autocomplete="name", missing=_("Enter your full name."))
    address_line1 = line(
        _("Address line 1"),
        autocomplete="address-line1",
        help_text=_("House and street"),
        missing=_("Enter the first line of your address."),
    )
    address_line2 = line(_("Address line 2 (optional)"), autocomplete="address-line2")
    town = line(
        _("Town or city"),
        autocomplete="address-level2",
        max_length=60,
        missing=_("Enter your town or city."),
    )
    county = line(_("County (optional)"), autocomplete="address-level1", max_length=60)
    postcode = line(
        _("Postcode or Eircode"),
        autocomplete="postal-code",
        max_length=16,
        missing=_("Enter your postcode, or your Eircode in Ireland."),
        help_text=_("For example SW1A 0AA, or in Ireland an Eircode such as A65 F4E2"),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=BookletOrder.Country.choices,
        initial=BookletOrder.Country.UK,
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        max_length=254,
        validators=[DeliverableEmailValidator()],
        help_text=_("Only if the booklet cannot be delivered and we need to ask you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    quantity = forms.IntegerField(
        label=_("How many copies?"),
        initial=1,
        min_value=1,
        error_messages={
            "required": _("Enter how many copies you would like, for example 1."),
            "invalid": _("Enter how many copies as a number, for example 1."),
            "min_value": _("Ask for at least one copy."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = line(
        _("What are the extra copies for? (if more than one)"),
        autocomplete="off",
        max_length=200,
        help_text=_("For example: for our church's prayer group"),
    )
    marketing_consent = forms.BooleanField(label=BOOKLET_CONSENT_WORDING, required=False)
    # Checked in clean_key alone, so a missing or mangled key gets the one clear message.
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    # Hidden from people and screen readers (see booklet_order.html); bots fill it in.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, most_copies, **kwargs):
        kwargs.setdefault("initial", {"key": uuid.uuid4().hex})
        super().__init__(*args, **kwargs)
        self.most_copies = most_copies
        quantity = self.fields["quantity"]
        quantity.max_value = most_copies
        quantity.widget.attrs.update(min=1, max=most_copies)
        quantity.help_text = _("One for yourself; up to %(most)d for a church or group.") % {
            "most": most_copies
        }
        message = _("We can post at most %(limit_value)s copies to one address.")
        quantity.validators.append(MaxValueValidator(most_copies, message=message))

    def clean(self):
        cleaned = super().clean()
        self._clean_postcode(cleaned)
        quantity, reason = cleaned.get("quantity"), cleaned.get("reason", "").strip()
        if quantity and quantity > 1 and not reason:
            self.add_error(
                "reason", _("Tell us what the extra copies are for, or ask for one copy.")
            )
        if quantity == 1:
            cleaned["reason"] = ""
        return cleaned

    def _clean_postcode(self, cleaned):
        if "postcode" not in cleaned or "country" not in cleaned:
            return
        try:
            cleaned["postcode"] = normalise_postal_code(cleaned["postcode"], cleaned["country"])
        except InvalidPostalCode as error:
            self.add_error("postcode", str(error))

    def order_details(self) -> dict:
        """The order's fields from the valid form."""
        data = self.cleaned_data
        names = ["name", *BookletOrder.ADDRESS_FIELDS]
        return {
            **{name: data[name].strip() for name in names},
            "country": data["country"],
            "email": data["email"],
            "quantity": data["quantity"],
            "reason": data["reason"].strip(),
            "marketing_consent": data["marketing_consent"],
            "consent_wording": str(self.fields["marketing_consent"].label),
        }
