from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from campaigns.models import Campaign
from stories.models import Story, WatchListEntry
from stories.views import latest_watch_list_year, prayer_with_points

HOME_STORY_COUNT = 4
HOME_WATCH_LIST_COUNT = 10


class HomeView(TemplateView):
    template_name = "advocacy/home.html"

    def get_context_data(self, **kwargs):
        year = latest_watch_list_year()
        watch_list = WatchListEntry.objects.filter(year=year).select_related("country")
        return super().get_context_data(
            stories=Story.objects.published().prefetch_related("countries")[:HOME_STORY_COUNT],
            prayer_request=prayer_with_points().published().first(),
            campaign=Campaign.objects.live().first(),
            watch_list=watch_list[:HOME_WATCH_LIST_COUNT],
            watch_list_year=year,
            **kwargs,
        )


@never_cache
def health(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def robots_txt(request):
    """Crawlers may read everything public; the admin is not for them."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")
