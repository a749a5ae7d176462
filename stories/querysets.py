from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    SAFEGUARDING = "safeguarding", "Safeguarding review"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    """The one place that decides what the public may see."""

    def published(self):
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())


class CountryQuerySet(models.QuerySet):
    """Countries are public unless taken down: they have a status but no publication time."""

    def published(self):
        return self.filter(status=Status.PUBLISHED)
