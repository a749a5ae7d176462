from django.apps import AppConfig

from core.panels import register_panel


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        # Imported here: the checks read the models, which exist only once apps are ready.
        from campaigns.checks import CAMPAIGN_CHECKS
        from campaigns.models import Campaign
        from campaigns.search import CAMPAIGN_SOURCE
        from core.checklist import register_content_check
        from core.search import register_search_source

        # The live campaigns that link a story, on the story's page.
        register_panel("story", "campaigns/includes/take_action.html")
        for check in CAMPAIGN_CHECKS:
            register_content_check(check, [Campaign])
        register_search_source(CAMPAIGN_SOURCE)
