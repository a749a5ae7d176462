from django.urls import path

from campaigns.replies import views as replies
from campaigns.views import (
    booklets,
    campaigns,
    candidates,
    confirm,
    embed,
    letters,
    privacy,
    representatives,
    webhooks,
)

app_name = "campaigns"

urlpatterns = [
    path("representatives/", representatives.representatives, name="representatives"),
    path(
        "representatives/ireland/",
        representatives.representatives_ireland,
        name="representatives_ireland",
    ),
    path("about/data/", representatives.AboutDataView.as_view(), name="about_data"),
    path("privacy/", privacy.PrivacyView.as_view(), name="privacy"),
    path("campaigns/", campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/<slug:slug>/", campaigns.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<slug:slug>/embed/", embed.embed, name="embed"),
    path("campaigns/<slug:slug>/write/", letters.write, name="write"),
    path("campaigns/<slug:slug>/write/letter/", letters.compose, name="compose"),
    path(
        "campaigns/<slug:slug>/write/candidates/",
        candidates.write_candidates,
        name="write_candidates",
    ),
    path("campaigns/<slug:slug>/letters/<str:token>/", letters.letters, name="letters"),
    path(
        "campaigns/<slug:slug>/letters/<str:token>/print/",
        letters.letters_print,
        name="letters_print",
    ),
    path("campaigns/<slug:slug>/thank-you/", letters.thank_you, name="thank_you"),
    path("world-watch-list/booklet/", booklets.booklet_order, name="booklet"),
    path(
        "world-watch-list/booklet/thank-you/",
        booklets.booklet_thank_you,
        name="booklet_thank_you",
    ),
    path("letters/confirm/<str:token>/", confirm.confirm, name="confirm"),
    path("letters/reply/<str:token>/", replies.reply, name="reply"),
    # Where django-anymail's documentation puts them, so a service's set-up guide reads true.
    path(
        "anymail/<slug:service>/tracking/",
        webhooks.tracking_webhook,
        name="mail_service_tracking",
    ),
]
