from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.html import strip_tags
from django_prose_editor.fields import ProseEditorField

from core.links import slug_url
from core.publishing import Publishable, Status
from core.rich_text import RICH_TEXT_EXTENSIONS, sanitize_html
from core.workflow import workflow_permissions
from images.fields import CleanImageField
from safeguarding.guard import check_not_withheld, public_text
from safeguarding.sensitivity import Safeguarded
from stories.querysets import CountryQuerySet

WATCH_LIST_SIZE = 50


@public_text(fields=("name", "slug", "summary"), private=("iso_code",))
class Country(models.Model):
    name = models.CharField(max_length=100, unique=True, help_text="As shown on the site.")
    slug = models.SlugField(
        unique=True,
        help_text="The end of the country page's address, as in /countries/north-korea/.",
    )
    iso_code = models.CharField(
        "ISO code",
        max_length=2,
        unique=True,
        help_text="Two-letter ISO 3166 code, for example KP for North Korea.",
    )
    summary = models.TextField(
        blank=True, help_text="A short paragraph at the top of the country page."
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.PUBLISHED,
        db_index=True,
        help_text="Only “Published” countries have a page and appear on stories and the World "
        "Watch List. Recording a withheld name that the country's text holds sends it back to "
        "safeguarding review.",
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("stories:country_detail", self.slug)

    def clean(self):
        self.iso_code = self.iso_code.upper()
        check_not_withheld(self)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED


def public_countries(lookup: str = "countries") -> Prefetch:
    """The countries of stories or prayer requests, as the public may see them: named and
    linked (their other columns are for the country's own page)."""
    return Prefetch(lookup, queryset=Country.objects.published().only("name", "slug"))


class WatchListEntryQuerySet(models.QuerySet):
    def public(self):
        """Entries whose country the public may see."""
        return self.filter(country__status=Status.PUBLISHED)


@public_text(fields=(), shown_on="country")
class WatchListEntry(models.Model):
    class Level(models.TextChoices):
        EXTREME = "extreme", "Extreme"
        VERY_HIGH = "very_high", "Very high"
        HIGH = "high", "High"

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="watch_list")
    year = models.PositiveIntegerField(help_text="The edition of the World Watch List.")
    rank = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(WATCH_LIST_SIZE)],
        help_text="1 is the country where Christians face the most persecution.",
    )
    score = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)], help_text="Persecution score out of 100."
    )
    level = models.CharField(max_length=20, choices=Level.choices)

    objects = WatchListEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "rank"]
        verbose_name = "World Watch List entry"
        verbose_name_plural = "World Watch List entries"
        constraints = [
            models.UniqueConstraint(fields=["year", "rank"], name="watch_list_one_rank_per_year"),
            models.UniqueConstraint(
                fields=["year", "country"], name="watch_list_one_entry_per_country_year"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=WATCH_LIST_SIZE), name="watch_list_rank_1_to_50"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="watch_list_score_max_100"),
        ]

    def __str__(self):
        return f"{self.year} #{self.rank} {self.country}"


@public_text(
    fields=(
        "name",
        "slug",
        "role",
        "biography",
        "photo",
        "photo_alt",
        "photo_caption",
        "photo_credit",
    ),
    private=("approved_version",),
)
class Spokesperson(Safeguarded, Publishable):
    name = models.CharField(
        "public name",
        max_length=120,
        help_text="The name printed on the site. For someone at risk, use their pseudonym.",
    )
    slug = models.SlugField(
        unique=True, help_text="The end of their page's address, as in /spokespeople/timothy-cho/."
    )
    name_changed = models.BooleanField(
        default=False,
        help_text="Tick if the public name is a pseudonym: every page then marks the name "
        "and adds “name changed for security reasons”.",
    )
    role = models.CharField(
        max_length=200, blank=True, help_text="One line under the name, for example their title."
    )
    biography = models.TextField(
        blank=True, help_text="Shown on their page and, shortened, on the stories they speak in."
    )
    photo = CleanImageField(
        upload_to="spokespeople/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text="A portrait. Location and camera data are removed on upload.",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_decorative = models.BooleanField(
        "decorative photo",
        default=False,
        help_text="Tick only if the photo adds nothing to the words: screen readers skip it "
        "and no description is needed.",
    )
    photo_alt = models.CharField(
        "photo description",
        max_length=250,
        blank=True,
        help_text="Describes the photo for people who cannot see it.",
    )
    photo_caption = models.CharField(
        "photo caption", max_length=300, blank=True, help_text="Shown under the photo."
    )
    photo_credit = models.CharField(
        "photo credit", max_length=200, blank=True, help_text="Shown after the caption."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "spokespeople"
        permissions = workflow_permissions("spokesperson")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("stories:spokesperson_detail", self.slug)

    def clean(self):
        if self.photo and not self.photo_alt and not self.photo_decorative:
            raise ValidationError({"photo_alt": "Describe the photo for people who cannot see it."})
        check_not_withheld(self)

    def needs_safeguarding(self):
        return self.name_changed or super().needs_safeguarding()


@public_text(
    fields=("title", "slug", "introduction"), private=("approved_version",), rows=("points",)
)
class PrayerRequest(Safeguarded, Publishable):
    title = models.CharField(max_length=200, help_text="The heading of the prayer page.")
    slug = models.SlugField(
        unique=True, help_text="The end of the prayer page's address, as in /pray/north-korea/."
    )
    introduction = models.TextField(
        blank=True, help_text="A short paragraph above the prayer points."
    )
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="prayer_requests",
        help_text="The prayer request also appears on these countries' pages.",
    )
    prayed_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="How many times supporters pressed “I prayed”."
    )
    public_counts = ("prayed_count",)

    class Meta:
        ordering = ["-published_at"]
        permissions = workflow_permissions("prayer request")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("stories:prayer_detail", self.slug)

    def clean(self):
        check_not_withheld(self)


@public_text(fields=("text",), shown_on="prayer_request")
class PrayerPoint(models.Model):
    prayer_request = models.ForeignKey(
        PrayerRequest, on_delete=models.CASCADE, related_name="points"
    )
    text = models.TextField(help_text="One thing to pray for, shown as a bullet point.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]

    def clean(self):
        if self.prayer_request_id:  # public when its prayer request is
            check_not_withheld(self)


@public_text(
    fields=(
        "title",
        "slug",
        "standfirst",
        "body",
        "hero_image",
        "hero_alt",
        "hero_caption",
        "hero_credit",
        "seo_title",
        "seo_description",
    ),
    private=("approved_version",),
    rows=("pull_quotes",),
)
class Story(Safeguarded, Publishable):
    title = models.CharField(max_length=200, help_text="The headline.")
    slug = models.SlugField(
        unique=True,
        max_length=200,
        help_text="The end of the story's address, as in /stories/church-reopens/. "
        "Filled in from the headline.",
    )
    standfirst = models.TextField(
        max_length=600, help_text="One or two sentences under the headline and on story lists."
    )
    body = ProseEditorField(
        extensions=RICH_TEXT_EXTENSIONS,
        sanitize=sanitize_html,
        help_text="The story. Use “Heading” for sub-headings; scripts and styling are removed.",
    )
    hero_image = CleanImageField(
        upload_to="stories/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
        help_text="The large picture at the top. Location and camera data are removed on upload.",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_decorative = models.BooleanField(
        "decorative picture",
        default=False,
        help_text="Tick only if the picture adds nothing to the words (a texture or pattern): "
        "screen readers skip it and no description is needed.",
    )
    hero_alt = models.CharField(
        "image description",
        max_length=250,
        blank=True,
        help_text="Describes the picture for people who cannot see it (required with an image).",
    )
    hero_caption = models.CharField(
        "image caption", max_length=300, blank=True, help_text="Shown under the picture."
    )
    hero_credit = models.CharField(
        "image credit", max_length=200, blank=True, help_text="Shown after the caption."
    )
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="stories",
        help_text="The story is listed on these countries' pages and under the country filter.",
    )
    spokespeople = models.ManyToManyField(
        Spokesperson,
        blank=True,
        related_name="stories",
        help_text="Each gets a card on the story and lists the story on their page.",
    )
    prayer_request = models.ForeignKey(
        PrayerRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        help_text="Its points appear in the story's “Please pray” box.",
    )
    seo_title = models.CharField(
        max_length=70, blank=True, help_text="Title for search engines; the headline if empty."
    )
    seo_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="Summary for search engines and shared links; the standfirst if empty.",
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "stories"
        permissions = workflow_permissions("story")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("stories:story_detail", self.slug)

    def clean(self):
        if not strip_tags(self.body).strip():
            raise ValidationError({"body": "Write the story: the body has no text left."})
        if self.hero_image and not self.hero_alt and not self.hero_decorative:
            raise ValidationError(
                {"hero_alt": "Describe the picture for people who cannot see it."}
            )
        check_not_withheld(self)

    def public_values(self):
        values = super().public_values()
        if self.pk:  # who speaks in it is on its page too
            values["spokespeople"] = sorted(self.spokespeople.values_list("pk", flat=True))
        return values

    def needs_safeguarding(self):
        """Also when it shows a spokesperson whose name was changed, in a card or a quote."""
        if super().needs_safeguarding():
            return True
        if not self.pk:
            return False
        quoted = self.pull_quotes.filter(spokesperson__name_changed=True).exists()
        return quoted or self.spokespeople.filter(name_changed=True).exists()


@public_text(fields=("text", "attribution"), shown_on="story")
class PullQuote(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="pull_quotes")
    text = models.TextField(help_text="Set apart from the body in large type. No quote marks.")
    spokesperson = models.ForeignKey(
        Spokesperson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who said it; their name is shown under the quote.",
    )
    attribution = models.CharField(
        max_length=200, blank=True, help_text="Who said it, when it is not a spokesperson."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]

    def clean(self):
        if not self.spokesperson_id and not self.attribution:
            raise ValidationError("Say who said it: choose a spokesperson or write an attribution.")
        if self.story_id:  # public when its story is
            check_not_withheld(self)
