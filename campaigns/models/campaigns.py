from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from campaigns.models.parliaments import Parliament
from campaigns.models.representatives import Representative
from campaigns.reach.origins import validate_origins
from core.links import slug_url
from core.publishing import Publishable, PublishableQuerySet
from core.workflow import workflow_permissions
from safeguarding.guard import check_not_withheld, public_text
from safeguarding.sensitivity import Safeguarded
from stories.models import PrayerRequest, Spokesperson, Story


class CampaignQuerySet(PublishableQuerySet):
    def live(self):
        """Published, open, and not yet closed: the campaigns supporters can act on."""
        now = timezone.now()
        return self.published().filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))


@public_text(
    fields=(
        *("title", "slug", "summary", "ask", "why_it_matters", "thank_you_text", "share_text"),
        "embed_origins",  # sent in the embed page's Content-Security-Policy header
    ),
    private=("approved_version",),
    rows=("templates", "actions"),
)
class Campaign(Safeguarded, Publishable):
    """A parliamentary ask: its page, the letter it helps supporters write, its progress."""

    title = models.CharField(max_length=200, help_text="The campaign's headline.")
    slug = models.SlugField(
        unique=True,
        max_length=200,
        help_text="The end of the campaign's address, as in /campaigns/stop-forced-returns/. "
        "Filled in from the title.",
    )
    summary = models.TextField(
        max_length=600, help_text="One or two sentences under the title and on the list."
    )
    ask = models.TextField(
        "the ask",
        help_text="What we ask the members to do, in a sentence or two. Shown in a box "
        "beside the postcode form.",
    )
    why_it_matters = models.TextField(
        help_text="A few short paragraphs on the page; leave a blank line between paragraphs."
    )
    target_parliaments = models.ManyToManyField(
        Parliament,
        related_name="campaigns",
        help_text="Supporters write to their members of these parliaments. Each needs a "
        "letter template.",
    )
    goal = models.PositiveIntegerField(
        default=1000, help_text="How many letters we hope for; the progress bar counts up to it."
    )
    letter_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Letters written so far."
    )
    public_counts = ("letter_count",)
    scheduled_fields = ("published_at", "closes_at")
    closes_at = models.DateTimeField(
        "closes",
        null=True,
        blank=True,
        help_text="After this time the page stays up but takes no more letters. Blank: "
        "open until taken down.",
    )
    min_personal_percent = models.PositiveSmallIntegerField(
        "minimum personal text (%)",
        default=20,
        help_text="The share of a letter that must be the supporter's own words before we "
        "send it for them (“send it for me”). Letters they send themselves have no minimum.",
    )
    sending_paused = models.BooleanField(
        "sending paused",
        default=False,
        help_text="Tick to stop sending letters for supporters; confirmed letters wait, held, "
        "until you untick it and release them.",
    )
    embed_origins = models.TextField(
        "sites that may embed the postcode step",
        blank=True,
        validators=[validate_origins],
        help_text="Churches' and partners' sites that may show this campaign's postcode step "
        "in a frame on their pages (the campaign's address with embed/ added): one a line, as "
        "https://www.example.org. Blank: any site may.",
    )
    stories = models.ManyToManyField(
        Story,
        blank=True,
        related_name="campaigns",
        help_text="Linked from the campaign page; each story links back to the campaign.",
    )
    prayer_request = models.ForeignKey(
        PrayerRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        help_text="Its points are shown on the campaign page and the thank-you page.",
    )
    spokesperson = models.ForeignKey(
        Spokesperson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        help_text="Shown beside the ask, with their role.",
    )
    thank_you_text = models.TextField(
        help_text="Shown on the page a supporter sees after writing their letter."
    )
    share_text = models.CharField(
        max_length=200,
        help_text="The suggested words when a supporter shares the campaign.",
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("export_letters", "Can export supporters' letters"),
            *workflow_permissions("campaign"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_personal_percent__lte=100), name="campaign_min_personal_max_100"
            ),
            models.CheckConstraint(condition=Q(goal__gte=1), name="campaign_goal_at_least_one"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("campaigns:campaign_detail", self.slug)

    @property
    def is_open(self):
        return self.is_published and (self.closes_at is None or self.closes_at > timezone.now())

    @property
    def progress_percent(self):
        return min(100, round(100 * self.letter_count / self.goal)) if self.goal else 0

    def clean(self):
        if self.closes_at and self.published_at and self.closes_at <= self.published_at:
            raise ValidationError({"closes_at": "A campaign must close after it opens."})
        check_not_withheld(self)

    def needs_safeguarding(self):
        """Also when it shows a spokesperson whose name was changed."""
        named = self.spokesperson_id and self.spokesperson.name_changed
        return bool(named) or super().needs_safeguarding()


class IdList(models.Aggregate):
    """The ids a to-many relation joins, comma-separated: read with the rows, no prefetch."""

    function = "GROUP_CONCAT"  # SQLite's and MySQL's; a comma between ids by default
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s::text, ',')",
            **extra_context,
        )


class ParliamentaryActionQuerySet(models.QuerySet):
    def with_supporter_ids(self):
        """Each action with its supporters' ids in the same query (``supporter_pks``)."""
        return self.annotate(supporter_ids=IdList("supporters"))


@public_text(fields=("title", "reference", "tabled_by", "link"), shown_on="campaign")
class ParliamentaryAction(models.Model):
    """A motion, early day motion, debate or question the campaign tracks."""

    class Kind(models.TextChoices):
        MOTION = "motion", "Motion"
        EARLY_DAY_MOTION = "edm", "Early day motion"
        DEBATE = "debate", "Debate"
        QUESTION = "question", "Question"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="actions", help_text="The campaign."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MOTION)
    parliament = models.ForeignKey(
        Parliament,
        on_delete=models.PROTECT,
        related_name="actions",
        help_text="Where it was tabled or held.",
    )
    title = models.CharField(max_length=300, help_text="As shown on the campaign page.")
    reference = models.CharField(
        max_length=50,
        blank=True,
        help_text="The parliament's own reference, e.g. S6M-10836 or EDM 123. Blank if it "
        "has none yet.",
    )
    tabled_by = models.CharField(
        max_length=150,
        blank=True,
        help_text="Who tabled it, as shown on the page, e.g. “Kate Forbes MSP”.",
    )
    tabled_by_member = models.ForeignKey(
        Representative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tabled_actions",
        help_text="The member who tabled it, if they are in our list of representatives.",
    )
    date = models.DateField(null=True, blank=True, help_text="When it was tabled or held.")
    link = models.URLField(blank=True, help_text="Its page on the parliament's website.")
    supporters = models.ManyToManyField(
        Representative,
        blank=True,
        related_name="supported_actions",
        help_text="Members who have signed or spoken for it. They are sent the thank-you "
        "letter instead of the ask.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers first.")

    objects = ParliamentaryActionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return " ".join(part for part in (self.reference, self.title) if part)

    @property
    def supporter_pks(self) -> set[int]:
        """Its supporters' ids: read with the row by ``with_supporter_ids()``, else a query."""
        if "supporter_ids" not in self.__dict__:
            return set(self.supporters.values_list("pk", flat=True))
        return {int(pk) for pk in (self.supporter_ids or "").split(",") if pk}

    def clean(self):
        if self.campaign_id:  # public when its campaign is
            check_not_withheld(self)
