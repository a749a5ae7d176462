"""A picture needs a description unless the editor marks it decorative."""

import pytest
from django.core.exceptions import ValidationError

from tests.support.factories import make_story, make_upload
from tests.support.html import content, tags

pytestmark = pytest.mark.django_db


def test_a_picture_without_a_description_is_refused():
    story = make_story(hero_image=make_upload(), hero_alt="")
    with pytest.raises(ValidationError) as refused:
        story.full_clean()
    assert "hero_alt" in refused.value.message_dict


def test_a_decorative_picture_needs_no_description_and_is_hidden_from_screen_readers(client):
    story = make_story(hero_image=make_upload(), hero_alt="", hero_decorative=True)
    story.full_clean()
    images = tags(content(client.get(story.get_absolute_url())), "img")
    assert [image["alt"] for image in images] == [""]
