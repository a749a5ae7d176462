"""Publishing, shared by every app: a status, a publication time, and one rule for the public.

``published()`` is the one place that decides what the public may see. What may stop an item
being published (a withheld name, for one) is registered here by the app that knows it, so
this layer imports no app: see ``publish_refusals``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    SAFEGUARDING = "safeguarding", "Safeguarding review"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    """The one place that decides what the public may see."""

    def published(self, now=None):
        """``now``: a prepared read's parameter (core.prepared); otherwise the time now."""
        now = timezone.now() if now is None else now
        return self.filter(status=Status.PUBLISHED, published_at__lte=now)

    def scheduled(self):
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())


class Publishable(models.Model):
    """Status and publication time, read only through ``published()``."""

    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only “Published” items appear on the site, and only from the publication time.",
    )
    published_at = models.DateTimeField(
        "publication time",
        default=timezone.now,
        db_index=True,
        help_text="The date shown on the page. Set a future time to schedule publication.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    sensitive = models.BooleanField(
        default=False,
        help_text="Tick if this could identify a person at risk: a safeguarding reviewer must "
        "then approve each version before it goes on the site. Ticked for you when it shows a "
        "spokesperson whose name was changed or carries withheld names.",
    )
    approved_version = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="The digest of the public text a safeguarding reviewer approved.",
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last changed it in the admin: they may not approve that version.",
    )
    pending_revision = models.ForeignKey(
        "reversion.Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A change saved while it was on the site, waiting for a safeguarding "
        "reviewer's approval; the site shows the approved version until then.",
    )

    # Counts the public keeps (prayers, letters): bringing back a version never rewinds them.
    public_counts: tuple[str, ...] = ()
    # Times at which a published item goes on or off the site with nobody touching it: the
    # page cache keeps no page past the next of them (core.cache_version).
    scheduled_fields: tuple[str, ...] = ("published_at",)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def public_values(self) -> dict:
        """What the public sees of this item; its app says (the fields declared to the guard)."""
        raise NotImplementedError

    def needs_safeguarding(self) -> bool:
        """Whether a safeguarding reviewer must approve it; its app may know more reasons."""
        return self.sensitive

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def has_waiting_change(self) -> bool:
        """A change saved while published waits for approval (the live version stays up)."""
        return self.status == Status.PUBLISHED and self.pending_revision_id is not None


def has_status(model: type[models.Model]) -> bool:
    """True for models staff publish and take down (Publishable, and countries)."""
    return any(field.name == "status" for field in model._meta.fields)


def going_public(queryset: models.QuerySet) -> models.QuerySet:
    """What is on the site or will go on it unattended (scheduled items too); everything, for
    models that are public without a status."""
    if has_status(queryset.model):
        return queryset.filter(status=Status.PUBLISHED)
    return queryset


def publish_values(model: type[models.Model]) -> dict:
    """The field values that publish an item of ``model`` now."""
    values = {"status": Status.PUBLISHED}
    if any(field.name == "published_at" for field in model._meta.fields):
        values["published_at"] = timezone.now()
    return values


@dataclass(frozen=True)
class PublishCheck:
    """Something that may stop items being published, registered by the app that knows it.

    ``refused(queryset)`` returns the items it refuses, each with ``obj`` and a ``str()`` that
    says where; ``explanation`` tells staff why and what to do.
    """

    refused: Callable[[models.QuerySet], Iterable]
    explanation: str


_publish_checks: list[PublishCheck] = []


def register_publish_check(check: PublishCheck) -> None:
    """Called from an AppConfig.ready(); registering the same check twice keeps one."""
    if check not in _publish_checks:
        _publish_checks.append(check)


def publish_refusals(queryset: models.QuerySet) -> list[tuple[PublishCheck, list]]:
    """For each registered check that refuses something in ``queryset``: it and what it refuses."""
    found = [(check, list(check.refused(queryset))) for check in _publish_checks]
    return [(check, refused) for check, refused in found if refused]
