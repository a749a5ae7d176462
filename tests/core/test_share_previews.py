"""Share-preview links: one saved version, for someone without an account, for a while."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision

from core.models import SharePreview
from core.publishing import Status
from core.share_previews import (
    SharePreviewRefused,
    share_preview_create,
    share_preview_revoke,
    token_hash,
)
from core.workflow import item_transition
from safeguarding.guard import withheld_names_record
from stories.models import Story
from tests.support.campaign_factories import make_campaign
from tests.support.factories import make_prayer_request, make_spokesperson, make_story
from tests.support.html import content, select, select_one, text
from tests.support.workflow import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sharer(django_user_model):
    return django_user_model.objects.create_superuser(
        "sharer", email="sharer@example.org", first_name="Ruth"
    )


def shared(item, by):
    """The address of a new link to item, as its maker copies it."""
    _link, token = share_preview_create(item=item, by=by)
    return reverse("share_preview", args=[token])


def heading(response):
    return select_one(content(response), "h1").get_text(strip=True)


def test_a_link_shows_a_draft_to_someone_logged_out(client, sharer):
    story = make_story(title="Not yet out", status=Status.DRAFT)

    response = client.get(shared(story, sharer))

    assert response.status_code == 200
    assert heading(response) == "Not yet out"
    banner = select_one(content(response), ".preview-banner").get_text()
    assert "Preview shared by Ruth" in banner and "not published" in banner
    assert "sharer@example.org" not in content(response)
    assert client.get(story.get_absolute_url()).status_code == 404  # the public rule stands


@pytest.mark.parametrize("make", [make_spokesperson, make_prayer_request, make_campaign])
def test_every_public_model_can_be_shared(client, sharer, make):
    item = make(status=Status.DRAFT)

    response = client.get(shared(item, sharer))

    assert response.status_code == 200
    assert "Preview shared by Ruth" in text(content(response))


def test_a_link_is_private_and_not_indexed(client, sharer):
    response = client.get(shared(make_story(), sharer))

    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert [meta["content"] for meta in select(content(response), 'meta[name="robots"]')] == [
        "noindex"
    ]


def test_a_link_made_by_someone_without_a_first_name_says_our_team(client, django_user_model):
    maker = django_user_model.objects.create_superuser("nameless", email="n@example.org")

    response = client.get(shared(make_story(), maker))

    assert "Preview shared by our team" in text(content(response))


def test_a_later_edit_does_not_change_what_the_link_shows(client, sharer):
    story = make_story(title="As shared", pull_quotes=["Shared words."])
    url = shared(story, sharer)
    Story.objects.filter(pk=story.pk).update(title="Edited later")
    story.pull_quotes.update(text="Later words.")

    response = client.get(url)

    assert heading(response) == "As shared"
    assert "Shared words." in text(content(response))
    story.refresh_from_db()
    assert story.title == "Edited later"  # the link's version was rolled back, not saved
    assert story.pull_quotes.get().text == "Later words."


def test_a_link_stops_working_when_it_expires(client, sharer, settings):
    settings.SHARE_PREVIEW_HOURS = 72
    url = shared(make_story(), sharer)

    with time_machine.travel(timezone.now() + timedelta(hours=71), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=73), tick=False):
        response = client.get(url)

    assert response.status_code == 410
    assert "expired" in text(content(response))


def test_a_revoked_link_stops_working(client, sharer):
    story = make_story()
    link, token = share_preview_create(item=story, by=sharer)

    share_preview_revoke(link=link, by=sharer)

    response = client.get(reverse("share_preview", args=[token]))
    assert response.status_code == 410
    assert "withdrawn" in text(content(response))


def test_sharing_twice_without_an_edit_keeps_one_version_and_an_edit_makes_another(sharer):
    story = make_story(title="As shared")

    first, _token = share_preview_create(item=story, by=sharer)
    again, _token = share_preview_create(item=story, by=sharer)
    Story.objects.filter(pk=story.pk).update(title="Edited later")
    edited, _token = share_preview_create(item=Story.objects.get(pk=story.pk), by=sharer)

    assert first.revision == again.revision != edited.revision
    assert Revision.objects.count() == 2


def test_a_tampered_or_unknown_token_finds_nothing(client, sharer):
    url = shared(make_story(), sharer)
    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]

    response = client.get(tampered)

    assert response.status_code == 404
    assert "no preview at this address" in text(content(response))


def test_only_a_hash_of_the_token_is_kept(sharer):
    link, token = share_preview_create(item=make_story(), by=sharer)

    assert token not in str(SharePreview.objects.filter(pk=link.pk).values().get())
    assert link.token_hash == token_hash(token)
    assert len(token) >= 40


def test_a_version_holding_a_withheld_name_is_not_shared(sharer):
    story = make_story(title="Pastor Kim speaks", status=Status.DRAFT)
    withheld_names_record(owner=story, text="Kim")

    with pytest.raises(SharePreviewRefused, match="withheld"):
        share_preview_create(item=story, by=sharer)


def test_a_link_stops_when_a_name_in_its_version_is_withheld_later(client, sharer):
    story = make_story(title="Pastor Kim speaks", status=Status.DRAFT)
    url = shared(story, sharer)

    withheld_names_record(owner=story, text="Kim")

    response = client.get(url)
    assert response.status_code == 410
    assert "Kim" not in content(response)


def test_a_link_stops_when_its_version_was_redacted(client, sharer):
    """Revision hygiene rewrites stored versions: the link must not show the rewritten one."""
    story = make_story(title="Pastor Kim speaks")
    link, token = share_preview_create(item=story, by=sharer)
    version = link.revision.version_set.get(object_id=str(story.pk), content_type__model="story")
    version.serialized_data = version.serialized_data.replace("Kim", "[withheld]")
    version.save()

    assert client.get(reverse("share_preview", args=[token])).status_code == 410


def test_a_link_to_a_deleted_item_stops_working(client, sharer):
    story = make_story()
    url = shared(story, sharer)
    story.delete()

    assert client.get(url).status_code == 410


def test_a_link_stops_when_its_item_is_taken_down(client, sharer):
    story = make_story()
    url = shared(story, sharer)

    item_transition(story, step="take_down", by=sharer)

    assert client.get(url).status_code == 410


def test_too_many_requests_from_one_network_are_refused(client, sharer):
    url = shared(make_story(), sharer)
    for _ in range(60):
        client.get(url)

    assert client.get(url).status_code == 429


# In the admin


def change_url(item):
    return reverse("admin:stories_story_change", args=[item.pk])


def test_staff_make_a_link_from_the_change_form_and_see_it_once(admin_client):
    story = make_story(status=Status.DRAFT)

    response = admin_client.post(reverse("admin:stories_story_share", args=[story.pk]))

    assert response.status_code == 200
    url = select_one(content(response), "#share-preview-link")["value"]
    assert Client().get(url).status_code == 200
    assert "no-store" in response["Cache-Control"]
    listed = text(content(admin_client.get(change_url(story))))
    assert "Share-preview links" in listed and "Active" in listed
    assert url not in content(admin_client.get(change_url(story)))


def test_staff_revoke_a_link_from_the_change_form(admin_client, admin_user):
    story = make_story()
    link, token = share_preview_create(item=story, by=admin_user)

    admin_client.post(reverse("admin:stories_story_share_revoke", args=[story.pk, link.pk]))

    link.refresh_from_db()
    assert (link.status, link.revoked_by) == ("revoked", admin_user)
    assert "Revoked" in text(content(admin_client.get(change_url(story))))


def test_staff_who_may_not_change_the_item_cannot_make_or_revoke_links(staff_client, admin_user):
    story = make_story()
    link, _token = share_preview_create(item=story, by=admin_user)

    made = staff_client.post(reverse("admin:stories_story_share", args=[story.pk]))
    revoked = staff_client.post(
        reverse("admin:stories_story_share_revoke", args=[story.pk, link.pk])
    )

    assert (made.status_code, revoked.status_code) == (403, 403)
    assert SharePreview.objects.count() == 1
    link.refresh_from_db()
    assert link.status == "active"


def test_an_editor_may_share_what_they_may_change():
    editor = member_of("Editors", "writer")
    client = Client()
    client.force_login(editor)
    story = make_story(status=Status.DRAFT)

    response = client.post(reverse("admin:stories_story_share", args=[story.pk]))

    assert response.status_code == 200
    assert SharePreview.objects.get().created_by == editor


def test_the_list_of_links_filters_by_status(admin_client, admin_user):
    active = make_story(title="Active one")
    share_preview_create(item=active, by=admin_user)
    revoked = make_story(title="Revoked one")
    link, _token = share_preview_create(item=revoked, by=admin_user)
    share_preview_revoke(link=link, by=admin_user)
    url = reverse("admin:core_sharepreview_changelist")

    listed = text(content(admin_client.get(url, {"status": "active"})))

    assert "Active one" in listed and "Revoked one" not in listed
    assert "Revoked one" in text(content(admin_client.get(url, {"status": "revoked"})))
