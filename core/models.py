"""The publishing workflow's own records: its audit trail (every transition, who made it and
why), the redirects that keep old addresses working, and the links that share a preview with
someone without an account."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.publishing import Status


class TransitionQuerySet(models.QuerySet):
    def for_item(self, item: models.Model):
        content_type = ContentType.objects.get_for_model(item)
        return self.filter(content_type=content_type, object_id=item.pk)


class Transition(models.Model):
    """One step of an item through the workflow: from one status to another, by whom, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    name = models.CharField(max_length=40, help_text="What was done, as in “Submit for review”.")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="transitions",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    comment = models.TextField(blank=True, help_text="Why, in the words of whoever made it.")

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.name}: {self.from_status} → {self.to_status}"


class RedirectQuerySet(models.QuerySet):
    def for_item(self, item: models.Model):
        content_type = ContentType.objects.get_for_model(item)
        return self.filter(content_type=content_type, object_id=item.pk)


class Redirect(models.Model):
    """An old address that sends visitors on to an item's current address, whatever it is now.

    It points at the item, not at an address, so a later slug change never breaks it: every old
    address lands on the current one. It is followed only while the item is public
    (core.redirects).
    """

    old_path = models.CharField(
        "old address",
        max_length=300,
        unique=True,
        error_messages={"unique": "A redirect from this address already exists."},
        help_text="The address that no longer has a page, as in /stories/church-reopened/. "
        "Visitors to it are sent on to the page below, while that page is on the site.",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    automatic = models.BooleanField(
        "made automatically",
        default=False,
        editable=False,
        help_text="Made when the page's address changed; otherwise added by hand in the admin.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who added it by hand; empty for redirects made automatically.",
    )

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            # Stored as core.redirects.normal_path() makes it: the middleware compares exactly.
            models.CheckConstraint(
                condition=Q(old_path__startswith="/", old_path__endswith="/")
                & ~Q(old_path__contains="?")
                & ~Q(old_path__contains="#"),
                name="redirect_old_path_normalised",
            ),
        ]

    def __str__(self):
        return self.old_path

    def clean(self):
        target = self.target if self.content_type_id else None
        if target is not None and target.get_absolute_url() == self.old_path:
            raise ValidationError({"old_path": "This is the page's own address: it would loop."})


def share_preview_expiry():
    """When a new share-preview link stops working: ``SHARE_PREVIEW_HOURS`` from now."""
    return timezone.now() + timedelta(hours=settings.SHARE_PREVIEW_HOURS)


class SharePreviewQuerySet(models.QuerySet):
    def for_item(self, item: models.Model):
        content_type = ContentType.objects.get_for_model(item)
        return self.filter(content_type=content_type, object_id=item.pk)

    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(revoked_at__isnull=True, expires_at__lte=timezone.now())

    def revoked(self):
        return self.filter(revoked_at__isnull=False)


class SharePreview(models.Model):
    """A link that shows one saved version of an item to someone without an account.

    Only a hash of the link's token is kept: the link itself is shown once, to whoever made it.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The saved version the link shows, whatever is edited later.",
    )
    digest = models.CharField(
        max_length=64,
        editable=False,
        help_text="A digest of the public text shared: if that version is changed later "
        "(a withheld name taken out of it), the link stops working.",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made the link. Only their first name is shown on the preview.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(
        default=share_preview_expiry, help_text="After this the link shows an “expired” page."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SharePreviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "share-preview link"

    def __str__(self):
        return f"Share-preview link {self.pk} ({self.status})"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"


class ContentVersion(models.Model):
    """One row: the content version when the page cache is in each process's memory.

    See ``core.cache_version``: every process reads it with one primary-key query per page.
    """

    value = models.CharField(max_length=32)
    # When something scheduled goes on or off the site (seconds since the epoch); null: nothing.
    next_change = models.FloatField(null=True)

    def __str__(self):
        return f"content version {self.value}"
