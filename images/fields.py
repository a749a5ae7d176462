"""Model and form fields shared by the apps."""

from django import forms
from django.db import models

from images.pipeline import ACCEPT_MIME_TYPES, CleanImageFile, clean_image


class CleanImageFormField(forms.ImageField):
    """An image upload that is replaced by its re-encoded, metadata-free copy."""

    def to_python(self, data):
        # FileField's checks only: the pipeline decodes the image itself, under our limits,
        # and says what is wrong in words an editor can act on.
        upload = super(forms.ImageField, self).to_python(data)
        return None if upload is None else clean_image(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:
            attrs["accept"] = ACCEPT_MIME_TYPES
        return attrs


class CleanImageField(models.ImageField):
    """An ImageField whose new files always pass through the image pipeline.

    Forms clean the upload as it arrives; a file assigned in code (a shell, an import) is
    cleaned as it is saved, so no path stores an image as it was uploaded.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        """Django measures the file again on every assignment (a form's save, refresh_from_db);
        a picture whose item was taken down is not in the served storage then, so the sizes
        recorded at upload stay."""
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except FileNotFoundError:
            if not getattr(instance, self.width_field or "", None):
                raise

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed and not isinstance(file.file, CleanImageFile):
            clean = clean_image(file.file)
            file.save(clean.name, clean, save=False)
        return super().pre_save(model_instance, add)
