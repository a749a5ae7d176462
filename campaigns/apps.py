from django.apps import AppConfig

from core.panels import register_panel


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        # The live campaigns that link a story, on the story's page.
        register_panel("story", "campaigns/includes/take_action.html")
