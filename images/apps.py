from django.apps import AppConfig


class ImagesConfig(AppConfig):
    """Pictures: the upload pipeline, renditions and the picture template tags; no models."""

    name = "images"
    verbose_name = "Images"

    def ready(self):
        from core.takedown import register_take_down_hook
        from images.withdrawal import IMAGES_TAKE_DOWN

        register_take_down_hook(IMAGES_TAKE_DOWN)  # a taken-down item's pictures leave with it
