from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared bottom layer: no models, only what every app builds on."""

    name = "core"
    verbose_name = "Core"
