import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth.models import Group
from django.urls import reverse
from PIL import Image
from reversion.admin import VersionAdmin

from core.publishing import Status
from stories.models import Story
from tests.support.factories import (
    EXIF_MAKE,
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
    make_upload,
    make_watch_list,
)
from tests.support.html import content, form_fields, links, tags, text
from tests.support.workflow import publish_as_another_editor

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=ZoneInfo("Europe/London"))
REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
REGISTERED_IDS = [model._meta.label for model, _ in REGISTERED]
# The models content_everywhere fills; other apps' tests build their own admin data.
FILLED = [
    (model, model_admin)
    for model, model_admin in REGISTERED
    if model._meta.app_label in {"stories", "auth"}
]
FILLED_IDS = [model._meta.label for model, _ in FILLED]


@pytest.fixture
def content_everywhere():
    """One object of every registered model, pictures included, so every row renders."""
    country = make_country()
    make_watch_list(2025, 3, countries=[country, make_country(), make_country()])
    person = make_spokesperson(photo=make_upload(name="face.png"), photo_alt="A face")
    prayer = make_prayer_request(countries=[country])
    make_story(
        countries=[country],
        spokespeople=[person],
        pull_quotes=["We will not give up.", ("They prayed for us.", person)],
        prayer_request=prayer,
        hero_image=make_upload(),
        hero_alt="A church",
    )
    Group.objects.get_or_create(name="Editors")


@pytest.mark.parametrize("model, model_admin", REGISTERED, ids=REGISTERED_IDS)
def test_every_changelist_answers_for_a_superuser(
    admin_client, content_everywhere, model, model_admin
):
    response = admin_client.get(reverse(admin_urlname(model._meta, "changelist")))

    assert response.status_code == 200
    change_urls = [
        reverse(admin_urlname(model._meta, "change"), args=[pk])
        for pk in model._default_manager.values_list("pk", flat=True)[:5]
    ]
    assert set(change_urls) <= set(links(content(response)))


@pytest.mark.parametrize("model, model_admin", FILLED, ids=FILLED_IDS)
def test_stories_and_auth_changelists_list_their_rows(
    admin_client, content_everywhere, model, model_admin
):
    response = admin_client.get(reverse(admin_urlname(model._meta, "changelist")))

    obj = model._default_manager.first()
    assert reverse(admin_urlname(model._meta, "change"), args=[obj.pk]) in links(content(response))


@pytest.mark.parametrize("model, model_admin", REGISTERED, ids=REGISTERED_IDS)
def test_every_changelist_search_answers(admin_client, content_everywhere, model, model_admin):
    url = reverse(admin_urlname(model._meta, "changelist"))

    response = admin_client.get(url, {"q": "1"})

    assert response.status_code == 200


@pytest.mark.parametrize("model, model_admin", REGISTERED, ids=REGISTERED_IDS)
def test_every_add_page_answers_for_a_superuser(admin_client, admin_user, rf, model, model_admin):
    request = rf.get("/")
    request.user = admin_user
    addable = model_admin.has_add_permission(request)

    response = admin_client.get(reverse(admin_urlname(model._meta, "add")))

    # Records nobody may add by hand (a supporter's letter) refuse; every other page answers.
    # (The 403 page's only form is its site search, a GET.)
    assert response.status_code == (200 if addable else 403)
    forms = tags(content(response), "form")
    posted_forms = [form for form in forms if form.get("method") == "post"]
    assert bool(posted_forms) == addable


@pytest.mark.parametrize("model, model_admin", FILLED, ids=FILLED_IDS)
def test_every_change_page_answers_for_a_superuser(
    admin_client, content_everywhere, model, model_admin
):
    obj = model._default_manager.first()

    response = admin_client.get(reverse(admin_urlname(model._meta, "change"), args=[obj.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "model, model_admin",
    [
        (model, model_admin)
        for model, model_admin in REGISTERED
        if isinstance(model_admin, VersionAdmin)
    ],
    ids=[
        model._meta.label
        for model, model_admin in REGISTERED
        if isinstance(model_admin, VersionAdmin)
    ],
)
def test_deleted_items_can_be_found_to_recover(admin_client, model, model_admin):
    response = admin_client.get(reverse(admin_urlname(model._meta, "recoverlist")))

    assert response.status_code == 200


def test_story_change_page_links_to_the_public_page(admin_client):
    story = make_story(title="Church closed in the north")

    response = admin_client.get(reverse("admin:stories_story_change", args=[story.pk]))

    assert response.status_code == 200
    view_on_site = [
        a["href"] for a in tags(content(response), "a") if "viewsitelink" in a.get("class", "")
    ]
    assert len(view_on_site) == 1
    redirect = admin_client.get(view_on_site[0])
    assert redirect.status_code == 302
    assert redirect["Location"].endswith(story.get_absolute_url())


def _run_action(admin_client, action, *stories):
    return admin_client.post(
        reverse("admin:stories_story_changelist"),
        {"action": action, "_selected_action": [story.pk for story in stories]},
        follow=True,
    )


def test_publish_action_puts_drafts_on_the_site_now(admin_client, client):
    with time_machine.travel(NOW, tick=False):
        drafts = [
            make_story(status=Status.DRAFT, published_at=NOW + timedelta(days=9)) for _ in range(2)
        ]
        untouched = make_story(status=Status.DRAFT)

        response = _run_action(admin_client, "publish_now", *drafts)

        assert "2 published." in text(content(response))
        for story in drafts:
            story.refresh_from_db()
            assert (story.status, story.published_at) == (Status.PUBLISHED, NOW)
            assert client.get(story.get_absolute_url()).status_code == 200
        assert client.get(untouched.get_absolute_url()).status_code == 404


def test_take_down_action_removes_a_story_from_the_site(admin_client, client):
    story = make_story(title="Taken down")
    assert client.get(story.get_absolute_url()).status_code == 200

    response = _run_action(admin_client, "take_down", story)

    assert "1 taken down from the site." in text(content(response))
    assert client.get(story.get_absolute_url()).status_code == 410  # Gone, not just not found
    assert "Taken down" not in text(content(client.get(reverse("stories:story_list"))))


def _add_story_form(admin_client):
    """The add form's fields as the browser would post them, with one pull quote row."""
    page = content(admin_client.get(reverse("admin:stories_story_add")))
    fields = form_fields(page, "story_form")
    # The inline's prefix is the reverse accessor, as rendered on the page.
    assert fields["pull_quotes-TOTAL_FORMS"] == "0"
    blank_row = {
        name.replace("__prefix__", "0"): value
        for name, value in fields.items()
        if "__prefix__" in name
    }
    fields = {name: value for name, value in fields.items() if "__prefix__" not in name}
    return {**fields, **blank_row, "pull_quotes-TOTAL_FORMS": "1"}


def test_a_story_added_in_the_admin_is_saved_clean(admin_client, client):
    upload = make_upload(name="pastor-samuel-home-village.png")
    data = {
        **_add_story_form(admin_client),
        "title": "Pastor released",
        "slug": "pastor-released",
        "standfirst": "After six months, Pastor Samuel is home.",
        "body": '<p onclick="steal()">He is free.</p><script>steal()</script>',
        "hero_image": upload,
        "hero_alt": "Pastor Samuel with his family",
        "hero_caption": "Home at last",
        "pull_quotes-0-text": "I never stopped praying.",
        "pull_quotes-0-attribution": "Pastor Samuel",
    }

    response = admin_client.post(reverse("admin:stories_story_add"), data)

    assert response.status_code == 302, text(content(response))
    story = Story.objects.get(slug="pastor-released")
    assert story.body == "<p>He is free.</p>"
    assert [quote.text for quote in story.pull_quotes.all()] == ["I never stopped praying."]
    assert re.fullmatch(r"stories/[0-9a-f]{32}\.png", story.hero_image.name)
    assert "pastor" not in story.hero_image.name
    with Image.open(story.hero_image.path) as stored:
        assert dict(stored.getexif()) == {}
        assert stored.size == (story.hero_width, story.hero_height) == (20, 10)
    assert b"SecretCam" not in story.hero_image.read()
    publish_as_another_editor(story)  # the status is the workflow's, not the form's
    page = content(client.get(story.get_absolute_url()))
    assert "I never stopped praying." in text(page)
    assert story.hero_image.url in [img["src"] for img in tags(page, "img")]


def test_the_admin_refuses_an_image_without_a_description(admin_client):
    data = {
        **_add_story_form(admin_client),
        "title": "No description",
        "slug": "no-description",
        "standfirst": "A standfirst.",
        "body": "<p>Body.</p>",
        "hero_image": make_upload(),
        "pull_quotes-TOTAL_FORMS": "0",
    }

    response = admin_client.post(reverse("admin:stories_story_add"), data)

    assert response.status_code == 200
    assert "Describe the picture for people who cannot see it." in text(content(response))
    assert not Story.objects.exists()


def test_upload_exif_is_really_there_before_the_pipeline():
    """Guards the test above: the PNG we upload does carry the camera tag."""
    upload = make_upload()

    with Image.open(upload) as original:
        assert original.getexif()[EXIF_MAKE] == "SecretCam"
