from django.db import models

from core.publishing import Status


class CountryQuerySet(models.QuerySet):
    """Countries are public unless taken down: they have a status but no publication time."""

    def published(self):
        return self.filter(status=Status.PUBLISHED)
