"""A story's card on the lists (home, stories, a country, a spokesperson), in one call.

It was an ``{% include %}`` with a ``{% with %}``, a loop over the countries and a date: about
0.2 ms a card in template nodes, for a few lines of markup.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from core.templatetags.markup import time_element

register = template.Library()

CARD = """<article class="card">
  <h{level} class="card-title"><a href="{url}">{title}</a></h{level}>
  <p class="meta">{published}{countries}</p>
  <p>{standfirst}</p>
</article>
"""


@register.simple_tag
def story_card(story, heading_level="3"):
    """The card of ``story`` (read by stories.views.story_cards, its ``country_names`` by
    with_country_names). ``heading_level``: "2" where the cards sit right under the page's
    <h1>, else "3"."""
    names = story.country_names
    separators = [" · "] + [", "] * (len(names) - 1)  # after the date, then between names
    pairs = zip(separators, names, strict=False)  # no country: no separator either
    countries = "".join(f"{separator}{escape(name)}" for separator, name in pairs)
    # Escaped as format_html escapes (html.escape), without its wrappers: see core markup.
    card = CARD.format(
        level=escape(str(heading_level or "3")),
        url=escape(story.get_absolute_url()),
        title=escape(story.title),
        published=time_element(story.published_at),
        countries=countries,
        standfirst=escape(story.standfirst),
    )
    return mark_safe(card)  # noqa: S308 - every value above is escaped
