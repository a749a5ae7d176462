"""Site search: what stories registers with core.search, and the /search/ page.

The page lives here (DESIGN §3: stories holds feeds and search) but names no campaign:
campaigns registers its own source (campaigns/search.py), and the page asks core.search,
which runs whatever is registered.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.links import slug_url
from core.search import MAX_QUERY_LENGTH, SearchSource, query_terms, results, search
from stories.models import Country, PrayerRequest, Spokesperson, Story

RESULTS_PER_PAGE = 10

SOURCES = [
    SearchSource(
        kind="story",
        label=_("Story"),
        published=Story.objects.published,
        title="title",
        text=("standfirst", "body"),
        url=lambda slug: slug_url("stories:story_detail", slug),
    ),
    SearchSource(
        kind="prayer",
        label=_("Prayer"),
        published=PrayerRequest.objects.published,
        title="title",
        text=("introduction",),
        url=lambda slug: slug_url("stories:prayer_detail", slug),
    ),
    SearchSource(
        kind="country",
        label=_("Country"),
        published=Country.objects.published,
        title="name",
        text=("summary",),
        url=lambda slug: slug_url("stories:country_detail", slug),
        date=None,
    ),
    SearchSource(
        kind="spokesperson",
        label=_("Spokesperson"),
        published=Spokesperson.objects.published,
        title="name",
        text=("role", "biography"),
        url=lambda slug: slug_url("stories:spokesperson_detail", slug),
        name_changed="name_changed",
    ),
]


@require_safe
def search_page(request):
    """Results for ?q=, ten a page; an empty or over-long query gets a message, no search.
    (A query holding a NUL never gets here: advocacy.middleware answers 400 first.)"""
    query = request.GET.get("q", "").strip()
    context = {"query": query, "max_length": MAX_QUERY_LENGTH}
    if not query:
        context["problem"] = "empty"
    elif len(query) > MAX_QUERY_LENGTH:
        context["problem"] = "too_long"
    elif not query_terms(query):  # punctuation only: nothing to look for, on any database
        context["results"] = []
    else:
        page = Paginator(search(query), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(page_obj=page, results=results(page.object_list, query))
    return render(request, "stories/search_results.html", context)
