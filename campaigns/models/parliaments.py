from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone

from safeguarding.guard import OPEN_DATA, not_public

# The first letter of a GSS code names the nation it lies in.
NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}

# The five parliaments the site knows, by slug. Staff may edit them; the slugs stay fixed.
COMMONS = "house-of-commons"
HOLYROOD = "scottish-parliament"
SENEDD = "senedd"
NI_ASSEMBLY = "northern-ireland-assembly"
DAIL = "dail-eireann"

# Between the counties of a Dáil constituency, as the Electoral Commission's tables list them.
COUNTY_SEPARATOR = " / "

# Defaults for a fresh database (the data migration and the importer create what is missing;
# neither overwrites what staff have edited).
PARLIAMENTS = [
    {
        "slug": COMMONS,
        "name": "House of Commons",
        "member_suffix": "MP",
        "member_title": "Member of Parliament",
        "member_title_plural": "Members of Parliament",
        "multi_member_areas": False,
        "postal_address": "House of Commons\nLondon\nSW1A 0AA",
        "website": "https://members.parliament.uk/members/commons",
        "member_page_template": "https://members.parliament.uk/member/{official_id}/contact",
        "position": 1,
    },
    {
        "slug": HOLYROOD,
        "name": "Scottish Parliament",
        "member_suffix": "MSP",
        "member_title": "Member of the Scottish Parliament",
        "member_title_plural": "Members of the Scottish Parliament",
        "multi_member_areas": False,
        "postal_address": "The Scottish Parliament\nEdinburgh\nEH99 1SP",
        "website": "https://www.parliament.scot/msps/current-and-previous-msps",
        "member_page_template": "",
        "position": 2,
        # The election of 7 May 2026 began session 7: motions lodged since are S7M-…
        "session": 7,
        "session_began": date(2026, 5, 7),
    },
    {
        "slug": SENEDD,
        "name": "Senedd",
        "member_suffix": "MS",
        "member_title": "Member of the Senedd",
        "member_title_plural": "Members of the Senedd",
        "multi_member_areas": True,
        "postal_address": "Senedd Cymru – Welsh Parliament\nCardiff Bay\nCardiff\nCF99 1SN",
        "website": "https://senedd.wales/find-a-member-of-the-senedd/",
        "member_page_template": "",
        "position": 3,
    },
    {
        "slug": NI_ASSEMBLY,
        "name": "Northern Ireland Assembly",
        "member_suffix": "MLA",
        "member_title": "Member of the Legislative Assembly",
        "member_title_plural": "Members of the Legislative Assembly",
        "multi_member_areas": True,
        "postal_address": "Northern Ireland Assembly\nParliament Buildings\nBallymiscaw\n"
        "Stormont\nBelfast\nBT4 3XX",
        "website": "https://www.niassembly.gov.uk/your-mlas/",
        "member_page_template": "",
        "position": 4,
    },
    {
        "slug": DAIL,
        "name": "Dáil Éireann",
        "member_suffix": "TD",
        "member_title": "Teachta Dála",
        "member_title_plural": "Teachtaí Dála",
        "multi_member_areas": True,
        "time_zone": "Europe/Dublin",
        "postal_address": "Dáil Éireann\nLeinster House\nKildare Street\nDublin 2\nD02 XR20",
        "website": "https://www.oireachtas.ie/en/members/",
        "member_page_template": "https://www.oireachtas.ie/en/members/member/{official_id}/",
        "position": 5,
    },
]


def next_dissolution(now: datetime) -> datetime | None:
    """The start of the soonest day in the future on which a parliament is to be dissolved."""
    today = timezone.localdate(now)
    day = Parliament.objects.filter(dissolved_on__gt=today).aggregate(m=Min("dissolved_on"))["m"]
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


DEFAULT_TIME_ZONE = "Europe/London"


def validate_time_zone(name: str) -> None:
    """A name from the IANA time zone database, such as Europe/London."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"“{name}” is not a time zone we know: use a name like Europe/London or Europe/Dublin."
        ) from None


def ensure_parliaments(parliament_model):
    """Create any of the five that is missing; return them all by slug."""
    by_slug = {}
    for fields in PARLIAMENTS:
        defaults = {key: value for key, value in fields.items() if key != "slug"}
        by_slug[fields["slug"]], _ = parliament_model.objects.get_or_create(
            slug=fields["slug"], defaults=defaults
        )
    return by_slug


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
    time_zone = models.CharField(
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text="Where its members' offices are, e.g. Europe/London or Europe/Dublin: "
        "letters we send go in their office hours there, and supporters are told the time "
        "in it.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order on the page: lower numbers first."
    )
    session = models.PositiveSmallIntegerField(
        "current session",
        null=True,
        blank=True,
        help_text="The number of the session that began at the last election, where the "
        "parliament numbers its business by session: Holyrood's seventh began in May 2026, so "
        "its motions are S7M-…",
    )
    session_began = models.DateField(
        null=True, blank=True, help_text="The day of the election that began the current session."
    )
    dissolved_on = models.DateField(
        "dissolved on",
        null=True,
        blank=True,
        help_text="Set when the parliament is dissolved for an election: from this day none "
        "of its members is offered, and campaigns that write to it say so. The import clears "
        "it when it brings the members elected after it.",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def name_in_sentence(self) -> str:
        """“the Senedd”, “the House of Commons”; but “Dáil Éireann”, which takes no article."""
        return self.name if self.slug == DAIL else f"the {self.name}"

    def in_election(self, day: date | None = None) -> bool:
        """Dissolved by ``day`` (today if not given), and the new members not yet imported."""
        return self.dissolved_on is not None and self.dissolved_on <= (day or timezone.localdate())

    def session_of(self, day: date) -> int | None:
        """The number of the session a day falls in: the current one, or the one before it."""
        if self.session is None or self.session_began is None:
            return None
        return self.session if day >= self.session_began else self.session - 1

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

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
    counties = models.CharField(
        max_length=150,
        blank=True,
        help_text="For a Dáil constituency: the counties it lies in (wholly or in part), "
        "separated by “ / ”. The “find your TDs by county” list offers it under each.",
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

    @property
    def county_list(self):
        return [county.strip() for county in self.counties.split(COUNTY_SEPARATOR) if county]

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.kind != self.Kind.REGION or self.parent.parliament_id != self.parliament_id:
            raise ValidationError({"parent": "Choose a region of the same parliament."})
        if self.kind != self.Kind.CONSTITUENCY:
            raise ValidationError({"parent": "Only a constituency lies within a region."})
