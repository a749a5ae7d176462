from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from advocacy.withheld import OPEN_DATA, not_public

# The first letter of a GSS code names the nation it lies in.
NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


@not_public(OPEN_DATA)
class Parliament(models.Model):
    """A legislature a supporter can write to: the Commons, Holyrood, the Senedd, ..."""

    name = models.CharField(
        max_length=100, unique=True, help_text="As shown on the page, e.g. “House of Commons”."
    )
    slug = models.SlugField(unique=True, help_text="A short fixed name the site uses internally.")
    member_suffix = models.CharField(
        max_length=5,
        help_text="Letters after a member's name on the page: MP, MSP, MS, MLA or TD.",
    )
    member_title = models.CharField(
        max_length=100, help_text="One member, in words, e.g. “Member of the Senedd”."
    )
    member_title_plural = models.CharField(
        max_length=100, help_text="Several members, in words, e.g. “Members of the Senedd”."
    )
    multi_member_areas = models.BooleanField(
        "constituencies elect several members",
        default=False,
        help_text="Tick where each constituency elects several members, none of them “the” "
        "member (the Senedd): the page then lists them as equals, by party and list position.",
    )
    postal_address = models.TextField(
        help_text="Where to post a letter to any member; shown when we have no email address."
    )
    website = models.URLField(
        blank=True,
        help_text="The parliament's official “find your member” page, linked on the page.",
    )
    member_page_template = models.CharField(
        "member page address",
        max_length=200,
        blank=True,
        help_text="The address of a member's official page, with {official_id} where the "
        "member's id goes. Blank if the ids we hold are not the parliament's own.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order on the page: lower numbers first."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def member_page_url(self, official_id):
        if not (self.member_page_template and official_id):
            return ""
        return self.member_page_template.replace("{official_id}", official_id)


@not_public(OPEN_DATA)
class Area(models.Model):
    """A constituency or region that elects members of one parliament."""

    class Kind(models.TextChoices):
        CONSTITUENCY = "constituency", "Constituency"
        REGION = "region", "Region"

    parliament = models.ForeignKey(
        Parliament,
        on_delete=models.PROTECT,
        related_name="areas",
        help_text="The parliament whose members it elects; the page groups members by it.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.CONSTITUENCY,
        help_text="A constituency, or a region whose members are elected from party lists.",
    )
    name = models.CharField(max_length=150, help_text="As shown on the page.")
    code = models.CharField(
        "official code",
        max_length=20,
        help_text="The official (GSS) code, e.g. E14001172; the import and postcode tables "
        "match on it.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="constituencies",
        help_text="For a Scottish Parliament constituency: its region, whose members the "
        "page lists too.",
    )
    seats = models.PositiveSmallIntegerField(
        default=1,
        help_text="How many members it elects: 1 for most constituencies, 7 for a Scottish "
        "region, 6 for a Senedd constituency. Empty seats are shown as vacant.",
    )

    class Meta:
        ordering = ["parliament__position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parliament", "code"], name="area_code_unique_per_parliament"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="area_at_least_one_seat"),
            models.CheckConstraint(
                condition=Q(kind__in=["constituency", "region"]), name="area_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind="constituency"),
                name="area_only_constituencies_have_a_parent",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.parliament.member_suffix} {self.get_kind_display().lower()})"

    @property
    def nation(self):
        return NATIONS.get(self.code[:1], "")

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.kind != self.Kind.REGION or self.parent.parliament_id != self.parliament_id:
            raise ValidationError({"parent": "Choose a region of the same parliament."})
        if self.kind != self.Kind.CONSTITUENCY:
            raise ValidationError({"parent": "Only a constituency lies within a region."})
