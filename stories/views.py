from collections import defaultdict

from django.core.validators import slug_re
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from core import abuse
from core.views import GoneWhenTakenDownMixin, PublishedMixin, can_preview
from stories.models import (
    Country,
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


def with_country_names(stories) -> list[Story]:
    """The stories, each with ``country_names`` for its card: the names of its public
    countries, all the stories' in one query of (story, name) pairs. A prefetch of the
    countries built a model row for each and cost the list page 0.7 ms more."""
    stories = list(stories)
    names = defaultdict(list)
    if stories:  # no query for an empty page, as prefetch_related made none
        pairs = Country.objects.published().filter(stories__in=stories)
        for story_id, name in pairs.values_list("stories", "name"):  # in Country's order
            names[story_id].append(name)
    for story in stories:
        story.country_names = names[story.pk]
    return stories


def prayer_with_points():
    return PrayerRequest.objects.prefetch_related("points")  # in PrayerPoint.Meta.ordering


class StoryListView(ListView):
    template_name = "stories/story_list.html"
    template_engine = "jinja2"  # the public pages' engine: advocacy/jinja.py
    paginate_by = STORIES_PER_PAGE
    context_object_name = "stories"

    def get_queryset(self):
        stories = story_cards(Story.objects.published())
        self.country = None
        if slug := self.request.GET.get("country"):
            if not slug_re.fullmatch(slug):  # e.g. a NUL, which PostgreSQL would refuse
                raise Http404("No such country.")
            self.country = get_object_or_404(Country.objects.published(), slug=slug)
            stories = stories.filter(countries=self.country)
        return stories

    def get_context_data(self, **kwargs):
        # The published stories' countries as one list the database builds once: joining each
        # country to its stories and then DISTINCT had SQLite look up every (story, country)
        # pair, 2.4 ms at 200 stories against 0.6 ms.
        in_stories = Story.objects.published().values("countries")
        with_stories = Country.objects.published().filter(pk__in=in_stories)
        # (slug, name) pairs: the filter lists every country, and model rows cost 10x more.
        countries = with_stories.values_list("slug", "name")
        context = super().get_context_data(
            countries=countries, current_country=self.country, **kwargs
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


class StoryDetailView(PublishedMixin, DetailView):
    """A story's page. Its linked rows are read by plain queries on the story's id, each of
    the columns the page shows: prefetch_related's machinery and rows of every column cost
    more than the queries take to run."""

    model = Story
    template_name = "stories/story_detail.html"
    template_engine = "jinja2"  # the public pages' engine: advocacy/jinja.py

    def get_base_queryset(self):
        return Story.objects.select_related("prayer_request").only(*STORY_PAGE_FIELDS)

    def get_context_data(self, **kwargs):
        pull_quotes = self._pull_quotes()
        spokespeople = self._spokespeople()
        return super().get_context_data(
            countries=Country.objects.published()
            .filter(stories=self.object.pk)
            .only("name", "slug"),
            spokespeople=spokespeople,
            pull_quotes=pull_quotes,
            name_changed_people=name_changed_people(
                spokespeople, [quote.spokesperson for quote in pull_quotes]
            ),
            prayer_request=self._prayer_request(),
            **kwargs,
        )

    def _spokespeople(self):
        people = Spokesperson.objects.filter(stories=self.object.pk)
        return list(self.visible(people).only(*SPOKESPERSON_FIELDS, "biography"))

    def _pull_quotes(self):
        """Quotes by a spokesperson the public may not see yet stay hidden with them."""
        quotes = PullQuote.objects.filter(story=self.object.pk).select_related("spokesperson")
        speaker = (f"spokesperson__{name}" for name in SPOKESPERSON_FIELDS)
        return [
            quote
            for quote in quotes.only("text", "attribution", "spokesperson", *speaker)
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
