from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from advocacy import errors, schedule_views, views
from advocacy.sitemaps import SITEMAPS
from core.admin_waiting import waiting_page
from core.preview_views import share_preview
from stories.feeds import LatestStoriesFeed
from stories.search import search_page

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("health/", views.healthz, name="health"),  # the older address, for existing monitors
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("stories/feed/", LatestStoriesFeed(), name="story_feed"),
    path("search/", search_page, name="search"),
    path("preview/<str:token>/", share_preview, name="share_preview"),
    path(
        "admin/schedule/",
        admin.site.admin_view(schedule_views.schedule_page),
        name="admin_schedule",
    ),
    path(
        "admin/schedule/schedule.ics",
        admin.site.admin_view(schedule_views.schedule_calendar),
        name="admin_schedule_calendar",
    ),
    path("admin/waiting/", admin.site.admin_view(waiting_page), name="admin_waiting"),
    path("admin/", admin.site.urls),
    path("", include("stories.urls")),
    path("", include("campaigns.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
