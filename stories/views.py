from collections import defaultdict

from django.core.validators import slug_re
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from core import abuse
from core.prepared import Pages, Prepared, prefetched
from core.views import GoneWhenTakenDownMixin, PublishedMixin, can_preview, published_by_slug
from stories.models import (
    Country,
    PrayerPoint,
    PrayerRequest,
    PullQuote,
    Spokesperson,
    Story,
    WatchListEntry,
    public_countries,
)
from stories.pseudonyms import name_changed_people

STORIES_PER_PAGE = 10


def latest_watch_list():
    """The entries of the latest year's list, in one query: the year is a subquery."""
    latest_year = WatchListEntry.objects.order_by("-year").values("year")[:1]
    return WatchListEntry.objects.filter(year=latest_year)


def story_cards(stories):
    """Stories as their cards show them (stories/templatetags/story_cards.py): no body, no
    picture, read for each card; the page itself is paid for by its own view. Their countries
    come with ``with_country_names``."""
    return stories.only("title", "slug", "standfirst", "published_at")


def country_names(stories: list[int]):
    """(story, name) pairs of the stories' public countries, in Country's order."""
    pairs = Country.objects.published().filter(stories__in=stories)
    return pairs.values_list("stories", "name")


# Compiled once a process and list length (core.prepared); longer lists are run by the ORM.
COUNTRY_NAMES = Prepared(country_names)
PRAYER_POINTS = Prepared(lambda prayer: PrayerPoint.objects.filter(prayer_request=prayer))


def with_country_names(stories) -> list[Story]:
    """The stories, each with ``country_names`` for its card: the names of its public
    countries, all the stories' in one query of (story, name) pairs. A prefetch of the
    countries built a model row for each and cost the list page 0.7 ms more."""
    stories = list(stories)
    names = defaultdict(list)
    # No query for an empty page (as prefetch_related made none): the read runs none.
    for story_id, name in COUNTRY_NAMES.rows(stories=[story.pk for story in stories]):
        names[story_id].append(name)
    for story in stories:
        story.country_names = names[story.pk]
    return stories


def prayer_with_points():
    return PrayerRequest.objects.prefetch_related("points")  # in PrayerPoint.Meta.ordering


def with_points(prayer: PrayerRequest | None) -> PrayerRequest | None:
    """The prayer request with its points read for prayer_points.html's loop, as
    prayer_with_points() would have them, without a prefetch's queryset."""
    if prayer is not None:
        prefetched(prayer, "points", PRAYER_POINTS.rows(prayer=prayer.pk))
    return prayer


def story_list(now, country: int | None):
    """The list's stories, as their cards show them, of one country or all."""
    stories = story_cards(Story.objects.published(now))
    return stories if country is None else stories.filter(countries=country)


def filter_countries(now):
    """The published stories' countries as one list the database builds once, for the filter.

    Joining each country to its stories and then DISTINCT had SQLite look up every (story,
    country) pair, 2.4 ms at 200 stories against 0.6 ms. (slug, name) pairs: the filter lists
    every country, and model rows cost 10x more."""
    in_stories = Story.objects.published(now).values("countries")
    with_stories = Country.objects.published().filter(pk__in=in_stories)
    return with_stories.values_list("slug", "name")


STORY_LIST = Prepared(story_list)
FILTER_COUNTRIES = Prepared(filter_countries)
COUNTRY = Prepared(lambda slug: Country.objects.published().filter(slug=slug))


class StoryListView(ListView):
    template_name = "stories/story_list.html"
    template_engine = "jinja2"  # the public pages' engine: advocacy/jinja.py
    paginate_by = STORIES_PER_PAGE
    context_object_name = "stories"

    def get_queryset(self):
        self.country = None
        if slug := self.request.GET.get("country"):
            if not slug_re.fullmatch(slug):  # e.g. a NUL, which PostgreSQL would refuse
                raise Http404("No such country.")
            self.country = COUNTRY.first(slug=slug)
            if self.country is None:
                raise Http404("No such country.")
        self.now = timezone.now()
        country = self.country.pk if self.country else None
        return Pages(STORY_LIST, now=self.now, country=country)  # counted, then one page read

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            countries=FILTER_COUNTRIES.rows(now=self.now), current_country=self.country, **kwargs
        )
        context["stories"] = with_country_names(context["stories"])
        return context


# What story_detail.html and its head tags show of a story, and what is_published needs; the
# linked prayer request only for its link and whether the public may see it.
PUBLISHED_FIELDS = ("status", "published_at")
STORY_PAGE_FIELDS = (
    *PUBLISHED_FIELDS,
    *("updated_at", "title", "slug", "standfirst", "body", "seo_title", "seo_description"),
    *("hero_image", "hero_width", "hero_height", "hero_decorative", "hero_alt"),
    *("hero_caption", "hero_credit", "prayer_request"),
    *(f"prayer_request__{name}" for name in (*PUBLISHED_FIELDS, "slug")),
)
# A spokesperson as the page's cards, quotes and footnote name them.
SPOKESPERSON_FIELDS = (*PUBLISHED_FIELDS, "name", "slug", "name_changed", "role")


def story_page():
    return Story.objects.select_related("prayer_request").only(*STORY_PAGE_FIELDS)


def story_spokespeople(story: int, now, public: bool):
    people = Spokesperson.objects.filter(stories=story).only(*SPOKESPERSON_FIELDS, "biography")
    return people.published(now) if public else people


def story_pull_quotes(story: int):
    quotes = PullQuote.objects.filter(story=story).select_related("spokesperson")
    speaker = (f"spokesperson__{name}" for name in SPOKESPERSON_FIELDS)
    return quotes.only("text", "attribution", "spokesperson", *speaker)


# The story page's reads, compiled once a process (core.prepared).
STORY_PAGE = published_by_slug(story_page)
STORY_COUNTRIES = Prepared(
    lambda story: Country.objects.published().filter(stories=story).only("name", "slug")
)
STORY_SPOKESPEOPLE = Prepared(story_spokespeople)
STORY_PULL_QUOTES = Prepared(story_pull_quotes)


class StoryDetailView(PublishedMixin, DetailView):
    """A story's page. Its linked rows are read by plain queries on the story's id, each of
    the columns the page shows: prefetch_related's machinery and rows of every column cost
    more than the queries take to run."""

    model = Story
    template_name = "stories/story_detail.html"
    template_engine = "jinja2"  # the public pages' engine: advocacy/jinja.py
    prepared_item = STORY_PAGE

    def get_base_queryset(self):
        return story_page()

    def get_context_data(self, **kwargs):
        pull_quotes = self._pull_quotes()
        spokespeople = STORY_SPOKESPEOPLE.rows(
            story=self.object.pk, now=timezone.now(), public=not can_preview(self.request)
        )
        return super().get_context_data(
            countries=STORY_COUNTRIES.rows(story=self.object.pk),
            spokespeople=spokespeople,
            pull_quotes=pull_quotes,
            name_changed_people=name_changed_people(
                spokespeople, [quote.spokesperson for quote in pull_quotes]
            ),
            prayer_request=with_points(self._prayer_request()),
            **kwargs,
        )

    def _pull_quotes(self):
        """Quotes by a spokesperson the public may not see yet stay hidden with them."""
        return [
            quote
            for quote in STORY_PULL_QUOTES.rows(story=self.object.pk)
            if quote.spokesperson is None
            or quote.spokesperson.is_published
            or can_preview(self.request)
        ]

    def _prayer_request(self):
        prayer = self.object.prayer_request
        if prayer and (prayer.is_published or can_preview(self.request)):
            return prayer
        return None


class SpokespersonDetailView(PublishedMixin, DetailView):
    model = Spokesperson
    template_name = "stories/spokesperson_detail.html"

    def get_context_data(self, **kwargs):
        stories = with_country_names(story_cards(self.object.stories.published()))
        return super().get_context_data(stories=stories, **kwargs)


class PrayerRequestListView(ListView):
    template_name = "stories/prayerrequest_list.html"
    context_object_name = "prayer_requests"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        return prayer_with_points().published()


class PrayerRequestDetailView(PublishedMixin, DetailView):
    model = PrayerRequest
    template_name = "stories/prayerrequest_detail.html"
    context_object_name = "prayer_request"

    def get_base_queryset(self):
        return prayer_with_points().prefetch_related(public_countries())

    def get_context_data(self, **kwargs):
        prayed = self.request.GET.get("prayed") == "1"
        stories = self.object.stories.published()
        return super().get_context_data(prayed=prayed, stories=stories, **kwargs)


@require_POST
def prayed(request, slug):
    """Count one prayer: an atomic increment, no personal data kept.

    A bot that fills the hidden field is thanked like anyone else, and counts nothing.
    """
    prayer = get_object_or_404(PrayerRequest.objects.published(), slug=slug)
    thanked = HttpResponseRedirect(prayer.get_absolute_url() + "?prayed=1")
    if abuse.honeypot_filled(request):
        return thanked
    if abuse.over_limit(request, abuse.PRAYED_LIMIT):
        return abuse.too_many_requests(
            request, abuse.PRAYED_LIMIT, back_url=prayer.get_absolute_url()
        )
    PrayerRequest.objects.filter(pk=prayer.pk).update(prayed_count=F("prayed_count") + 1)
    return thanked


class WatchListView(TemplateView):
    template_name = "stories/watchlistentry_list.html"

    def get_context_data(self, **kwargs):
        years = list(
            WatchListEntry.objects.order_by("-year").values_list("year", flat=True).distinct()
        )
        year = self._chosen_year(years)
        entries = WatchListEntry.objects.public().filter(year=year).select_related("country")
        return super().get_context_data(year=year, years=years, entries=entries, **kwargs)

    def _chosen_year(self, years):
        requested = self.request.GET.get("year", "")
        # isdigit() alone lets "²" through, which int() refuses.
        if requested.isascii() and requested.isdigit() and int(requested) in years:
            return int(requested)
        return years[0] if years else None


class CountryDetailView(GoneWhenTakenDownMixin, DetailView):
    model = Country
    template_name = "stories/country_detail.html"

    def get_queryset(self):
        countries = Country.objects.all()
        return countries if can_preview(self.request) else countries.published()

    def get_context_data(self, **kwargs):
        country = self.object
        entry = latest_watch_list().filter(country=country).first()
        stories = with_country_names(story_cards(country.stories.published())[:STORIES_PER_PAGE])
        prayer_requests = prayer_with_points().published().filter(countries=country)
        return super().get_context_data(
            entry=entry, stories=stories, prayer_requests=prayer_requests, **kwargs
        )
