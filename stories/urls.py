from django.urls import path

from stories import views

app_name = "stories"

urlpatterns = [
    path("stories/", views.StoryListView.as_view(), name="story_list"),
    path("stories/<slug:slug>/", views.StoryDetailView.as_view(), name="story_detail"),
    path(
        "spokespeople/<slug:slug>/",
        views.SpokespersonDetailView.as_view(),
        name="spokesperson_detail",
    ),
    path("pray/", views.PrayerRequestListView.as_view(), name="prayer_list"),
    path("pray/<slug:slug>/", views.PrayerRequestDetailView.as_view(), name="prayer_detail"),
    path("pray/<slug:slug>/prayed/", views.prayed, name="prayed"),
    path("world-watch-list/", views.WatchListView.as_view(), name="watch_list"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country_detail"),
]
