from django.db.models import F
from django.utils import timezone
from django.views.generic import DetailView, ListView

from campaigns.forms import PostcodeForm
from campaigns.models import Campaign, Parliament, ParliamentaryAction
from campaigns.models.campaigns import earlier_session
from campaigns.reach.sources import source_from_query
from core.prepared import Prepared
from core.views import PublishedMixin, can_preview, published_by_slug
from stories.models import Story
from stories.views import with_points

# The linked stories' links, and the first one's picture for the page's share image.
STORY_LINK_FIELDS = ("title", "slug", "hero_image", "hero_alt", "hero_width", "hero_height")
# What campaign_detail.html shows of the campaign and the two items it links, and what
# is_published needs: a row of every column (letters' settings, workflow fields) costs the
# ORM more than the page's queries take to run.
PUBLISHED_FIELDS = ("status", "published_at")
CAMPAIGN_PAGE_FIELDS = (
    *PUBLISHED_FIELDS,
    *("title", "slug", "summary", "ask", "why_it_matters", "goal", "letter_count"),
    *("closes_at", "share_text", "spokesperson", "prayer_request"),
    "during_election",  # the election notice, while a parliament is dissolved
    *(f"spokesperson__{name}" for name in (*PUBLISHED_FIELDS, "name", "slug", "role")),
    "spokesperson__name_changed",
    *(f"prayer_request__{name}" for name in (*PUBLISHED_FIELDS, "slug")),
)
PARLIAMENT_FIELDS = ("name", "slug", "member_suffix", "dissolved_on")
ACTION_FIELDS = ("kind", "title", "reference", "tabled_by", "date", "session", "link")


def campaign_page():
    """The campaign with the two items it links, as its page shows them."""
    linked = Campaign.objects.select_related("spokesperson", "prayer_request")
    return linked.only(*CAMPAIGN_PAGE_FIELDS)


def linked_stories(campaign: int, now, public: bool):
    stories = Story.objects.only(*STORY_LINK_FIELDS).filter(campaigns=campaign)
    return stories.published(now) if public else stories


# The page's reads, compiled once a process (core.prepared): building and compiling each
# queryset cost more than running it.
CAMPAIGN_PAGE = published_by_slug(campaign_page)
# Rows, not values: the election notice asks each whether it is dissolved.
PARLIAMENTS = Prepared(
    lambda campaign: Parliament.objects.filter(campaigns=campaign).only(*PARLIAMENT_FIELDS)
)
ACTIONS = Prepared(
    lambda campaign: ParliamentaryAction.objects.filter(campaign=campaign).values(
        *ACTION_FIELDS, parliament_name=F("parliament__name"), current=F("parliament__session")
    )
)
LINKED_STORIES = Prepared(linked_stories)


class CampaignListView(ListView):
    template_name = "campaigns/campaign_list.html"
    context_object_name = "campaigns"

    def get_queryset(self):
        return Campaign.objects.live().prefetch_related("target_parliaments")


class CampaignDetailView(PublishedMixin, DetailView):
    """One campaign's page. Its linked rows are read by plain queries on the campaign's id,
    as the template shows them: prefetch_related's machinery cost more than the queries."""

    model = Campaign  # the page's item, for core.redirects (its queryset is built below)
    template_name = "campaigns/campaign_detail.html"
    template_engine = "jinja2"  # the public pages' engine: advocacy/jinja.py
    context_object_name = "campaign"
    prepared_item = CAMPAIGN_PAGE

    def get_base_queryset(self):
        return campaign_page()

    def get_context_data(self, **kwargs):
        pk, now = self.object.pk, timezone.now()
        public = not can_preview(self.request)
        return super().get_context_data(
            form=PostcodeForm(),
            parliaments=PARLIAMENTS.rows(campaign=pk),
            actions=campaign_actions(pk),
            # The first one's picture is the page's share image.
            stories=LINKED_STORIES.rows(campaign=pk, now=now, public=public),
            spokesperson=self._shown(self.object.spokesperson),
            prayer_request=with_points(self._shown(self.object.prayer_request)),
            # Into the postcode form: the page is cached by its whole address, query included,
            # so a cached copy holds the code of the link it was made for.
            source=source_from_query(self.request.GET),
            **kwargs,
        )

    def _shown(self, item):
        """A linked item the public may not see yet stays hidden (staff see it in a preview)."""
        return item if item and (item.is_published or can_preview(self.request)) else None


def campaign_actions(campaign_id: int) -> list[dict]:
    """The campaign's actions in Parliament as campaigns/includes/action.html shows them."""
    rows = ACTIONS.rows(campaign=campaign_id)
    labels = dict(ParliamentaryAction.Kind.choices)
    return [
        {
            **row,
            "kind_label": labels.get(row["kind"], row["kind"]),
            "from_earlier_session": earlier_session(row["session"], row["current"]),
        }
        for row in rows
    ]
