"""Addresses reversed once give what reverse() gives, under any script prefix."""

import pytest
from django.templatetags.static import static
from django.urls import clear_script_prefix, reverse, set_script_prefix

from core.links import fixed_url, fixed_urls, slug_url, static_url

SLUG_PAGES = [
    "stories:story_detail",
    "stories:country_detail",
    "stories:spokesperson_detail",
    "stories:prayer_detail",
    "campaigns:campaign_detail",
]


@pytest.mark.parametrize("name", SLUG_PAGES)
@pytest.mark.parametrize("slug", ["north-korea", "a", "x_1-2", "slug"])
def test_slug_url_is_reverse(name, slug):
    assert slug_url(name, slug) == reverse(name, args=[slug])


def test_a_slug_reverse_refuses_is_refused_the_same():
    with pytest.raises(Exception) as reversed_error:
        reverse("stories:story_detail", args=["no spaces"])
    with pytest.raises(reversed_error.type):
        slug_url("stories:story_detail", "no spaces")


def test_fixed_url_is_reverse():
    assert fixed_url("stories:story_list") == reverse("stories:story_list") == "/stories/"


def test_each_script_prefix_gets_its_own_address():
    """A site served under /charity/ links there, and the site at / still links to /."""
    assert slug_url("stories:story_detail", "one") == "/stories/one/"
    set_script_prefix("/charity/")
    try:
        assert slug_url("stories:story_detail", "one") == "/charity/stories/one/"
        assert fixed_url("home") == "/charity/"
    finally:
        clear_script_prefix()
    assert slug_url("stories:story_detail", "one") == "/stories/one/"
    assert fixed_url("home") == "/"


def test_fixed_urls_link_where_the_request_was_served():
    """A render's fixed_url (fixed_urls(), made once per render) gives what fixed_url gives
    during that request, under any script prefix."""
    set_script_prefix("/charity/")
    try:
        assert fixed_urls()("home") == fixed_url("home") == "/charity/"
        assert fixed_urls()("stories:story_list") == "/charity/stories/"
    finally:
        clear_script_prefix()
    assert fixed_urls()("stories:story_list") == fixed_url("stories:story_list") == "/stories/"


def test_static_url_is_static_and_follows_the_settings(settings):
    assert static_url("css/site.css") == static("css/site.css")
    settings.STATIC_URL = "https://static.example.org/"
    assert static_url("css/site.css") == static("css/site.css")
    assert static_url("css/site.css").startswith("https://static.example.org/")
