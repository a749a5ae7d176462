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

    There is deliberately no text column: see advocacy.withheld. The owner is the spokesperson
    or story it was recorded on, but the name is refused on every published page.
    """

    digest = models.CharField(
        max_length=64, db_index=True, help_text="HMAC-SHA256 of the normalised words, in hex."
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
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "digest"], name="withheld_name_once_per_owner"
            ),
            models.CheckConstraint(condition=Q(words__gte=1), name="withheld_name_has_words"),
        ]

    def __str__(self):
        return f"withheld name {self.pk} ({self.words} words)"
