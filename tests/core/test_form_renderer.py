"""The form renderer writes plain inputs exactly as Django's templates do, and only those."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from core.form_renderer import INPUT_WIDGETS, FormRenderer
from tests.support.strategies import text_without_surrogates

DJANGO = DjangoTemplates()
OURS = FormRenderer()
INPUTS = [
    forms.TextInput,
    forms.EmailInput,
    forms.NumberInput,
    forms.PasswordInput,
    forms.URLInput,
    forms.SearchInput,
    forms.TelInput,
    forms.HiddenInput,
]
ATTRIBUTE_VALUES = st.one_of(
    st.booleans(),
    st.integers(),
    st.none(),
    text_without_surrogates(max_size=20),
    text_without_surrogates(max_size=20).map(mark_safe),
)
ATTRIBUTE_NAMES = st.sampled_from(
    ["class", "autocomplete", "aria-describedby", "required", "placeholder", "data-x"]
)


def both(widget: forms.Widget, value, attrs=None) -> tuple[str, str]:
    return (
        widget.render("field", value, attrs=attrs, renderer=DJANGO),
        widget.render("field", value, attrs=attrs, renderer=OURS),
    )


@pytest.mark.parametrize("widget_class", INPUTS)
@given(
    value=st.one_of(st.none(), text_without_surrogates(max_size=30), st.integers()),
    attrs=st.dictionaries(ATTRIBUTE_NAMES, ATTRIBUTE_VALUES, max_size=4),
)
def test_each_input_is_byte_for_byte_djangos(widget_class, value, attrs):
    djangos, ours = both(widget_class(), value, attrs={"id": "id_field", **attrs})
    assert ours == djangos


def test_a_field_with_errors_and_autocomplete_keeps_every_attribute():
    class Form(forms.Form):
        postcode = forms.CharField(widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))

    field = Form({"postcode": 'S"W1 <b>'}, renderer=OURS)["postcode"]
    html = field.as_widget(attrs={"aria-invalid": "true", "aria-describedby": "id_postcode-error"})
    assert html == (
        '<input type="text" name="postcode" value="S&quot;W1 &lt;b&gt;" '
        'autocomplete="postal-code" aria-invalid="true" aria-describedby="id_postcode-error" '
        'required id="id_postcode">'
    )


def test_other_widgets_still_go_through_the_templates():
    for widget, value in [(forms.Textarea(), "a <b>"), (forms.CheckboxInput(), True)]:
        djangos, ours = both(widget, value)
        assert ours == djangos


def test_an_overridden_input_template_is_rendered_not_replaced(tmp_path):
    (tmp_path / "django" / "forms" / "widgets").mkdir(parents=True)
    (tmp_path / "django" / "forms" / "widgets" / "attrs.html").write_text("OVERRIDDEN")
    renderer = FormRenderer()
    engine = renderer.engine.engine
    engine.dirs = [str(tmp_path), *engine.dirs]  # searched before Django's own templates
    assert "OVERRIDDEN" in forms.TextInput().render("field", "x", renderer=renderer)


def test_every_replaced_template_is_djangos_by_default():
    assert len(OURS._plain_inputs) == len(INPUT_WIDGETS)
