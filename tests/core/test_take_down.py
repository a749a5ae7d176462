"""Take-down everywhere at once: the page answers 410 Gone, the item leaves every list, feed
and sitemap, its pictures stop answering at their public addresses, and the trail, the admin's
history and the log say who did it. Returning needs a safeguarding reviewer's approval."""

import logging

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.storage import default_storage
from django.urls import reverse

from core.cache_version import content_version
from core.models import Transition
from core.publishing import Status
from core.takedown import item_withdraw
from core.workflow import TransitionRefused, item_transition
from images.withdrawal import withdrawn_storage
from safeguarding.guard import withheld_names_record, withheld_take_down
from stories.models import Country
from tests.support.campaign_factories import make_campaign
from tests.support.factories import make_country, make_spokesperson, make_story
from tests.support.html import content, form_fields, select_one, text
from tests.support.pictures import MEDIA_URLCONF, a_photo, picture_files, picture_urls
from tests.support.workflow import client_for, member_of

pytestmark = pytest.mark.django_db

TITLE = "Pastor Ahmed's church is raided"
STANDFIRST = "Police came to the house church at night."


@pytest.fixture(autouse=True)
def media_served(settings):
    """Media answers at MEDIA_URL, as the web server serves it in production."""
    settings.ROOT_URLCONF = MEDIA_URLCONF


@pytest.fixture
def story():
    country, person = make_country(name="Erewhon"), make_spokesperson(name="Sister Z")
    return make_story(
        title=TITLE,
        standfirst=STANDFIRST,
        hero_image=a_photo(),
        hero_alt="A church at dusk",
        countries=[country],
        spokespeople=[person],
    )


def take_down_with_the_list_action(user, item):
    changelist = f"admin:{item._meta.app_label}_{item._meta.model_name}_changelist"
    data = {"action": "take_down", "_selected_action": [item.pk]}
    response = client_for(user).post(reverse(changelist), data, follow=True)
    item.refresh_from_db()
    return text(content(response))


def take_down_with_the_button(user, item):
    workflow = f"admin:{item._meta.app_label}_{item._meta.model_name}_workflow"
    data = {"workflow_step": "take_down", "workflow_comment": "Someone recognised the church."}
    response = client_for(user).post(reverse(workflow, args=[item.pk]), data, follow=True)
    item.refresh_from_db()
    return text(content(response))


def status_of(client, url):
    return client.get(url).status_code


# The page: 410 Gone, naming nothing of the item


@pytest.mark.parametrize("take_down", [take_down_with_the_list_action, take_down_with_the_button])
def test_a_taken_down_story_answers_410_gone_naming_nothing_of_it(client, writer, story, take_down):
    assert status_of(client, story.get_absolute_url()) == 200

    take_down(writer, story)

    response = client.get(story.get_absolute_url())
    page = content(response)
    assert response.status_code == 410
    assert select_one(page, "h1").get_text() == "This page has been removed"
    assert TITLE not in page and STANDFIRST not in page and "Sister Z" not in page
    assert response["Cache-Control"] == "no-store"


def test_drafts_and_unknown_addresses_stay_404(client, writer):
    draft = make_story(status=Status.DRAFT)
    unpublished = make_story()
    item_transition(unpublished, step="unpublish", by=member_of("Editors", "second"))

    assert status_of(client, draft.get_absolute_url()) == 404
    assert status_of(client, unpublished.get_absolute_url()) == 404
    assert status_of(client, "/stories/no-such-story/") == 404


def test_staff_still_preview_a_taken_down_story(writer, story):
    take_down_with_the_list_action(writer, story)

    assert status_of(client_for(writer), story.get_absolute_url()) == 200


def test_a_taken_down_spokesperson_and_campaign_answer_410(client, writer):
    person = make_spokesperson()
    campaign = make_campaign()
    take_down_with_the_list_action(writer, person)
    item_transition(campaign, step="take_down", by=member_of("Campaign managers", "manager"))

    assert status_of(client, person.get_absolute_url()) == 410
    assert status_of(client, campaign.get_absolute_url()) == 410


# Every list, the feed and the sitemap


def test_a_taken_down_story_leaves_every_list_the_feed_and_the_sitemap(client, writer, story):
    country, person = story.countries.get(), story.spokespeople.get()
    pages = [
        reverse("home"),
        reverse("stories:story_list"),
        reverse("stories:story_list") + f"?country={country.slug}",
        country.get_absolute_url(),
        person.get_absolute_url(),
        reverse("story_feed"),
        reverse("sitemap"),
    ]
    for url in pages:
        assert story.get_absolute_url() in content(client.get(url)), url  # there, before

    take_down_with_the_list_action(writer, story)

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert story.get_absolute_url() not in content(response), url
        assert TITLE not in content(response), url


# The pictures


def test_its_picture_and_every_rendition_stop_answering_at_their_public_urls(client, writer, story):
    names, urls = picture_files(story.hero_image), picture_urls(story.hero_image)
    assert len(names) > 2 and all(status_of(client, url) == 200 for url in urls)

    take_down_with_the_list_action(writer, story)

    assert [status_of(client, url) for url in urls] == [404] * len(urls)
    assert not any(default_storage.exists(name) for name in names)
    assert all(withdrawn_storage().exists(name) for name in names)  # same names: rows unchanged


def test_renditions_made_at_widths_used_before_leave_too(settings, client, writer, story):
    settings.IMAGE_RENDITION_WIDTHS = (320,)
    older = picture_urls(story.hero_image)[1:]
    settings.IMAGE_RENDITION_WIDTHS = (480, 960)

    take_down_with_the_list_action(writer, story)

    assert [status_of(client, url) for url in older] == [404] * len(older)


def test_a_spokespersons_photo_leaves_with_them(client, writer):
    person = make_spokesperson(photo=a_photo(), photo_alt="A portrait")
    urls = picture_urls(person.photo)

    take_down_with_the_button(writer, person)

    assert [status_of(client, url) for url in urls] == [404] * len(urls)


def test_a_picture_another_public_story_shows_stays_served(client, writer, story):
    urls = picture_urls(story.hero_image)
    make_story(hero_image=story.hero_image.name, hero_alt="The same church")  # reused

    take_down_with_the_list_action(writer, story)

    assert status_of(client, story.get_absolute_url()) == 410
    assert [status_of(client, url) for url in urls] == [200] * len(urls)


def test_pictures_stay_when_the_item_was_published_again_before_they_moved(client, writer, story):
    urls = picture_urls(story.hero_image)

    item_withdraw(story, by=writer)  # a take-down's second half, late: the story is public

    assert [status_of(client, url) for url in urls] == [200] * len(urls)


# Coming back


def test_returning_needs_a_safeguarding_approval_and_brings_the_pictures_back(
    client, writer, reviewer, story
):
    urls = picture_urls(story.hero_image)
    take_down_with_the_list_action(writer, story)
    assert (story.status, story.sensitive) == (Status.SAFEGUARDING, True)

    with pytest.raises(TransitionRefused):
        item_transition(story, step="publish", by=member_of("Editors", "second"))
    assert status_of(client, story.get_absolute_url()) == 410

    item_transition(story, step="approve", by=reviewer)

    assert status_of(client, story.get_absolute_url()) == 200
    assert [status_of(client, url) for url in urls] == [200] * len(urls)
    assert not any(withdrawn_storage().exists(name) for name in picture_files(story.hero_image))


def test_staff_edit_a_taken_down_story_and_its_picture_stays_withdrawn(client, writer, story):
    urls = picture_urls(story.hero_image)
    take_down_with_the_list_action(writer, story)
    editing = client_for(writer)
    change = reverse("admin:stories_story_change", args=[story.pk])
    fields = form_fields(content(editing.get(change)), "story_form")

    response = editing.post(change, {**fields, "title": "Retitled"}, follow=True)

    assert "was changed successfully" in text(content(response))
    story.refresh_from_db()
    assert (story.title, story.hero_width, story.status) == ("Retitled", 1000, Status.SAFEGUARDING)
    assert [status_of(client, url) for url in urls] == [404] * len(urls)


def test_a_story_published_again_then_unpublished_is_a_404_not_a_410(client, writer, reviewer):
    story = make_story()
    item_transition(story, step="take_down", by=writer)
    item_transition(story, step="approve", by=reviewer)
    item_transition(story, step="unpublish", by=reviewer)

    assert status_of(client, story.get_absolute_url()) == 404


# Who did it


def test_the_trail_the_admin_history_and_the_log_name_who_took_it_down(writer, story, caplog):
    with caplog.at_level(logging.INFO, logger="core.takedown"):
        take_down_with_the_list_action(writer, story)

    step = Transition.objects.for_item(story).get()
    assert (step.name, step.by, step.from_status) == ("take_down", writer, Status.PUBLISHED)
    entry = LogEntry.objects.get(object_id=str(story.pk))
    assert (entry.user, entry.get_change_message()) == (
        writer,
        "Take down (to safeguarding review).",
    )
    [line] = [record.getMessage() for record in caplog.records if record.name == "core.takedown"]
    assert line == f"Taken down: stories.Story {story.pk} by writer"
    assert TITLE not in line


def test_every_publishing_step_and_take_down_changes_the_content_version(writer, reviewer):
    story = make_story(status=Status.DRAFT)
    versions = [content_version()]
    for user, step in [(writer, "publish"), (writer, "take_down"), (reviewer, "approve")]:
        by = member_of("Editors", "second") if step == "publish" else user
        item_transition(story, step=step, by=by)
        versions.append(content_version())

    assert len(set(versions)) == len(versions)
    assert content_version() == versions[-1]  # reading it changes nothing


def test_the_guard_taking_pages_down_changes_the_content_version():
    story = make_story(standfirst="Kim Minjun leads the church.")
    before = content_version()

    withheld_names_record(owner=story, text="Kim Minjun")
    assert [fault.obj for fault in withheld_take_down()] == [story]

    assert content_version() != before


def test_recording_a_name_takes_its_pages_down_as_a_take_down_does(
    client, writer, django_capture_on_commit_callbacks
):
    story = make_story(standfirst="Kim Minjun leads the church.", hero_image=a_photo())
    story.hero_alt = "A church at dusk"
    story.save()
    urls = picture_urls(story.hero_image)

    with django_capture_on_commit_callbacks(execute=True):
        withheld_names_record(owner=story, text="Kim Minjun")
        withheld_take_down(by=writer)

    assert client.get(story.get_absolute_url()).status_code == 410
    assert [status_of(client, url) for url in urls] == [404] * len(urls)
    step = Transition.objects.for_item(story).first()
    assert (step.name, step.by, step.to_status) == ("take_down", writer, Status.SAFEGUARDING)
    assert "Kim" not in step.comment


# Countries: no workflow, the same take-down


def test_a_country_taken_down_answers_410_and_its_trail_names_who(client, django_user_model):
    admin = django_user_model.objects.create_superuser("chief", "chief@example.org", "x" * 12)
    country, draft = make_country(), make_country(status=Status.DRAFT)

    page = take_down_with_the_list_action(admin, country)

    assert "1 taken down from the site." in page
    assert status_of(client, country.get_absolute_url()) == 410
    assert status_of(client, draft.get_absolute_url()) == 404
    step = Transition.objects.for_item(country).get()
    assert (step.name, step.by, step.to_status) == ("take_down", admin, Status.DRAFT)
    assert LogEntry.objects.get(object_id=str(country.pk)).user == admin

    client_for(admin).post(
        reverse("admin:stories_country_changelist"),
        {"action": "publish_now", "_selected_action": [country.pk]},
    )
    assert Country.objects.get(pk=country.pk).status == Status.PUBLISHED
    assert status_of(client, country.get_absolute_url()) == 200
