"""make_renditions: every stored picture's missing renditions made ahead of any reader."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from core.workflow import item_transition
from images.renditions import renditions_for
from tests.support.factories import make_spokesperson, make_story
from tests.support.pictures import a_photo
from tests.support.workflow import member_of

pytestmark = pytest.mark.django_db


def rendition_names(image, width, height):
    return [each.name for each in renditions_for(image.name, width, height)]


def run(*arguments):
    out, err = StringIO(), StringIO()
    call_command("make_renditions", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def pictures():
    """A story and a spokesperson whose pictures were stored with no renditions yet."""
    story = make_story(hero_image=a_photo(), hero_alt="A church")
    person = make_spokesperson(photo=a_photo("me.jpg"), photo_alt="Mary")
    make_story()  # no picture: nothing to do
    return [
        rendition_names(story.hero_image, story.hero_width, story.hero_height),
        rendition_names(person.photo, person.photo_width, person.photo_height),
    ]


def test_it_makes_every_missing_rendition_of_every_model(pictures):
    names = [name for each in pictures for name in each]
    assert not any(default_storage.exists(name) for name in names)

    out, err = run()

    assert all(default_storage.exists(name) for name in names)
    assert "made for 2 picture(s); 0 already complete; 0 not in the served storage" in out
    assert err == ""


def test_a_second_run_finds_them_complete(pictures):
    run()

    out, _ = run()

    assert "made for 0 picture(s); 2 already complete" in out


def test_a_dry_run_makes_nothing(pictures):
    out, _ = run("--dry-run", "--verbosity", "2")

    assert "would be made for 2 picture(s)" in out and "would make its renditions" in out
    assert not any(default_storage.exists(name) for each in pictures for name in each)


def test_a_taken_down_picture_is_left_in_the_private_storage(pictures):
    story = make_story(hero_image=a_photo(), hero_alt="A church")
    item_transition(story, step="take_down", by=member_of("Editors", "writer"))

    out, err = run()

    names = rendition_names(story.hero_image, story.hero_width, story.hero_height)
    assert not any(default_storage.exists(name) for name in names)
    assert "made for 2 picture(s); 0 already complete; 1 not in the served storage" in out
    assert err == ""
