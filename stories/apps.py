from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories and prayer"

    def ready(self):
        # Imported here: the checks read the models, which exist only once apps are ready.
        from core.checklist import register_content_check
        from core.search import register_search_source
        from stories.checks import CHECKS
        from stories.search import SOURCES

        for model, checks in CHECKS.items():
            for check in checks:
                register_content_check(check, [model])
        for source in SOURCES:
            register_search_source(source)
