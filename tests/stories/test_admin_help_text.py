"""Help text is shown as HTML in the admin, so it must survive being read as HTML."""

import pytest
from django.apps import apps

from tests.support.html import text


@pytest.mark.parametrize("app_label", ["stories", "campaigns"])
def test_no_help_text_loses_words_when_rendered_as_html(app_label):
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.get_fields():
            help_text = str(getattr(field, "help_text", "") or "")
            assert text(help_text) == " ".join(help_text.split()), (model.__name__, field.name)
