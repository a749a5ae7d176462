"""Pictures coming back: a return that stopped half way is finished by the next one."""

from unittest.mock import patch

import pytest
from django.core.files.storage import default_storage

from core.workflow import item_transition
from images import withdrawal
from images.withdrawal import item_images_restore, withdrawn_storage
from tests.support.factories import make_story
from tests.support.pictures import a_photo, picture_files
from tests.support.workflow import member_of

pytestmark = pytest.mark.django_db


def test_a_return_that_stopped_half_way_is_finished_by_the_next():
    story = make_story(hero_image=a_photo(), hero_alt="A church")
    names = picture_files(story.hero_image)
    item_transition(story, step="take_down", by=member_of("Editors", "writer"))
    original, rendition, moved = story.hero_image.name, names[-1], withdrawal.move

    def fails_on_a_rendition(name, **storages):
        if name == rendition:
            raise OSError("the connection dropped")
        moved(name, **storages)

    with patch.object(withdrawal, "move", fails_on_a_rendition), pytest.raises(OSError):
        item_images_restore(story)
    assert withdrawn_storage().exists(original)  # the original goes back last

    item_images_restore(story)

    assert all(default_storage.exists(name) for name in names)
    assert not any(withdrawn_storage().exists(name) for name in names)
