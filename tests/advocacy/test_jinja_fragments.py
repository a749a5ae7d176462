"""Fragments both template engines render stay one fragment.

The public pages render on Jinja2 and every other page on Django's templates; what both show
(the page's frame, the head tags, shared includes) is kept in one copy for each engine, and
each pair must write the same markup for the same context, so the two never drift apart.
"""

import itertools
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import TemplateDoesNotExist, engines
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy
from markupsafe import escape

from campaigns.forms import PostcodeForm
from campaigns.models.parliaments import COMMONS, DAIL, HOLYROOD
from core.templatetags.form_fields import form_field, new_form_field
from tests.support.campaign_factories import make_campaign, parliament
from tests.support.factories import make_prayer_request
from tests.support.html import markup_tree

AWKWARD = 'Kim\'s "first" <b>day</b> & after'


def render_both(name, context, path="/stories/?utm_source=x"):
    """The fragment as Django's templates and as Jinja2 write it, for one request."""
    request = RequestFactory().get(path)
    return [
        engines[engine].get_template(name).render(dict(context), request)
        for engine in ("django", "jinja2")
    ]


def assert_same(name, context, **kwargs):
    django, jinja = render_both(name, context, **kwargs)
    assert markup_tree(jinja) == markup_tree(django)
    return jinja


@pytest.mark.parametrize(
    "context",
    [{}, {"preview": True}, {"preview": True, "preview_notice": AWKWARD}],
)
def test_the_page_frame(context):
    page = assert_same("base.html", context)
    assert 'rel="canonical"' in page


def test_a_listing_page_frame_keeps_its_own_choices():
    page = SimpleNamespace(number=2)
    country = SimpleNamespace(slug="syria")
    context = {"page_obj": page, "is_paginated": True, "current_country": country}
    assert "country=syria&amp;page=2" in assert_same("base.html", context)


PUBLISHED = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the clocks change at 01:00


@pytest.mark.parametrize(
    "context",
    [
        {},
        {"share_title": AWKWARD, "share_description": AWKWARD},
        {
            "share_type": "article",
            "share_title": AWKWARD,
            "share_image": "https://example.org/a.jpg?x=1&y=2",
            "share_image_alt": AWKWARD,
            "published": PUBLISHED,
            "modified": datetime(2026, 7, 1, 12, tzinfo=UTC),
        },
        {"share_title": "No alt", "share_image": "https://example.org/a.jpg"},
    ],
)
def test_the_share_tags(context):
    assert_same("includes/share_tags.html", context)


@pytest.mark.parametrize("heading", [None, AWKWARD])
def test_the_share_links(heading):
    context = {"title": AWKWARD, "url": "https://example.org/a b?c=d&e=é"}
    if heading:
        context["heading"] = heading
    assert_same("includes/share_links.html", context)


@pytest.mark.parametrize("number", [1, 2, 3])
@pytest.mark.parametrize("country", [None, SimpleNamespace(slug="syria")])
def test_the_pagination(number, country):
    page = Paginator(list(range(25)), 10).page(number)
    assert_same("includes/pagination.html", {"page_obj": page, "current_country": country})


def test_one_page_has_no_pagination():
    page = Paginator([1], 10).page(1)
    assert assert_same("includes/pagination.html", {"page_obj": page}).strip() == ""


class TickForm(forms.Form):
    agree = forms.BooleanField(label=AWKWARD, help_text=AWKWARD)


@pytest.mark.parametrize(
    "form",
    [
        PostcodeForm(),
        PostcodeForm({"postcode": "<not a postcode>"}),
        TickForm(),
        TickForm({}),
    ],
    ids=["postcode", "postcode-error", "tick", "tick-error"],
)
@pytest.mark.parametrize("label", [None, AWKWARD])
def test_a_form_field(form, label):
    """The Jinja2 pages write a field in Python (form_field), byte for byte the include."""
    field = next(iter(form))
    request = RequestFactory().get("/")
    django = engines["django"].get_template("includes/form_field.html")
    assert form_field(field, label) == django.render({"field": field, "label": label}, request)


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"))  # in Django's French catalogue


NEW_AND_USED_FORMS = [
    PostcodeForm,
    lambda: PostcodeForm({"postcode": "<not a postcode>"}),
    lambda: PostcodeForm(initial={"postcode": AWKWARD}),
    lambda: PostcodeForm(prefix="other"),
    lambda: PostcodeForm(auto_id="field-%s"),
    lambda: PostcodeForm(use_required_attribute=False),
    TickForm,
    lambda: TickForm({}),
    SearchForm,
]


@pytest.mark.parametrize("make_form", NEW_AND_USED_FORMS)
def test_a_new_form_field_written_once_is_the_include(make_form):
    """A new form's field is written once a process (new_form_field); what it writes is what
    Django's include writes for that form, whatever came first, in each language, for a label
    given as markup (as Jinja2's _() gives it, not escaped again) or as text (escaped)."""
    request = RequestFactory().get("/")
    django = engines["django"].get_template("includes/form_field.html")
    markup = escape(AWKWARD)
    labels = [None, AWKWARD, markup, str(markup)]
    for language, label in itertools.product(["en-gb", "fr"], labels):
        with translation.override(language):
            form = make_form()
            field = next(iter(form))
            expected = django.render({"field": field, "label": label}, request)
            assert new_form_field(form, field.name, label) == expected


@pytest.mark.parametrize("name_changed", [False, True])
def test_a_spokesperson_name_and_its_note(name_changed):
    person = SimpleNamespace(name=AWKWARD, name_changed=name_changed)
    assert_same("stories/includes/spokesperson_name.html", {"person": person})
    assert_same("safeguarding/name_changed_note.html", {"person": person})


@pytest.mark.django_db
def test_prayer_points():
    prayer = make_prayer_request(points=(AWKWARD, "Second"))
    assert_same("stories/includes/prayer_points.html", {"prayer_request": prayer})


@pytest.mark.parametrize("letters", [0, 1, 1234])
def test_the_progress(letters):
    campaign = SimpleNamespace(letter_count=letters, goal=2000, progress_percent=letters // 20)
    assert_same("campaigns/includes/progress.html", {"campaign": campaign})


@pytest.mark.django_db
@pytest.mark.parametrize("during", ["pause", "candidates"])
def test_the_election_notice(during):
    dissolved = parliament(HOLYROOD)
    dissolved.dissolved_on = datetime(2026, 3, 26, tzinfo=UTC).date()
    campaign = SimpleNamespace(during_election=during)
    context = {"parliaments": [parliament(COMMONS), dissolved], "campaign": campaign}
    assert "election-notice" in assert_same("campaigns/includes/election_notice.html", context)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "context",
    [
        {},
        {"source": AWKWARD, "label": AWKWARD},
        {"with_parliaments": True},
        {"with_parliaments": True, "dail": True},
        {"form": PostcodeForm({"postcode": "x"})},
    ],
)
def test_the_postcode_form(context):
    campaign = make_campaign(parliaments=(COMMONS, DAIL))
    context = {"campaign": campaign, "form": PostcodeForm(), **context}
    if context.pop("with_parliaments", False):
        context["parliaments"] = [parliament(COMMONS), parliament(DAIL)]
    page = assert_same("campaigns/includes/postcode_form.html", context)
    assert ("Dáil" in page) is not context.get("dail", False)


def test_the_booklet_offer():
    assert_same("campaigns/includes/booklet_offer.html", {})


def test_every_jinja2_template_escapes_what_it_shows():
    """Autoescaping is on, and no template marks text safe or turns escaping off: what is
    safe to write as it stands is made so in Python (format_html, the rich-text sanitiser)."""
    env = engines["jinja2"].env
    assert env.autoescape is True
    names = env.list_templates()
    assert "base.html" in names
    for name in names:
        source = env.loader.get_source(env, name)[0]
        for unsafe in ("|safe", "| safe", "autoescape", "Markup("):
            assert unsafe not in source, (name, unsafe)


@pytest.mark.parametrize("language", ["en-gb", "fr", "de", "en-gb"])
def test_jinja2_text_is_translated_by_djangos_catalogues(language):
    """Each language's own text, though each text is looked up once per language."""
    template = engines["jinja2"].from_string('{{ _("Search") }}|{{ _("Home") }}')
    with translation.override(language):
        expected = f"{translation.gettext('Search')}|{translation.gettext('Home')}"
        assert template.render({}) == expected
        # With a request, ``_`` is bound to the language once for the render (per_render).
        assert template.render({}, RequestFactory().get("/")) == expected
    if language == "fr":
        assert expected.startswith("Rechercher")


SHARED = {
    "base.html",
    "includes/share_tags.html",
    "includes/share_links.html",
    "includes/pagination.html",
    "stories/includes/prayer_points.html",
    "stories/includes/spokesperson_name.html",
    "safeguarding/name_changed_note.html",
    "campaigns/includes/progress.html",
    "campaigns/includes/election_notice.html",
    "campaigns/includes/postcode_form.html",
    "campaigns/includes/booklet_offer.html",
}


def test_every_fragment_both_engines_have_is_compared_here():
    """A template added to both engines joins SHARED with a test above; one only Jinja2
    renders has no Django copy left to drift."""
    in_both = set()
    for name in engines["jinja2"].env.list_templates():
        try:
            engines["django"].get_template(name)
        except TemplateDoesNotExist:
            continue
        in_both.add(name)
    assert in_both == SHARED
