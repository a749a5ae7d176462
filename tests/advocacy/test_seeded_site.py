"""Walk every public page of the demo site, as a supporter would see it after `make seed`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from stories.models import Country, PrayerRequest, Spokesperson, Story

SEED_STORY = "china-returns-600-north-korean-refugees"


@pytest.fixture
def seeded(db):
    call_command("load_seeds", stdout=StringIO())


def public_urls():
    stories = Story.objects.published()
    with_stories = Country.objects.filter(stories__in=stories).distinct()
    return [
        reverse("home"),
        reverse("stories:story_list"),
        *(story.get_absolute_url() for story in stories),
        *(person.get_absolute_url() for person in Spokesperson.objects.published()),
        reverse("stories:prayer_list"),
        *(prayer.get_absolute_url() for prayer in PrayerRequest.objects.published()),
        reverse("stories:watch_list"),
        *(country.get_absolute_url() for country in Country.objects.all()),
        *(f"{reverse('stories:story_list')}?country={c.slug}" for c in with_stories),
        *(f"{reverse('search')}?q={words}" for words in ("", "North+Korea", "zzyzx", "a" * 201)),
    ]


def test_every_public_page_answers_with_one_heading(seeded, client):
    urls = public_urls()
    problems = []
    for url in urls:
        response = client.get(url)
        headings = response.content.decode().count("<h1")
        if response.status_code != 200 or headings != 1:
            problems.append(f"{url}: status {response.status_code}, {headings} <h1>")

    assert problems == []
    assert len(urls) > 70  # 50 countries, 6 stories, their filters, prayer and people pages


def test_every_country_with_stories_lists_them(seeded, client):
    for country in Country.objects.filter(stories__in=Story.objects.published()).distinct():
        response = client.get(reverse("stories:story_list"), {"country": country.slug})

        for story in country.stories.published():
            assert escape(story.title) in response.content.decode()


def test_the_seed_story_page_shows_its_anatomy(seeded, client):
    page = client.get(reverse("stories:story_detail", args=[SEED_STORY])).content.decode()

    assert "Timothy Cho" in page
    assert "name changed for security reasons" in page
    assert "Kate Forbes MSP" in page
    assert "Backbench Business Debate" in page
    assert 'class="pull-quote"' in page
    assert "<figcaption>A border scene" in page
    assert page.count("<li>Pray") == 3


def test_drafts_are_not_found(seeded, client):
    for draft in Story.objects.exclude(pk__in=Story.objects.published()):
        assert client.get(draft.get_absolute_url()).status_code == 404
    for draft in PrayerRequest.objects.exclude(pk__in=PrayerRequest.objects.published()):
        assert client.get(draft.get_absolute_url()).status_code == 404


def test_drafts_are_not_listed(seeded, client):
    drafts = list(Story.objects.exclude(pk__in=Story.objects.published()))
    assert drafts

    for url in (reverse("home"), reverse("stories:story_list"), "/stories/?country=china"):
        page = client.get(url).content.decode()
        assert all(escape(draft.title) not in page for draft in drafts)
