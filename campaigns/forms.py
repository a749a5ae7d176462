from django import forms
from django.utils.translation import gettext_lazy as _

from .postcodes import InvalidPostcode, normalise_postcode


class PostcodeForm(forms.Form):
    postcode = forms.CharField(label=_("Postcode"), help_text=_("For example, SW1A 0AA"))

    def clean_postcode(self):
        try:
            return str(normalise_postcode(self.cleaned_data["postcode"]))
        except InvalidPostcode as error:
            raise forms.ValidationError(str(error), code="invalid") from error
