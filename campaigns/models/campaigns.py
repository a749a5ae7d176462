import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from campaigns.models.parliaments import HOLYROOD, Parliament
from campaigns.models.representatives import Representative
from campaigns.reach.origins import validate_origins
from core.links import slug_url
from core.publishing import Publishable, PublishableQuerySet
from core.workflow import workflow_permissions
from safeguarding.guard import check_not_withheld, public_text
from safeguarding.sensitivity import Safeguarded
from stories.models import PrayerRequest, Spokesperson, Story


# A new campaign's pacing, from settings (LETTERS_PER_MEMBER_PER_HOUR, ...): functions, so a
# deployment's settings apply to campaigns made after they change, not to the migration.
def default_letters_per_hour() -> int:
    return settings.LETTERS_PER_MEMBER_PER_HOUR


def default_office_opens() -> int:
    return settings.LETTERS_OFFICE_OPENS


def default_office_closes() -> int:
    return settings.LETTERS_OFFICE_CLOSES


def default_send_at_weekends() -> bool:
    return settings.LETTERS_SEND_AT_WEEKENDS


OPENING_HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]
CLOSING_HOURS = [(hour, f"{hour:02d}:00") for hour in range(1, 24)] + [(24, "24:00 (midnight)")]
MOST_LETTERS_PER_HOUR = 500


class CampaignQuerySet(PublishableQuerySet):
    def live(self, now=None):
        """Published, open, and not yet closed: the campaigns supporters can act on."""
        now = timezone.now() if now is None else now
        return self.published(now).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))


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

    class DuringElection(models.TextChoices):
        PAUSE = "pause", "Pause letters to it, and say when to come back"
        CANDIDATES = "candidates", "Offer a printed letter to the candidates"

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
    during_election = models.CharField(
        "while a parliament is dissolved",
        max_length=20,
        choices=DuringElection.choices,
        default=DuringElection.PAUSE,
        help_text="What the campaign offers where a parliament it writes to is dissolved for "
        "an election, until the new members are imported.",
    )
    letters_per_hour = models.PositiveSmallIntegerField(
        "letters per member per hour",
        default=default_letters_per_hour,
        validators=[MinValueValidator(1), MaxValueValidator(MOST_LETTERS_PER_HOUR)],
        help_text="The most letters we send for supporters to any one member in an hour; the "
        "rest wait their turn, in order, and each supporter is told when theirs will go. "
        "A burst of identical mail gets our sending domain marked as spam.",
    )
    office_opens = models.PositiveSmallIntegerField(
        "send from",
        choices=OPENING_HOURS,
        default=default_office_opens,
        help_text="Letters go to members from this hour, in their parliament's time zone.",
    )
    office_closes = models.PositiveSmallIntegerField(
        "send until",
        choices=CLOSING_HOURS,
        default=default_office_closes,
        help_text="…and until this hour; letters confirmed later wait for the next day.",
    )
    send_at_weekends = models.BooleanField(
        default=default_send_at_weekends,
        help_text="Tick to send on Saturdays and Sundays too; otherwise weekend letters wait "
        "for Monday.",
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
            models.CheckConstraint(
                condition=Q(letters_per_hour__gte=1, letters_per_hour__lte=MOST_LETTERS_PER_HOUR),
                name="campaign_letters_per_hour_in_range",
            ),
            models.CheckConstraint(
                condition=Q(office_opens__lt=models.F("office_closes"), office_closes__lte=24),
                name="campaign_office_opens_before_it_closes",
            ),
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
        opens, closes = self.office_opens, self.office_closes
        if opens is not None and closes is not None and opens >= closes:
            message = "Choose an hour after “send from”: letters need at least an hour a day."
            raise ValidationError({"office_closes": message})
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


# Holyrood numbers business by session: S7M-01234 is motion 1234 of session 7 (W, O, F and T
# are questions). An amendment adds a point and a number.
HOLYROOD_REFERENCE = re.compile(r"S(?P<session>\d{1,2})(?P<business>[MWOFTG])-\d{5}(\.\d+)?")
HOLYROOD_REFERENCE_HELP = (
    "Write the Scottish Parliament's reference as it publishes it: S, the session, M for a "
    "motion (W, O, F or T for a question), then five digits, e.g. S7M-01234 for a motion "
    "lodged in the session that began in May 2026."
)


def holyrood_session(reference: str) -> int | None:
    """The session a Holyrood reference belongs to, or None if it is not one."""
    match = HOLYROOD_REFERENCE.fullmatch(reference.strip())
    return int(match["session"]) if match else None


def earlier_session(session: int | None, current: int | None) -> bool:
    """Of a session before the parliament's current one: history, no longer signable."""
    return None not in (session, current) and session < current


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
        help_text="The parliament's own reference, e.g. S7M-01234 or EDM 123. Blank if it "
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
    session = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The parliament's session it belongs to, where the parliament numbers them "
        "(Holyrood: 6 for 2021–26, 7 since May 2026). Filled from the reference or the date "
        "if blank; one from an earlier session is shown as history.",
    )
    link = models.URLField(blank=True, help_text="Its page on the parliament's website.")
    supporters = models.ManyToManyField(
        Representative,
        blank=True,
        related_name="supported_actions",
        through="campaigns.ActionSupport",
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

    @property
    def from_earlier_session(self) -> bool:
        return earlier_session(self.session, self.parliament.session)

    def clean(self):
        if self.campaign_id:  # public when its campaign is
            check_not_withheld(self)
        if self.parliament_id and self.parliament.slug == HOLYROOD and self.reference:
            self._check_holyrood_reference()
        if self.parliament_id:
            self._fill_session()

    def _fill_session(self):
        """The session from the reference or the date, where staff left it blank."""
        if self.parliament.slug == HOLYROOD and (number := holyrood_session(self.reference)):
            derived = number
        else:
            derived = self.parliament.session_of(self.date) if self.date else None
        if self.session is None:
            self.session = derived
        elif derived is not None and self.session != derived:
            message = f"Its reference or date says session {derived}."
            raise ValidationError({"session": message})

    def _check_holyrood_reference(self):
        """S7M-01234: the session, the kind of business and the number, as Holyrood writes them."""
        match = HOLYROOD_REFERENCE.fullmatch(self.reference.strip())
        if match is None or (self.kind == self.Kind.MOTION and match["business"] != "M"):
            raise ValidationError({"reference": HOLYROOD_REFERENCE_HELP})
        number, current = int(match["session"]), self.parliament.session
        sitting = self.parliament.session_of(self.date) if self.date else None
        if sitting is not None and number != sitting:
            message = f"{self.reference} is from session {number}, but on "
            message += f"{self.date:%-d %B %Y} session {sitting} was sitting."
            raise ValidationError({"reference": message})
        if current is not None and number > current:
            message = f"Session {number} has not begun: the current session is {current}."
            raise ValidationError({"reference": message})
