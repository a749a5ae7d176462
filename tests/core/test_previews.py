"""Preview from the change form: the unsaved edit in the public template, nothing saved."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from reversion.models import Revision, Version

from campaigns.models import Campaign
from core.admin_urls import admin_url
from core.publishing import Status
from stories.models import PrayerRequest, PullQuote, Spokesperson, Story
from tests.support.campaign_factories import make_campaign
from tests.support.factories import make_prayer_request, make_spokesperson, make_story, make_upload
from tests.support.html import content, form_fields, select, select_one, text
from tests.support.workflow import change_form

pytestmark = pytest.mark.django_db


def preview(client, item, **changes):
    url = admin_url(item, "preview", item.pk)
    return client.post(url, {**change_form(client, item), **changes})


def stored(model):
    """Every row of model as it is in the database, to compare before and after."""
    return list(model.objects.order_by("pk").values())


def cache_directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def files_in(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def test_the_preview_shows_the_unsaved_edit_in_the_public_template(admin_client):
    story = make_story(title="As saved", pull_quotes=["Saved words."])

    response = preview(
        admin_client, story, title="As edited", **{"pull_quotes-0-text": "Edited words."}
    )

    assert response.status_code == 200
    page = content(response)
    assert select_one(page, "h1").get_text(strip=True) == "As edited"
    assert "Edited words." in text(page)
    assert "Saved words." not in text(page)
    assert "unsaved changes" in select_one(page, ".preview-banner").get_text()


def test_a_preview_leaves_rows_revisions_and_media_as_they_were(admin_client, media_root):
    story = make_story(title="As saved", pull_quotes=["Saved words."])
    before = (stored(Story), stored(PullQuote), Version.objects.count(), files_in(media_root))
    picture = make_upload()

    response = preview(
        admin_client,
        story,
        title="As edited",
        hero_image=picture,
        hero_alt="A new picture",
        **{"pull_quotes-0-DELETE": "on"},
    )

    assert response.status_code == 200
    assert "As edited" in text(content(response))
    after = (stored(Story), stored(PullQuote), Version.objects.count(), files_in(media_root))
    assert after == before
    assert Revision.objects.count() == 0


def test_a_preview_is_private_and_not_indexed(admin_client):
    response = preview(admin_client, make_story(), title="Edited")

    assert {"no-store", "private"} <= cache_directives(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    robots = [meta["content"] for meta in select(content(response), 'meta[name="robots"]')]
    assert robots == ["noindex"]


def test_a_new_item_can_be_previewed_before_it_is_ever_saved(admin_client):
    url = reverse("admin:stories_story_add")
    fields = form_fields(content(admin_client.get(url)), "story_form")
    fields |= {"title": "Never saved", "slug": "never-saved", "standfirst": "Words."}
    fields |= {"body": "<p>Body.</p>", "published_at_0": "2026-01-01", "published_at_1": "10:00"}

    response = admin_client.post(reverse("admin:stories_story_preview_new"), fields)

    assert response.status_code == 200, text(content(response))
    assert select_one(content(response), "h1").get_text(strip=True) == "Never saved"
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    "make, model",
    [
        (make_spokesperson, Spokesperson),
        (make_prayer_request, PrayerRequest),
        (make_campaign, Campaign),
    ],
)
def test_every_public_model_can_be_previewed(admin_client, make, model):
    item = make(status=Status.DRAFT)
    field = "name" if model is Spokesperson else "title"

    response = preview(admin_client, item, **{field: "Edited heading"})

    assert response.status_code == 200
    assert select_one(content(response), "h1").get_text(strip=True) == "Edited heading"
    assert model.objects.get(pk=item.pk).status == Status.DRAFT
    assert getattr(model.objects.get(pk=item.pk), field) != "Edited heading"


def test_an_edit_with_errors_is_not_previewed_and_says_why(admin_client):
    story = make_story(title="As saved")

    response = preview(admin_client, story, title="")

    assert response.status_code == 400
    assert "cannot be previewed" in text(content(response))
    assert Story.objects.get(pk=story.pk).title == "As saved"


def test_staff_who_may_not_change_the_item_cannot_preview_it(staff_client):
    story = make_story()
    url = reverse("admin:stories_story_preview", args=[story.pk])

    assert staff_client.post(url, {"title": "Edited"}).status_code == 403


def test_staff_who_may_only_view_the_item_get_no_preview_box(django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_story"))
    client = Client()
    client.force_login(viewer)
    story = make_story()

    page = content(client.get(reverse("admin:stories_story_change", args=[story.pk])))

    assert select_one(page, "#preview") is None


def test_the_preview_only_answers_a_post(admin_client):
    url = reverse("admin:stories_story_preview", args=[make_story().pk])

    assert admin_client.get(url).status_code == 405


def test_the_change_form_has_a_preview_button_that_opens_a_new_tab(admin_client):
    story = make_story()
    url = reverse("admin:stories_story_change", args=[story.pk])

    button = select_one(content(admin_client.get(url)), "#preview button[formtarget]")

    assert button.get_text() == "Preview"
    assert button["formtarget"] == "_blank"
    assert button["formaction"] == reverse("admin:stories_story_preview", args=[story.pk])
