from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class WithheldNameQuerySet(models.QuerySet):
    def for_owner(self, owner: models.Model):
        content_type = ContentType.objects.get_for_model(owner)
        return self.filter(content_type=content_type, object_id=owner.pk)


class WithheldName(models.Model):
    """A name or word that must never be published, kept only as a keyed hash of its words.

    There is deliberately no text column: see safeguarding.matching. The owner is the
    spokesperson or story it was recorded on, but the name is refused on every published page.
    """

    digest = models.CharField(
        max_length=64, db_index=True, help_text="HMAC-SHA256 of the canonical form, in hex."
    )
    length = models.PositiveSmallIntegerField(
        null=True,
        help_text="How many letters the canonical form has; empty for names recorded before "
        "canonical forms, whose digest is of their words.",
    )
    words = models.PositiveSmallIntegerField(help_text="How many words the name has.")
    key_id = models.CharField(
        max_length=16, help_text="Tells which key made the digest, to detect a changed key."
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WithheldNameQuerySet.as_manager()

    class Meta:
        db_table = "advocacy_withheldname"  # made when it lived in advocacy: see migration 0001
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "digest"], name="withheld_name_once_per_owner"
            ),
            models.CheckConstraint(condition=Q(words__gte=1), name="withheld_name_has_words"),
        ]

    def __str__(self):
        return f"withheld name {self.pk} ({self.words} words)"


class AllowedWord(models.Model):
    """A word a safeguarding reviewer has checked: it holds a withheld name only by chance
    (``Kimberley``), so it may be published. Kept, like the names, only as a keyed hash."""

    digest = models.CharField(
        max_length=64, unique=True, help_text="HMAC-SHA256 of the word's canonical form, in hex."
    )
    key_id = models.CharField(
        max_length=16, help_text="Tells which key made the digest, to detect a changed key."
    )
    allowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "advocacy_allowedword"  # made when it lived in advocacy: see migration 0001
        ordering = ["-created_at"]

    def __str__(self):
        return f"allowed word {self.pk}"
