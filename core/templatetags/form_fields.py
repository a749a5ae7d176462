"""Render form fields with their hint and error tied to the input for screen readers."""

from django import template

register = template.Library()


@register.filter
def described(field):
    """The field's widget, pointing at its hint and error, and marked invalid on error."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    attrs = {}
    if field.errors:
        ids.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return field.as_widget(attrs=attrs)
