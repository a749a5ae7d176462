from django.apps import AppConfig


class ImagesConfig(AppConfig):
    """Pictures: the upload pipeline, renditions and the picture template tags; no models."""

    name = "images"
    verbose_name = "Images"
