"""Model and form fields shared by the apps."""

from django import forms
from django.db import models

from advocacy.images import clean_image


class CleanImageFormField(forms.ImageField):
    """An image upload that is replaced by its re-encoded, metadata-free copy."""

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and value is not initial and hasattr(value, "seek"):
            return clean_image(value)
        return value


class CleanImageField(models.ImageField):
    """An ImageField whose uploads always pass through the image pipeline."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})
