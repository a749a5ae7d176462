from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared bottom layer: what every app builds on, and the workflow's audit trail."""

    name = "core"
    verbose_name = "Core"
