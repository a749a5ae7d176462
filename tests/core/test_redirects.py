"""Old addresses keep working: a permanent redirect from every address an item had, followed
only while the item is public; staff add and remove redirects in the admin."""

from datetime import timedelta

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from core.admin_urls import admin_url
from core.models import Redirect
from core.publishing import Status
from core.redirects import redirect_record
from core.seeds.reading import Where
from core.seeds.saving import SeedReport, upsert
from safeguarding.guard import withheld_names_record
from stories.models import Country
from tests.support.campaign_factories import make_campaign
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
)
from tests.support.html import content, form_fields, select, text
from tests.support.queries import (
    REDIRECT_FOLLOWED_QUERIES,
    REDIRECT_MISSED_QUERIES,
    STORY_DETAIL_QUERIES,
)
from tests.support.workflow import client_for, member_of

pytestmark = pytest.mark.django_db

FACTORIES = {
    "story": make_story,
    "spokesperson": make_spokesperson,
    "prayer request": make_prayer_request,
    "country": make_country,
    "campaign": make_campaign,
}
ADD_URL = "/admin/core/redirect/add/"


def change_url(item):
    return admin_url(item, "change", item.pk)


def form_id(item):
    return f"{item._meta.model_name}_form"


def rename(client, item, slug):
    """Change the item's slug on its admin change form, as staff do; the page after."""
    fields = form_fields(content(client.get(change_url(item))), form_id(item))
    response = client.post(change_url(item), {**fields, "slug": slug}, follow=True)
    item.refresh_from_db()
    return response


@pytest.fixture
def editor():
    return client_for(member_of("Editors", "editor"))


@pytest.mark.parametrize("kind", FACTORIES)
def test_a_slug_changed_in_the_admin_redirects_permanently_keeping_the_query(
    client, admin_client, kind
):
    item = FACTORIES[kind]()
    old = item.get_absolute_url()

    page = text(content(rename(admin_client, item, "a-new-address")))

    assert item.slug == "a-new-address"
    assert f"Its old address {old} now redirects here." in page
    response = client.get(f"{old}?utm_source=newsletter&page=2")
    assert response.status_code == 301
    assert response["Location"] == f"{item.get_absolute_url()}?utm_source=newsletter&page=2"


def test_an_old_address_without_its_last_slash_redirects_too(client, editor):
    story = make_story(slug="church-reopens")
    rename(editor, story, "church-reopened")

    response = client.head("/stories/church-reopens")

    assert (response.status_code, response["Location"]) == (301, "/stories/church-reopened/")


def test_every_old_address_lands_on_the_current_one_in_one_step(client, editor):
    story = make_story(slug="first")
    rename(editor, story, "second")
    rename(editor, story, "third")

    for old in ("/stories/first/", "/stories/second/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/stories/third/")
    assert client.get("/stories/third/").status_code == 200


def test_going_back_to_an_old_address_makes_it_the_live_page_again(client, editor):
    story = make_story(slug="first")
    rename(editor, story, "second")
    rename(editor, story, "first")

    assert client.get("/stories/first/").status_code == 200
    assert client.get("/stories/second/")["Location"] == "/stories/first/"
    assert list(Redirect.objects.values_list("old_path", flat=True)) == ["/stories/second/"]


def test_reverting_to_a_version_with_another_slug_keeps_the_address_it_leaves(client, editor):
    story = make_story(slug="first")
    with reversion.create_revision():
        story.save()
    first = Version.objects.get_for_object(story).get()
    rename(editor, story, "second")
    url = reverse("admin:stories_story_revision", args=[story.pk, first.pk])

    editor.post(url, form_fields(content(editor.get(url)), "story_form"))

    story.refresh_from_db()
    assert story.slug == "first"
    assert client.get("/stories/first/").status_code == 200
    assert client.get("/stories/second/")["Location"] == "/stories/first/"


def test_a_live_page_wins_over_a_redirect_and_takes_its_address(client, editor):
    moved = make_story(slug="old-news")
    rename(editor, moved, "moved-news")
    newcomer = make_story(slug="newcomer")

    rename(editor, newcomer, "old-news")  # the live page takes the old address

    assert client.get("/stories/old-news/").status_code == 200
    assert not Redirect.objects.filter(old_path="/stories/old-news/").exists()
    assert client.get("/stories/newcomer/")["Location"] == "/stories/old-news/"


def test_a_live_page_is_served_even_where_a_redirect_was_left(client):
    story = make_story(slug="here")
    redirect_record(item=make_story(slug="elsewhere"), old_address="/stories/here/")

    assert client.get(story.get_absolute_url()).status_code == 200


PRIVATE = {
    "draft": {"status": Status.DRAFT},
    "in review": {"status": Status.REVIEW},
    "taken down to safeguarding review": {"status": Status.SAFEGUARDING},
    "scheduled": {"published_at": timezone.now() + timedelta(days=1)},
}


@pytest.mark.parametrize("state", PRIVATE)
def test_a_redirect_never_leads_to_an_item_the_public_cannot_see(client, state):
    story = make_story(slug="moved")
    redirect_record(item=story, old_address="/stories/before/")
    assert client.get("/stories/before/").status_code == 301

    type(story).objects.filter(pk=story.pk).update(**PRIVATE[state])

    assert client.get("/stories/before/").status_code == 404


def test_a_redirect_to_a_country_taken_down_answers_404(client):
    country = make_country(slug="moved")
    redirect_record(item=country, old_address="/countries/before/")
    Country.objects.filter(pk=country.pk).update(status=Status.DRAFT)

    assert client.get("/countries/before/").status_code == 404


def test_a_redirect_to_a_deleted_item_answers_404(client):
    story = make_story(slug="moved")
    redirect_record(item=story, old_address="/stories/before/")
    story.delete()

    assert client.get("/stories/before/").status_code == 404


def test_only_reading_is_redirected(client):
    redirect_record(item=make_story(slug="moved"), old_address="/stories/before/")

    assert client.post("/stories/before/").status_code in (404, 405)


def test_an_old_slug_holding_a_withheld_name_is_not_kept(client, editor):
    story = make_story(slug="pastor-kwon-speaks")
    withheld_names_record(owner=story, text="Kwon")

    page = text(content(rename(editor, story, "a-pastor-speaks")))

    assert "was not kept as a redirect" in page
    assert "Kwon" not in page
    assert not Redirect.objects.exists()
    assert client.get("/stories/pastor-kwon-speaks/").status_code == 404


def test_recording_a_withheld_name_removes_the_redirects_holding_it(client, editor):
    story = make_story(slug="pastor-kwon-speaks")
    rename(editor, story, "a-pastor-speaks")
    assert client.get("/stories/pastor-kwon-speaks/").status_code == 301
    fields = form_fields(content(editor.get(change_url(story))), "story_form")

    editor.post(change_url(story), {**fields, "withheld_names": "Kwon"})

    assert not Redirect.objects.exists()
    assert client.get("/stories/pastor-kwon-speaks/").status_code == 404


def test_the_change_form_lists_the_old_addresses(editor):
    story = make_story(slug="first")
    rename(editor, story, "second")
    rename(editor, story, "third")

    page = content(editor.get(change_url(story)))

    listed = [item.get_text() for item in select(page, ".field-old_addresses li")]
    assert sorted(listed) == ["/stories/first/", "/stories/second/"]


def test_a_country_renamed_in_the_seeds_keeps_its_old_address(client):
    make_country(name="Burma", slug="burma", iso_code="MM")

    values = {"name": "Myanmar", "slug": "myanmar"}
    upsert(Country, {"iso_code": "MM"}, values, Where("countries.csv"), SeedReport())

    response = client.get("/countries/burma/")
    assert (response.status_code, response["Location"]) == (301, "/countries/myanmar/")


# By hand, in the admin


def add_by_hand(client, old_path, target_address):
    data = {"old_path": old_path, "target_address": target_address}
    return client.post(ADD_URL, data, follow=True)


def test_an_editor_adds_a_redirect_by_hand(client, editor):
    story = make_story(slug="church-reopens")

    response = add_by_hand(
        editor, "https://example.org/news/2019/church.html?ref=x", "/stories/church-reopens/"
    )

    assert "was added successfully" in text(content(response))
    redirect = Redirect.objects.get()
    assert (redirect.old_path, redirect.target, redirect.automatic) == (
        "/news/2019/church.html/",
        story,
        False,
    )
    assert redirect.created_by.username == "editor"
    response = client.get("/news/2019/church.html")
    assert (response.status_code, response["Location"]) == (301, "/stories/church-reopens/")


def test_a_campaign_manager_redirects_to_a_campaign(client):
    campaign = make_campaign(slug="stop-returns")
    manager = client_for(member_of("Campaign managers", "manager"))

    add_by_hand(manager, "/act/", campaign.get_absolute_url())

    assert client.get("/act/")["Location"] == "/campaigns/stop-returns/"


BAD = {
    "the target is no page": ("/old/", "/nowhere/at-all/", "is not the address of one page"),
    "the target is a list": ("/old/", "/stories/", "is not the address of one page"),
    "the target does not exist": ("/old/", "/stories/no-such-story/", "is not the address"),
    "the old address is a live page": (
        "/stories/live-story/",
        "/stories/target-story/",
        "is a page of the site now",
    ),
    "the old address is the target's own": (
        "/stories/target-story/",
        "/stories/target-story/",
        "is a page of the site now",
    ),
    "the old address is a list page": ("/pray/", "/stories/target-story/", "is a page of"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_redirect_by_hand_is_refused_with_a_reason_keeping_what_was_typed(editor, case):
    make_story(slug="live-story")
    make_story(slug="target-story")
    old_path, target_address, reason = BAD[case]

    response = add_by_hand(editor, old_path, target_address)

    page = content(response)
    assert reason in text(page)
    fields = form_fields(page, "redirect_form")
    assert (fields["old_path"], fields["target_address"]) == (old_path, target_address)
    assert not Redirect.objects.exists()


def test_a_second_redirect_from_the_same_address_is_refused(editor):
    make_story(slug="target-story")
    add_by_hand(editor, "/old/", "/stories/target-story/")

    response = add_by_hand(editor, "/old", "/stories/target-story/")

    assert "A redirect from this address already exists." in text(content(response))
    assert Redirect.objects.count() == 1


def test_an_old_address_holding_a_withheld_name_is_refused_by_hand(editor):
    story = make_story(slug="target-story")
    withheld_names_record(owner=story, text="Kwon")

    response = add_by_hand(editor, "/pastor-kwon/", "/stories/target-story/")

    assert "withheld to protect someone" in text(content(response))
    assert not Redirect.objects.exists()


def test_staff_filter_and_search_redirects(editor):
    story = make_story(slug="target-story")
    add_by_hand(editor, "/by-hand/", "/stories/target-story/")
    redirect_record(item=story, old_address="/stories/automatic/")

    by_hand = text(content(editor.get("/admin/core/redirect/?automatic__exact=0")))
    found = text(content(editor.get("/admin/core/redirect/?q=automatic")))

    assert "/by-hand/" in by_hand and "/stories/automatic/" not in by_hand
    assert "/stories/automatic/" in found and "/by-hand/" not in found


def test_staff_remove_a_redirect_and_the_old_address_stops_answering(client, editor):
    story = make_story(slug="target-story")
    redirect = redirect_record(item=story, old_address="/stories/before/")

    delete = f"/admin/core/redirect/{redirect.pk}/delete/"
    editor.post(delete, {"post": "yes"})

    assert client.get("/stories/before/").status_code == 404


# What it costs


def test_a_404_without_a_redirect_costs_one_query_more(client, django_assert_num_queries):
    with django_assert_num_queries(REDIRECT_MISSED_QUERIES):
        assert client.get("/stories/no-such-story/").status_code == 404


def test_a_followed_redirect_costs_two_queries_more(client, django_assert_num_queries):
    redirect_record(item=make_story(slug="moved"), old_address="/stories/before/")

    with django_assert_num_queries(REDIRECT_FOLLOWED_QUERIES):
        assert client.get("/stories/before/").status_code == 301


def test_a_public_page_costs_what_it_did_with_redirects_to_it(client, django_assert_num_queries):
    story = make_story(slug="moved", prayer_request=make_prayer_request())
    redirect_record(item=story, old_address="/stories/before/")

    with django_assert_num_queries(STORY_DETAIL_QUERIES):
        assert client.get(story.get_absolute_url()).status_code == 200
