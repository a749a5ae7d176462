"""Render form fields with their hint and error tied to the input for screen readers."""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

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


def new_form_field(form, name: str, label=None) -> SafeString:
    """form_field(form[name], label), written once a process for each language and label when
    the form is new: its field then shows nothing of the request (the campaign page's postcode
    box cost about 600 calls a request). For a form class whose fields are as it declares them
    (no __init__ changing them, no callable initial value); any other form is written afresh."""
    if not _is_new(form):
        return form_field(form[name], label)
    return _new_form_field(type(form), name, label, get_language())


def _is_new(form) -> bool:
    """Unbound and made with its class's defaults: no initial data, prefix or other ids."""
    unchanged = form.auto_id == "id_%s" and form.use_required_attribute
    return unchanged and not (form.is_bound or form.initial or form.prefix)


@lru_cache(maxsize=64, typed=True)  # typed: a label given as Markup is not escaped, a str is
def _new_form_field(form_class, name: str, label, language: str | None) -> SafeString:
    return form_field(form_class()[name], label)


@receiver(setting_changed)
def _forget_new_form_fields(*, setting, **kwargs):
    if setting == "FORM_RENDERER":
        _new_form_field.cache_clear()
