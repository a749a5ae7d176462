"""Site search (/search/?q=): published items only, ranked, snippets escaped, paginated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.publishing import Status
from core.search import MAX_QUERY_LENGTH, search_sources
from core.workflow import item_transition
from safeguarding.guard import PUBLIC
from tests.support.campaign_factories import make_campaign
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
)
from tests.support.html import content, select, select_one, text
from tests.support.queries import SEARCH_QUERIES
from tests.support.workflow import member_of

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return content(response)


def result_titles(page):
    return [link.get_text() for link in select(page, ".search-result h2 a")]


def test_each_kind_of_public_item_is_found(client):
    story = make_story(title="Lanterns in Laos", standfirst="A church meets by lantern light.")
    prayer = make_prayer_request(introduction="Pray for the lantern makers.")
    country = make_country(name="Lanternland", summary="Where the lanterns are made.")
    person = make_spokesperson(biography="She carries a lantern to every meeting.")
    campaign = make_campaign(why_it_matters="No lantern should be put out.")

    page = search(client, "lantern")

    urls = {link["href"] for link in select(page, ".search-result h2 a")}
    expected = [story, prayer, country, person, campaign]
    assert urls == {item.get_absolute_url() for item in expected}
    assert "5 results." in text(page)


def test_a_title_match_ranks_above_a_match_in_the_text(client):
    make_story(title="News from the capital", body="<p>Harvest came late this year.</p>")
    make_story(title="Harvest festival goes ahead", body="<p>Families gathered.</p>")

    assert result_titles(search(client, "harvest")) == [
        "Harvest festival goes ahead",
        "News from the capital",
    ]


def test_a_country_searched_by_its_name_comes_first(client):
    country = make_country(name="Eritrea", summary="A country in the Horn of Africa.")
    for number in range(3):
        make_story(title=f"Eritrea news {number}", standfirst="From Eritrea, about Eritrea.")

    assert select(search(client, "eritrea"), ".search-result h2 a")[0]["href"] == (
        country.get_absolute_url()
    )


def test_every_word_must_match(client):
    make_story(title="Rain in the valley")
    make_story(title="Rain and wind on the coast")

    assert result_titles(search(client, "rain coast")) == ["Rain and wind on the coast"]


def test_snippets_mark_the_words_searched_for(client):
    make_story(title="Bread", standfirst="The bakery opened its doors to the whole street.")

    snippet = select_one(search(client, "bakery"), ".snippet")

    assert [mark.get_text() for mark in snippet.select("mark")] == ["bakery"]
    assert "opened its doors" in snippet.get_text()


def test_snippets_leave_out_the_story_markup(client):
    make_story(title="Songs", body="<h2>Choir</h2><p>The <strong>choir</strong> sang.</p>")

    snippet = select_one(search(client, "choir"), ".snippet")

    assert "<strong>" not in str(snippet) and "<h2>" not in str(snippet)
    assert [mark.get_text() for mark in snippet.select("mark")] == ["Choir", "choir"]


def test_a_query_with_markup_is_shown_escaped(client):
    make_story(title="Scripts", standfirst="Notes on <script>alert(1)</script> safety.")
    query = "<script>alert(1)</script>"

    response = client.get("/search/", {"q": query})
    page = content(response)

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert query in select_one(page, "h1").get_text()


def test_text_with_markup_in_a_result_never_becomes_markup(client):
    make_story(title="Signs", standfirst="A sign read <b>welcome</b> & &lt;i&gt;peace 1 < 2.")

    snippet = select_one(search(client, "welcome"), ".snippet")

    assert snippet.select("b") == [] and snippet.select("i") == []
    assert "&lt;i&gt;peace 1 &lt; 2." in str(snippet)
    assert [mark.get_text() for mark in snippet.select("mark")] == ["welcome"]


def test_only_published_items_are_found(client):
    make_story(title="Olive grove visible")
    make_story(title="Olive grove draft", status=Status.DRAFT)
    make_story(title="Olive grove scheduled", published_at=timezone.now() + timedelta(days=1))
    make_campaign(title="Olive grove campaign draft", status=Status.DRAFT)
    make_spokesperson(name="Olive Grove", status=Status.REVIEW)
    make_prayer_request(title="Olive grove prayer", status=Status.SAFEGUARDING)
    make_country(name="Olive Grove Republic", status=Status.DRAFT)

    assert result_titles(search(client, "olive grove")) == ["Olive grove visible"]


def test_a_taken_down_item_is_no_longer_found(client):
    story = make_story(title="Harbour church reopens")
    assert result_titles(search(client, "harbour")) == ["Harbour church reopens"]

    item_transition(story, step="take_down", by=member_of("Editors", "editor"))

    assert result_titles(search(client, "harbour")) == []


def test_no_results_suggests_where_to_look(client):
    page = search(client, "zzyzx")

    assert result_titles(page) == []
    assert "Nothing matched that search" in text(page)
    assert "/world-watch-list/" in [link["href"] for link in select(page, "main a")]


def test_an_empty_query_asks_for_words_and_searches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = search(client, "   ")

    assert "Type a word or two" in text(page)
    assert select_one(page, "h1").get_text() == "Search"
    assert select_one(page, "main input[type=search]")["name"] == "q"


def test_an_over_long_query_is_refused_before_anything_runs(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = search(client, "a" * (MAX_QUERY_LENGTH + 1))

    assert f"Use up to {MAX_QUERY_LENGTH} characters" in text(page)
    assert select_one(page, "main input[name=q]")["value"] == "a" * (MAX_QUERY_LENGTH + 1)


def test_the_title_and_heading_say_what_was_searched(client):
    page = search(client, "refugees")

    assert select_one(page, "h1").get_text() == "Search results for “refugees”"
    assert select_one(page, "title").get_text().startswith("Search results for “refugees”")


def test_the_page_is_noindex_and_publicly_cacheable(client):
    response = client.get("/search/", {"q": "refugees"})

    assert select_one(content(response), 'meta[name="robots"]')["content"] == "noindex"
    assert "public" in response["Cache-Control"]
    assert "csrftoken" not in response.cookies


def test_every_page_has_the_search_form_in_its_header(client):
    story = make_story()
    for url in ("/", "/stories/", story.get_absolute_url(), "/campaigns/"):
        form = select_one(content(client.get(url)), "header form[role=search]")
        assert form["action"] == "/search/" and form["method"] == "get"
        field = form.select_one("input[type=search][name=q]")
        assert form.select_one(f"label[for={field['id']}]").get_text() == "Search the site"
        assert form.select_one("button[type=submit]")


def test_results_are_paginated_keeping_the_query(client):
    for number in range(23):
        make_story(title=f"Well {number:02}", published_at=timezone.now() - timedelta(hours=number))

    first = search(client, "well")
    third = search(client, "well", page=3)

    assert len(result_titles(first)) == 10
    assert result_titles(third) == ["Well 20", "Well 21", "Well 22"]
    assert select_one(first, "a[rel=next]")["href"] == "?q=well&page=2"
    assert "Page 1 of 3" in text(first)


@pytest.mark.parametrize("n", [1, 40])
def test_a_results_page_makes_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    for number in range(n):
        make_story(title=f"Bridge {number}")
        make_campaign(title=f"Bridge campaign {number}")
        make_spokesperson(name=f"Bridge speaker {number}")
        make_prayer_request(title=f"Bridge prayer {number}")
        make_country(name=f"Bridge country {number}")

    with django_assert_num_queries(SEARCH_QUERIES):
        page = search(client, "bridge", page=2 if n > 2 else 1)

    assert result_titles(page)


def test_a_changed_name_carries_its_marker(client):
    make_spokesperson(name="Grace Lantern", name_changed=True)
    make_spokesperson(name="Hope Lantern")

    links = select(search(client, "lantern"), ".search-result h2 a")

    marked = {link.contents[0]: bool(link.select(".name-marker")) for link in links}
    assert marked == {"Grace Lantern": True, "Hope Lantern": False}
    assert "name changed for security reasons" in links[0].get_text() + links[1].get_text()


def test_search_reads_only_fields_declared_public_to_the_guard():
    kinds = set()
    for source in search_sources():
        declared = PUBLIC[source.published().model._meta.label_lower].fields
        assert {"slug", source.title, *source.text} <= set(declared), source.kind
        kinds.add(source.kind)

    assert kinds == {"story", "prayer", "country", "spokesperson", "campaign"}


@pytest.mark.parametrize("query", ["!!!", "'\"", "x & y | !z <-> w:*", "or", "-", "😀"])
def test_odd_queries_answer_without_error(client, query):
    make_story(title="Ordinary words - or more", standfirst="Hyphens - and 'quotes' & signs!")

    assert "Nothing matched that search" in text(search(client, query))


def test_a_query_with_a_nul_is_refused_before_anything_runs(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/search/", {"q": "north\x00korea"})

    assert response.status_code == 400


def test_a_page_number_past_the_end_shows_the_last_page(client):
    make_story(title="Lighthouse keepers")

    assert result_titles(search(client, "lighthouse", page=9)) == ["Lighthouse keepers"]
