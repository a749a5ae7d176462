"""The story card tag writes what the card's template wrote, byte for byte, and names the
same countries from ``with_country_names`` as the template from the story's countries."""

import pytest
from django.template import Context, Template
from hypothesis import given, settings
from hypothesis.extra.django import TestCase

from stories.models import Story
from stories.views import story_cards, with_country_names
from tests.support.factories import make_country, make_story
from tests.support.strategies import text_without_surrogates

# stories/includes/story_card.html, as it was before the tag wrote it.
CARD_TEMPLATE = """{% load markup %}<article class="card">
  {% with level=heading_level|default:"3" %}<h{{ level }} class="card-title"><a href="{{ story.get_absolute_url }}">{{ story.title }}</a></h{{ level }}>{% endwith %}
  <p class="meta">{% time_element story.published_at %}{% for country in story.countries.all %}{% if forloop.first %} · {% else %}, {% endif %}{{ country.name }}{% endfor %}</p>
  <p>{{ story.standfirst }}</p>
</article>
"""  # noqa: E501


def card(story, heading_level=None) -> str:
    level = f' "{heading_level}"' if heading_level else ""
    source = f"{{% load story_cards %}}{{% story_card story{level} %}}"
    return Template(source).render(Context({"story": story}))


def template_card(story, heading_level=None) -> str:
    return Template(CARD_TEMPLATE).render(Context({"story": story, "heading_level": heading_level}))


@pytest.mark.django_db
@pytest.mark.parametrize("heading_level", [None, "2"])
@pytest.mark.parametrize("country_names", [[], ["Eritrea"], ["Nigeria", "Niger & <Chad>"]])
def test_card_is_the_templates(heading_level, country_names):
    countries = [make_country(name=name) for name in country_names]
    story = make_story(countries=countries, title='A "quoted" <title> & more', standfirst="<b>x")
    [story] = with_country_names(story_cards(Story.objects.filter(pk=story.pk)))
    assert card(story, heading_level) == template_card(story, heading_level)
    assert "&lt;title&gt; &amp; more" in card(story)


class TestAnyText(TestCase):
    @settings(max_examples=25, deadline=None)
    # No NUL: the site refuses it at the door (UnreadableInputMiddleware) and PostgreSQL's text
    # cannot hold it, so the factory's insert failed there whenever one was drawn.
    @given(
        title=text_without_surrogates(max_size=40, exclude_characters="\x00"),
        standfirst=text_without_surrogates(exclude_characters="\x00"),
    )
    def test_any_title_and_standfirst(self, title, standfirst):
        story = make_story(title=title.strip() or "A title", standfirst=standfirst)
        [story] = with_country_names([story])
        assert card(story) == template_card(story)


@pytest.mark.django_db
def test_cards_name_only_public_countries_in_name_order():
    shown, hidden = make_country(name="Yemen"), make_country(name="Algeria", status="draft")
    story = make_story(countries=[shown, make_country(name="Libya"), hidden])
    [story] = with_country_names([story])
    assert story.country_names == ["Libya", "Yemen"]
