from django.apps import AppConfig

from core.panels import register_panel


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        # Imported here: the checks read the models, which exist only once apps are ready.
        from anymail.signals import tracking

        from campaigns.checks import CAMPAIGN_CHECKS
        from campaigns.delivery.bounces import tracking_received
        from campaigns.models import Campaign
        from campaigns.models.parliaments import next_dissolution
        from campaigns.search import CAMPAIGN_SOURCE
        from core.cache_version import register_scheduled_moments
        from core.checklist import register_content_check
        from core.search import register_search_source

        # Campaign pages say a parliament is dissolved from the morning it is.
        register_scheduled_moments(next_dissolution)
        # The live campaigns that link a story, on the story's page.
        register_panel("story", "campaigns/includes/take_action.html")
        # The free World Watch List booklet, offered where readers meet the list.
        for page in ("story", "watch_list", "home"):
            register_panel(page, "campaigns/includes/booklet_offer.html")
        for check in CAMPAIGN_CHECKS:
            register_content_check(check, [Campaign])
        # Bounces, rejections and complaints from the mail service's webhooks.
        tracking.connect(tracking_received, dispatch_uid="campaigns.delivery.bounces")
        register_search_source(CAMPAIGN_SOURCE)
