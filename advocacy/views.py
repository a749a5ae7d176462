import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import TemplateView

from campaigns.models import Campaign
from stories.models import Story
from stories.views import latest_watch_list, prayer_with_points, story_cards, with_country_names

logger = logging.getLogger(__name__)

HOME_STORY_COUNT = 4
HOME_WATCH_LIST_COUNT = 10
HEALTH_CACHE_SECONDS = 10


class HomeView(TemplateView):
    template_name = "advocacy/home.html"
    template_engine = "jinja2"  # the public pages' engine: advocacy/jinja.py

    def get_context_data(self, **kwargs):
        # Each row with only what the page shows of it: the rest is for the item's own page.
        watch_list = latest_watch_list().public().select_related("country")
        watch_list = watch_list.only("year", "rank", "country__name", "country__slug")
        watch_list = list(watch_list[:HOME_WATCH_LIST_COUNT])
        return super().get_context_data(
            stories=with_country_names(story_cards(Story.objects.published())[:HOME_STORY_COUNT]),
            prayer_request=prayer_with_points().published().only("title", "slug").first(),
            campaign=Campaign.objects.live().only("title", "slug", "summary").first(),
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
