"""Rich text is cleaned when it is saved and again when it is rendered."""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings

from stories.models import Story
from tests.support.admin import story_admin_form
from tests.support.factories import make_story
from tests.support.html import content, elements, inner_html
from tests.support.strategies import dangerous_bodies

pytestmark = pytest.mark.django_db

UNSAFE_BODY = (
    "<h2>Safe heading</h2>"
    "<p onclick=\"alert('click')\">Paragraph with a handler.</p>"
    "<script>alert('script')</script>"
    '<img src="x" onerror="alert(\'error\')">'
    "<p><a href=\"javascript:alert('link')\">A javascript link</a></p>"
    '<iframe src="https://evil.example/"></iframe>'
    '<p style="position:fixed;top:0">Styled paragraph.</p>'
)
SAFE_BODY = (
    "<h2>Arrested at dawn</h2>"
    "<p>Pastor <strong>Samuel</strong> was taken "
    '<a href="https://example.org/report">according to the report</a>.</p>'
)


def assert_nothing_unsafe(html):
    lowered = html.lower()
    assert "<script" not in lowered
    assert "alert(" not in lowered, "script content or a handler survived"
    assert not re.search(r"\son\w+\s*=", lowered)
    assert "javascript:" not in lowered
    assert "<iframe" not in lowered
    assert "style=" not in lowered


def test_full_clean_strips_unsafe_markup_from_the_body():
    story = make_story(body="<p>placeholder</p>")
    story.body = UNSAFE_BODY

    story.full_clean()

    assert_nothing_unsafe(story.body)
    assert "<h2>Safe heading</h2>" in story.body
    assert "Paragraph with a handler." in story.body
    assert "Styled paragraph." in story.body


def test_the_admin_form_saves_a_sanitised_body(admin_user):
    form = story_admin_form(
        {
            "title": "Unsafe story",
            "slug": "unsafe-story",
            "standfirst": "A standfirst.",
            "body": UNSAFE_BODY,
            "status": "draft",
            "published_at_0": "2025-03-01",
            "published_at_1": "12:00:00",
        },
        admin_user,
    )

    assert form.is_valid(), form.errors
    story = form.save()

    story.refresh_from_db()
    assert_nothing_unsafe(story.body)
    assert "A javascript link" in story.body


def test_allowed_markup_survives_saving_and_rendering(client):
    story = make_story(body="<p>placeholder</p>")
    story.body = SAFE_BODY
    story.full_clean()
    story.save()

    body = inner_html(content(client.get(story.get_absolute_url())), "div", "story-body")

    assert "<h2>Arrested at dawn</h2>" in body
    assert "<strong>Samuel</strong>" in body
    (link,) = [attrs for tag, attrs in elements(body) if tag == "a"]
    assert link["href"] == "https://example.org/report"


def test_a_raw_unsafe_body_written_to_the_database_is_cleaned_on_the_page(client):
    story = make_story()
    Story.objects.filter(pk=story.pk).update(body=UNSAFE_BODY)

    page = content(client.get(story.get_absolute_url()))

    body = inner_html(page, "div", "story-body")
    assert "Safe heading" in body
    assert_nothing_unsafe(without_json_ld(page))


JSON_LD = re.compile(r'<script type="application/ld\+json">([^<]*)</script>')


def without_json_ld(html):
    """The page without its JSON-LD data blocks (never run), each checked to hold no markup:
    the regex stops at the first "<", so a block with one is left in and fails the check."""
    return JSON_LD.sub("", html)


def _unsafe_markup(html):
    """What a browser would run: script elements, handler attributes, javascript: URLs.

    Reads tags rather than raw text, because a story may legitimately *mention* the
    words "javascript:" or "onclick=" in its text, which is shown escaped and is harmless.
    """
    problems = []
    if "<script" in html.lower():
        problems.append("a <script tag")
    for tag, attrs in elements(html):
        if tag in {"script", "iframe", "style", "svg", "math", "form", "img"}:
            problems.append(f"a <{tag}> element")
        for name, value in attrs.items():
            if re.fullmatch(r"on\w+", name) or name == "style":
                problems.append(f"{name}= on <{tag}>")
            if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                problems.append(f"a javascript: URL in {name}= on <{tag}>")
    return problems


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=dangerous_bodies())
def test_no_dangerous_payload_survives_to_the_rendered_body(client, body):
    story = make_story()
    Story.objects.filter(pk=story.pk).update(body=body)

    page = content(client.get(story.get_absolute_url()))

    rendered = inner_html(page, "div", "story-body")
    assert _unsafe_markup(rendered) == [], rendered
    assert "<script" not in without_json_ld(page).lower()


def test_a_body_that_is_only_unsafe_markup_is_refused():
    story = make_story(body="<p>placeholder</p>")
    story.body = "<script>alert('x')</script><iframe src='https://evil.example/'></iframe>"

    with pytest.raises(ValidationError) as raised:
        story.full_clean()

    assert raised.value.message_dict["body"] == ["Write the story: the body has no text left."]
