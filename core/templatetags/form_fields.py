"""Render form fields with their hint and error tied to the input for screen readers."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

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


def form_field(field, label=None) -> SafeString:
    """includes/form_field.html's markup, byte for byte, for the Jinja2 pages: there an include
    costs a copy of the whole context, more than writing the few tags here."""
    checkbox = field.widget_type == "checkbox"
    widget = described(field)
    classes = "field" + (" field-error" if field.errors else "")
    classes += " field-checkbox" if checkbox else ""
    label_tag = format_html('<label for="{}">{}</label>', field.id_for_label, label or field.label)
    if checkbox:  # the box first, then its own label (a label given for the page is not used)
        label_tag = format_html(
            '{} <label for="{}">{}</label>', widget, field.id_for_label, field.label
        )
    hint = error = ""
    if field.help_text:
        hint = format_html('<p class="hint" id="{}-hint">{}</p>', field.auto_id, field.help_text)
    if field.errors:
        messages = format_html_join(" ", "{}", ((message,) for message in field.errors))
        error = format_html(
            '<p class="error-message" id="{}-error"><span class="visually-hidden">{} </span>{}</p>',
            field.auto_id,
            gettext("Error:"),
            messages,
        )
    return format_html(
        '<div class="{}">\n  {}\n  {}\n  {}\n  {}\n</div>\n',
        classes,
        label_tag,
        hint,
        error,
        "" if checkbox else widget,
    )
