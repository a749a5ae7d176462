"""History in the admin: compare two versions field by field, revert, recover, for every public
model; a recovered item is never public."""

from datetime import UTC, datetime

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from campaigns.models import LetterTemplate
from core.history import field_lines, lines_diff, text_lines, word_diff
from core.publishing import Status, has_status
from stories.models import PullQuote, Story
from tests.support.campaign_factories import make_campaign
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
    make_watch_list,
)
from tests.support.html import content, form_fields, select, select_one, soup, text

pytestmark = pytest.mark.django_db


def saved_as_a_version(obj):
    with reversion.create_revision():
        obj.save()
    return Version.objects.get_for_object(obj).first()


def posted_back(admin_client, url, form_id):
    """Open the revision (or recovery) form and save it as it stands, as staff would."""
    page = content(admin_client.get(url))
    return admin_client.post(url, form_fields(page, form_id))


# Comparing


def test_word_diff_marks_words_taken_out_and_put_in():
    assert word_diff("Pastor Lee was freed", "Pastor Lee was released on Monday") == (
        "Pastor Lee was <del>freed</del><ins>released on Monday</ins>"
    )


def test_rich_text_is_compared_as_readable_paragraphs_not_markup():
    assert text_lines("<h2>Part one</h2><p>He said &ldquo;pray&rdquo;.</p>") == [
        "Part one",
        "He said “pray”.",
    ]


def test_times_and_ticks_are_shown_as_staff_read_them():
    published_at, sensitive = (
        Story._meta.get_field(name) for name in ("published_at", "sensitive")
    )
    moment = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)

    assert field_lines(published_at, moment) == ["01 Jul 2026 10:30"]  # UK summer time
    assert field_lines(sensitive, True) == ["Yes"]


def test_lines_diff_escapes_what_staff_wrote():
    assert "&lt;script&gt;" in lines_diff([], ["<script>alert(1)</script>"])


def story_with_two_versions():
    first, second = make_country(name="Nigeria"), make_country(name="Eritrea")
    story = make_story(
        title="Church reopens",
        body="<h2>News</h2><p>The church in the village reopened on Sunday.</p>",
        countries=[first],
        pull_quotes=["We sang again"],
    )
    older = saved_as_a_version(story)
    story.title = "Church reopens after two years"
    story.body = "<h2>News</h2><p>The church in the town reopened on Sunday.</p>"
    story.countries.set([second])
    PullQuote.objects.filter(story=story).update(text="We prayed and sang again")
    newer = saved_as_a_version(story)
    return story, older, newer


def compare_page(admin_client, story, older, newer):
    url = reverse("admin:stories_story_compare", args=[story.pk])
    response = admin_client.get(url, {"a": newer.pk, "b": older.pk})
    assert response.status_code == 200
    return content(response)


def changes_on(page):
    rows = select(page, "#compare-changes tbody tr")
    return {row.th.get_text(strip=True): row.td for row in rows}


def test_compare_shows_each_changed_field_as_words_taken_out_and_put_in(admin_client):
    story, older, newer = story_with_two_versions()

    changes = changes_on(compare_page(admin_client, story, older, newer))

    assert [ins.get_text() for ins in changes["Title"].find_all("ins")] == [" after two years"]
    body = changes["Body"]
    assert "<p>" not in body.get_text() and "News" in body.get_text()
    assert (body.find("del").get_text(), body.find("ins").get_text()) == ("village", "town")
    assert "Standfirst" not in changes  # unchanged fields are left out


def test_compare_shows_links_by_name_and_inline_rows(admin_client):
    story, older, newer = story_with_two_versions()

    changes = changes_on(compare_page(admin_client, story, older, newer))

    countries = changes["Countries"]
    assert (countries.find("del").get_text(), countries.find("ins").get_text()) == (
        "Nigeria",
        "Eritrea",
    )
    assert "prayed and" in changes["Pull quotes"].find("ins").get_text()


def test_the_history_page_offers_two_versions_to_compare_without_a_script(admin_client):
    story, older, newer = story_with_two_versions()

    page = content(admin_client.get(reverse("admin:stories_story_history", args=[story.pk])))

    form = select_one(page, "#compare-form")
    assert form["action"] == reverse("admin:stories_story_compare", args=[story.pk])
    checked = {radio["name"]: radio["value"] for radio in form.select("input[checked]")}
    assert checked == {"a": str(older.pk), "b": str(newer.pk)}
    assert not [script for script in soup(page).find_all("script") if not script.get("src")]


def test_versions_of_another_item_cannot_be_compared(admin_client):
    story, older, _ = story_with_two_versions()
    other = saved_as_a_version(make_story())
    url = reverse("admin:stories_story_compare", args=[story.pk])

    assert admin_client.get(url, {"a": older.pk, "b": other.pk}).status_code == 404
    assert admin_client.get(url, {"a": older.pk, "b": "x"}).status_code == 404


def test_staff_without_permission_cannot_compare(client, django_user_model):
    story, older, newer = story_with_two_versions()
    user = django_user_model.objects.create_user("nobody", is_staff=True)
    client.force_login(user)
    url = reverse("admin:stories_story_compare", args=[story.pk])

    assert client.get(url, {"a": older.pk, "b": newer.pk}).status_code == 403


# Revert and recover, for every public model


def _watch_list_entry():
    return make_watch_list(2026, 1)[0]


def _letter_template():
    return LetterTemplate.objects.filter(campaign=make_campaign()).get()


PUBLIC_MODELS = [
    pytest.param(make_story, "title", id="story"),
    pytest.param(make_spokesperson, "role", id="spokesperson"),
    pytest.param(make_prayer_request, "title", id="prayer request"),
    pytest.param(make_country, "summary", id="country"),
    pytest.param(_watch_list_entry, "score", id="watch list entry"),
    pytest.param(make_campaign, "title", id="campaign"),
    pytest.param(_letter_template, "subject", id="letter template"),
]


def _changed(value):
    return value + 1 if isinstance(value, int) else f"{value} (changed)"


def _admin_name(obj, view):
    return f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}"


@pytest.mark.parametrize(("make", "field"), PUBLIC_MODELS)
def test_reverting_brings_back_the_old_text_but_not_the_old_status(admin_client, make, field):
    obj = make()
    old = getattr(obj, field)
    version = saved_as_a_version(obj)
    setattr(obj, field, _changed(old))
    saved_as_a_version(obj)
    if has_status(type(obj)):  # taken off the site since the version was saved
        type(obj)._base_manager.filter(pk=obj.pk).update(status=Status.SAFEGUARDING)
    url = reverse(_admin_name(obj, "revision"), args=[obj.pk, version.pk])

    response = posted_back(admin_client, url, f"{obj._meta.model_name}_form")

    assert response.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == old
    if has_status(type(obj)):
        assert obj.status == Status.SAFEGUARDING  # reverting never publishes


@pytest.mark.parametrize(("make", "field"), PUBLIC_MODELS)
def test_a_deleted_item_is_recovered_and_is_not_public(admin_client, make, field):
    obj = make()
    version = saved_as_a_version(obj)
    model, pk, old = type(obj), obj.pk, getattr(obj, field)
    with reversion.create_revision():
        obj.delete()
    url = reverse(_admin_name(obj, "recover"), args=[version.pk])

    response = posted_back(admin_client, url, f"{model._meta.model_name}_form")

    assert response.status_code == 302
    recovered = model._base_manager.get(pk=pk)
    assert getattr(recovered, field) == old
    if has_status(model):
        assert recovered.status == Status.DRAFT


def test_the_recover_list_names_deleted_items(admin_client):
    story = make_story(title="Deleted story")
    saved_as_a_version(story)
    with reversion.create_revision():
        story.delete()

    page = content(admin_client.get(reverse("admin:stories_story_recoverlist")))

    assert "Deleted story" in soup(page).get_text()


def test_one_version_offers_nothing_to_compare_and_the_same_version_twice_says_so(admin_client):
    story = make_story()
    version = saved_as_a_version(story)
    history = reverse("admin:stories_story_history", args=[story.pk])

    page = content(admin_client.get(history))
    assert not select(page, "#compare-form input[type=radio]")
    assert "only one saved version" in text(page)
    url = reverse("admin:stories_story_compare", args=[story.pk])
    response = admin_client.get(url, {"a": version.pk, "b": version.pk}, follow=True)
    assert response.redirect_chain == [(history, 302)]
    assert "Choose two different versions" in text(content(response))
