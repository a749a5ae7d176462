"""Pull quotes sit between the body's sections and follow their spokesperson's visibility."""

import pytest

from core.publishing import Status
from core.rich_text import split_at_headings
from tests.support.factories import make_spokesperson, make_story
from tests.support.html import content, inner_html, text

pytestmark = pytest.mark.django_db

BODY = "<p>Opening.</p><h2>First heading</h2><p>Middle.</p><h2>Second heading</h2><p>End.</p>"


def test_each_quote_follows_a_section_of_the_body(client):
    story = make_story(body=BODY, pull_quotes=["Quote one", "Quote two"])

    body = text(inner_html(content(client.get(story.get_absolute_url())), "div", "story-body"))

    order = ["Opening.", "Quote one", "First heading", "Middle.", "Quote two", "Second heading"]
    positions = [body.index(words) for words in order]
    assert positions == sorted(positions), body


def test_quotes_beyond_the_sections_follow_the_last_one(client):
    story = make_story(body="<p>Only section.</p>", pull_quotes=["First", "Second", "Third"])

    body = text(inner_html(content(client.get(story.get_absolute_url())), "div", "story-body"))

    assert body.index("Only section.") < body.index("First") < body.index("Second")
    assert body.index("Second") < body.index("Third")


def test_a_quote_by_an_unpublished_spokesperson_is_hidden_from_the_public(client, staff_client):
    hidden = make_spokesperson(name="Pastor Under Review", status=Status.SAFEGUARDING)
    story = make_story(pull_quotes=[("Hidden words", hidden), "Public words"])

    public = content(client.get(story.get_absolute_url()))
    preview = content(staff_client.get(story.get_absolute_url()))

    assert "Public words" in public
    assert "Hidden words" not in public
    assert "Pastor Under Review" not in public
    assert "Hidden words" in preview


def test_sections_are_balanced_when_a_heading_sits_inside_a_quote():
    parts = split_at_headings("<blockquote><p>Said:</p><h2>Inside</h2></blockquote><p>After</p>")

    for part in parts:
        assert part.count("<blockquote>") == part.count("</blockquote>"), part
    assert "Inside" in "".join(parts)
