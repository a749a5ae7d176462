import re
from datetime import datetime, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.publishing import Status
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
    make_upload,
    make_watch_list,
)
from tests.support.html import (
    card_titles,
    content,
    element_text,
    inner_html,
    links,
    page_text,
    select,
    select_one,
    tags,
    text,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=ZoneInfo("Europe/London"))
NAME_CHANGED_NOTE = "name changed for security reasons"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def days_ago(days):
    return NOW - timedelta(days=days)


# Home


def test_home_shows_latest_stories_prayer_and_the_top_of_the_list(client):
    stories = [make_story(title=f"Story day {day}", published_at=days_ago(day)) for day in range(6)]
    make_story(title="Draft story", status=Status.DRAFT)
    make_prayer_request(title="Older prayer", published_at=days_ago(5))
    make_prayer_request(title="Newest prayer", points=["Pray for Rana."], published_at=days_ago(1))
    make_watch_list(2024, 12)
    this_year = make_watch_list(2025, 12)

    page = content(client.get("/"))

    assert card_titles(page) == [story.title for story in stories[:4]]
    assert "Newest prayer" in text(page) and "Pray for Rana." in text(page)
    assert "World Watch List 2025: the top ten" in text(page)
    top_ten = [(a.parent["value"], element_text(a)) for a in select(page, "li[value] > a")]
    assert top_ten == [(str(entry.rank), entry.country.name) for entry in this_year[:10]]


def test_home_works_on_an_empty_site(client):
    assert "No stories yet." in page_text(client, "/")


# Story list


def test_story_list_shows_ten_per_page_newest_first(client):
    stories = [make_story(title=f"Story {day:02}", published_at=days_ago(day)) for day in range(12)]

    first = content(client.get("/stories/"))
    second = content(client.get("/stories/", {"page": 2}))

    assert card_titles(first) == [story.title for story in stories[:10]]
    assert card_titles(second) == [story.title for story in stories[10:]]
    assert "Page 1 of 2" in text(first)
    assert "?page=2" in links(first)
    assert "?page=1" in links(second)
    assert client.get("/stories/", {"page": 3}).status_code == 404


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.SAFEGUARDING])
def test_unpublished_story_is_not_listed(client, status):
    make_story(title="Hidden story", status=status)
    make_story(title="Scheduled story", published_at=NOW + timedelta(hours=1))

    assert "There are no stories here yet." in page_text(client, "/stories/")


def test_story_list_filters_by_country(client):
    nigeria, iran = make_country(name="Nigeria"), make_country(name="Iran")
    make_story(title="From Nigeria", countries=[nigeria])
    make_story(title="From Iran", countries=[iran])
    make_story(title="From both", countries=[nigeria, iran], published_at=days_ago(2))

    page = content(client.get("/stories/", {"country": nigeria.slug}))

    assert card_titles(page) == ["From Nigeria", "From both"]
    assert [element_text(h1) for h1 in select(page, "h1")] == ["Stories from Nigeria"]
    selected = [o for o in tags(page, "option") if "selected" in o]
    assert [option["value"] for option in selected] == [nigeria.slug]


def test_country_filter_keeps_the_country_across_pages(client):
    country = make_country()
    for day in range(11):
        make_story(countries=[country], published_at=days_ago(day))

    page = content(client.get("/stories/", {"country": country.slug}))

    assert f"?country={country.slug}&page=2" in links(page)


def test_story_list_offers_only_countries_with_published_stories(client):
    make_story(countries=[make_country(name="Listed")])
    make_story(countries=[make_country(name="Only drafts")], status=Status.DRAFT)
    make_country(name="No stories")

    options = [element_text(o) for o in select(content(client.get("/stories/")), "option")]

    assert options == ["All countries", "Listed"]


def test_unknown_country_filter_is_404(client):
    assert client.get("/stories/", {"country": "atlantis"}).status_code == 404


# Story page


@pytest.fixture
def full_story():
    country = make_country(name="Nigeria")
    person = make_spokesperson(name="Pastor Samuel", role="Church leader in Plateau State")
    prayer = make_prayer_request(points=["Pray for healing.", "Pray for the children."])
    return make_story(
        title="Church rebuilt after attack",
        standfirst="A year after the attack, the congregation meets again.",
        body="<h2>The rebuilding</h2><p>Neighbours carried <strong>bricks</strong>.</p>",
        published_at=datetime(2025, 2, 14, 9, 0, tzinfo=ZoneInfo("Europe/London")),
        hero_image=make_upload(size=(40, 30)),
        hero_alt="Church members lay bricks",
        hero_caption="The new walls go up",
        hero_credit="Photo: the church",
        countries=[country],
        spokespeople=[person],
        pull_quotes=[("God has not forgotten us.", person), "We sang as we built."],
        prayer_request=prayer,
    )


def test_story_page_shows_everything_an_editor_wrote(client, full_story):
    page = content(client.get(full_story.get_absolute_url()))
    words = text(page)

    assert [element_text(h1) for h1 in select(page, "h1")] == [full_story.title]
    assert "14 February 2025" in words
    assert full_story.standfirst in words
    assert "The rebuilding" in words and "Neighbours carried bricks." in words
    assert "Nigeria" in words
    quotes = [
        (element_text(caption.find_previous_sibling("blockquote").p), element_text(caption))
        for caption in select(page, "blockquote:has(> p) + figcaption")
    ]
    assert quotes == [
        ("God has not forgotten us.", "Pastor Samuel"),
        ("We sang as we built.", "A church member"),
    ]
    card = inner_html(page, "aside", "spokesperson-card")
    assert "Pastor Samuel" in text(card) and "Church leader in Plateau State" in text(card)
    assert "/spokespeople/" + full_story.spokespeople.get().slug + "/" in links(card)
    pray_box = text(inner_html(page, "section", "pray-box"))
    assert "Pray for healing." in pray_box and "Pray for the children." in pray_box


def test_story_page_hero_image_has_alt_size_and_caption(client, full_story):
    page = content(client.get(full_story.get_absolute_url()))

    (hero,) = [img for img in tags(page, "img") if img["src"] == full_story.hero_image.url]
    assert (hero["alt"], hero["width"], hero["height"]) == ("Church members lay bricks", "40", "30")
    assert "The new walls go up Photo: the church" in text(inner_html(page, "figure", "hero"))


def test_story_page_share_links_need_no_third_party_script(client, full_story):
    page = content(client.get(full_story.get_absolute_url()))

    share = links(inner_html(page, "section", "share"))
    assert [re.match(r"[a-z]+:(//[^/]+)?", href).group() for href in share] == [
        "mailto:",
        "https://wa.me",
        "https://www.facebook.com",
        "https://x.com",
    ]
    story_url = "http://testserver" + full_story.get_absolute_url()
    assert all(story_url in unquote(href) for href in share)
    # The only <script> is the story's JSON-LD, a data block no browser runs.
    scripts = select(page, "script")
    assert [(s.get("type"), s.get("src")) for s in scripts] == [("application/ld+json", None)]


# Spokesperson, prayer, watch list and country pages


def test_spokesperson_page_lists_their_published_stories(client):
    person = make_spokesperson(name="Mary", role="Nurse", biography="Mary runs a clinic.")
    make_story(title="Mary's clinic", spokespeople=[person])
    make_story(title="Mary's draft", spokespeople=[person], status=Status.DRAFT)

    page = content(client.get(person.get_absolute_url()))

    assert "Mary runs a clinic." in text(page) and "Nurse" in text(page)
    assert card_titles(page) == ["Mary's clinic"]
    assert NAME_CHANGED_NOTE not in text(page)


def test_prayer_list_shows_published_requests_with_their_points(client):
    make_prayer_request(title="For Iran", points=["Pray for house churches."])
    make_prayer_request(title="Not yet", status=Status.REVIEW)

    page = content(client.get("/pray/"))

    assert [element_text(a) for a in select(page, "h2.card-title > a")] == ["For Iran"]
    assert "Pray for house churches." in text(page)


def test_prayer_page_shows_points_count_stories_and_countries(client):
    country = make_country(name="Eritrea")
    prayer = make_prayer_request(
        title="Prisoners in Eritrea",
        points=["Pray for those in containers.", "Pray for their families."],
        countries=[country],
        prayed_count=41,
    )
    make_story(title="Released after ten years", prayer_request=prayer)
    make_story(title="Unpublished story", prayer_request=prayer, status=Status.DRAFT)

    page = content(client.get(prayer.get_absolute_url()))
    words = text(page)

    assert [element_text(li) for li in select_one(page, "ul.prayer-points").select("li")] == [
        "Pray for those in containers.",
        "Pray for their families.",
    ]
    assert "I prayed" in words and "41 prayers so far" in words
    assert "Released after ten years" in words and "Unpublished story" not in words
    assert country.get_absolute_url() in links(page)
    assert "Thank you for praying" not in words


def test_watch_list_shows_the_latest_year_in_rank_order(client):
    make_watch_list(2024, 50)
    entries = make_watch_list(2025, 50)

    page = content(client.get("/world-watch-list/"))

    assert "World Watch List 2025" in text(page)
    rows = [
        (element_text(th.find_previous_sibling("td")), element_text(th.a))
        for th in select(page, 'tr > td:first-child + th[scope="row"]')
    ]
    assert rows == [(str(entry.rank), entry.country.name) for entry in entries]


def test_watch_list_shows_a_chosen_year(client):
    older = make_watch_list(2024, 3)
    make_watch_list(2025, 3)

    page = content(client.get("/world-watch-list/", {"year": 2024}))

    assert [element_text(a) for a in select(page, 'th[scope="row"] > a')] == [
        e.country.name for e in older
    ]
    assert "World Watch List 2024" in text(page)
    assert [element_text(o) for o in select(page, "option[selected]")] == ["2024"]


@pytest.mark.parametrize("year", ["1999", "latest", ""])
def test_watch_list_falls_back_to_the_latest_year(client, year):
    make_watch_list(2024, 2)
    make_watch_list(2025, 2)

    assert "World Watch List 2025" in page_text(client, "/world-watch-list/", year=year)


def test_an_empty_watch_list_says_so(client):
    page = content(client.get("/world-watch-list/"))

    assert [element_text(h1) for h1 in select(page, "h1")] == ["World Watch List"]
    assert "The list has not been published here yet." in text(page)
    assert "None" not in text(page)


def test_country_page_shows_rank_stories_and_prayer(client):
    make_watch_list(2024, 1)
    country = make_country(name="North Korea", summary="The hardest place to be a Christian.")
    make_watch_list(2025, 1, countries=[country])
    make_story(title="Secret believers", countries=[country])
    make_story(title="Elsewhere")
    make_prayer_request(
        title="Pray for North Korea", points=["Pray for the prisoners."], countries=[country]
    )

    page = content(client.get(country.get_absolute_url()))
    words = text(page)

    assert "Number 1 on the World Watch List 2025 (score 99, Very high persecution)" in words
    assert "The hardest place to be a Christian." in words
    assert card_titles(page) == ["Secret believers"]
    assert "Pray for North Korea" in words and "Pray for the prisoners." in words


def test_country_page_without_a_rank_says_so(client):
    make_watch_list(2025, 1)

    assert "Not on the current World Watch List." in page_text(
        client, make_country().get_absolute_url()
    )


def test_unknown_slugs_are_404(client):
    for url in ["/stories/nope/", "/spokespeople/nope/", "/pray/nope/", "/countries/nope/"]:
        assert client.get(url).status_code == 404, url


# Changed names


def test_changed_name_is_marked_on_the_story_page(client):
    person = make_spokesperson(name="Hannah", name_changed=True)
    story = make_story(spokespeople=[person], pull_quotes=[("They came at night.", person)])

    page = content(client.get(story.get_absolute_url()))

    markers = [
        (str(sup.previous_sibling), element_text(sup), sup.get("aria-hidden"))
        for sup in select(page, "sup.name-marker")
    ]
    # the spokesperson card and the pull quote
    assert [(before.endswith("Hannah"), *rest) for before, *rest in markers] == [
        (True, "*", "true")
    ] * 2
    assert "Hannah: name changed for security reasons." in text(page)


def test_changed_name_is_marked_on_the_spokesperson_page(client):
    person = make_spokesperson(name="Hannah", name_changed=True)

    page = content(client.get(person.get_absolute_url()))

    (h1,) = select(page, "h1")
    assert h1.select(".name-marker") and NAME_CHANGED_NOTE in element_text(h1)
    assert "Hannah: name changed for security reasons." in text(page)


def test_real_names_carry_no_marker(client):
    person = make_spokesperson(name="Open Name")
    story = make_story(spokespeople=[person])

    page = content(client.get(story.get_absolute_url()))

    assert "name-marker" not in page
    assert NAME_CHANGED_NOTE not in text(page)
