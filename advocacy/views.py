import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import TemplateView

from campaigns.models import Campaign
from core.prepared import Prepared
from stories.models import PrayerRequest, Story
from stories.views import latest_watch_list, story_cards, with_country_names, with_points

logger = logging.getLogger(__name__)

HOME_STORY_COUNT = 4
HOME_WATCH_LIST_COUNT = 10
HEALTH_CACHE_SECONDS = 10


def home_watch_list():
    entries = latest_watch_list().public().select_related("country")
    entries = entries.only("year", "rank", "country__name", "country__slug")
    return entries[:HOME_WATCH_LIST_COUNT]


# The home page's reads, each row with only what the page shows of it (the rest is for the
# item's own page), compiled once a process (core.prepared).
HOME_STORIES = Prepared(lambda now: story_cards(Story.objects.published(now))[:HOME_STORY_COUNT])
HOME_PRAYER = Prepared(lambda now: PrayerRequest.objects.published(now).only("title", "slug"))
HOME_CAMPAIGN = Prepared(lambda now: Campaign.objects.live(now).only("title", "slug", "summary"))
HOME_WATCH_LIST = Prepared(home_watch_list)


class HomeView(TemplateView):
    template_name = "advocacy/home.html"
    template_engine = "jinja2"  # the public pages' engine: advocacy/jinja.py

    def get_context_data(self, **kwargs):
        now = timezone.now()
        watch_list = HOME_WATCH_LIST.rows()
        return super().get_context_data(
            stories=with_country_names(HOME_STORIES.rows(now=now)),
            prayer_request=with_points(HOME_PRAYER.first(now=now)),
            campaign=HOME_CAMPAIGN.first(now=now),
            watch_list=watch_list,
            watch_list_year=watch_list[0].year if watch_list else None,
            **kwargs,
        )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        logger.exception("Health check: the database did not answer")
        return False
    return True


def _cache_answers() -> bool:
    """A fresh key written and read back: a cache that is down or full says no."""
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=HEALTH_CACHE_SECONDS)
        answered = cache.get(key) == value
        cache.delete(key)
    except Exception:  # noqa: BLE001 - any cache failure means unhealthy
        logger.exception("Health check: the cache did not answer")
        return False
    return answered


@never_cache
@require_safe
def healthz(request):
    """For load balancers: 200 when the database and the cache answer, else 503.

    The answer names nothing (no error, host or backend): it is public.
    """
    if _database_answers() and _cache_answers():
        return JsonResponse({"status": "ok"})
    return JsonResponse({"status": "error"}, status=503)


@require_GET
def robots_txt(request):
    """Crawlers may read everything public; the admin is not for them."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")
