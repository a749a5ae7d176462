"""Reverting to a version or recovering a deleted item never publishes anything.

django-reversion stores every field, the status too: without care, reverting to a version
saved while the item was published would put it back on the site past every review.
"""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from core.publishing import Status
from core.workflow import item_transition
from stories.models import Story
from tests.support.factories import make_story
from tests.support.html import content, form_fields
from tests.support.workflow import member_of

pytestmark = pytest.mark.django_db


def saved_as_a_version(story):
    with reversion.create_revision():
        story.save()
    return Version.objects.get_for_object(story).first()


def posted_back(admin_client, url):
    """Open the revision (or recovery) form and save it as it stands, as staff would."""
    page = content(admin_client.get(url))
    return admin_client.post(url, form_fields(page, "story_form"))


def test_reverting_to_a_published_version_leaves_the_status_as_it_is_now(admin_client):
    story = make_story(title="First words")
    version = saved_as_a_version(story)
    item_transition(story, step="unpublish", by=member_of("Editors", "unpublisher"))
    url = reverse("admin:stories_story_revision", args=[story.pk, version.pk])

    response = posted_back(admin_client, url)

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.status) == ("First words", Status.DRAFT)


def test_a_recovered_story_comes_back_as_a_draft(admin_client):
    story = make_story(title="Deleted while published")
    version = saved_as_a_version(story)
    pk = story.pk
    with reversion.create_revision():
        story.delete()
    url = reverse("admin:stories_story_recover", args=[version.pk])

    response = posted_back(admin_client, url)

    assert response.status_code == 302
    recovered = Story.objects.get(pk=pk)
    assert (recovered.title, recovered.status) == ("Deleted while published", Status.DRAFT)
