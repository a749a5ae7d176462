"""Django's form renderer, with plain ``<input>`` widgets written without the template engine.

A text input costs three template renders (text.html, input.html, attrs.html), about 0.5 ms a
field; this writes the same markup, byte for byte, in a few microseconds. Only Django's own
input templates are replaced: a project template that overrides one is rendered as usual, and
every other widget (select, textarea, checkbox) goes through the templates.
"""

from functools import cached_property
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

DJANGO_WIDGETS = Path(django.forms.__file__).parent / "templates" / "django" / "forms" / "widgets"
# Django's templates that render nothing but input.html (text.html is `{% include input.html %}`).
INPUT_WIDGETS = ("input", "text", "email", "number", "password", "url", "search", "tel", "hidden")


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in self._plain_inputs:
            return render_input(context["widget"])
        return super().render(template_name, context, request)

    @cached_property
    def _plain_inputs(self) -> frozenset[str]:
        """The input templates this renderer's engine finds in Django itself, not overridden."""
        names = (f"django/forms/widgets/{name}.html" for name in INPUT_WIDGETS)
        return frozenset(name for name in names if self._is_djangos(name))

    def _is_djangos(self, template_name: str) -> bool:
        used = (template_name, "django/forms/widgets/input.html", "django/forms/widgets/attrs.html")
        return all(self._origin(name).parent == DJANGO_WIDGETS for name in used)

    def _origin(self, template_name: str) -> Path:
        return Path(self.get_template(template_name).template.origin.name)


def render_input(widget: dict) -> str:
    """django/forms/widgets/input.html and attrs.html, in Python."""
    html = f'<input type="{as_text(widget["type"])}" name="{as_text(widget["name"])}"'
    if widget["value"] is not None:
        html += f' value="{formatted(widget["value"])}"'
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        html += f" {as_text(name)}" if value is True else f' {as_text(name)}="{formatted(value)}"'
    return html + ">"


def as_text(value) -> str:
    """``{{ value }}`` for the strings a widget's context holds."""
    return conditional_escape(value)


def formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: a safe value stays unescaped, as the filter says."""
    if isinstance(value, SafeData):
        return conditional_escape(value)
    return conditional_escape(stringformat(value, "s"))
