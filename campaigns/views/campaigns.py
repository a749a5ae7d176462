from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from campaigns.forms import PostcodeForm
from campaigns.models import Campaign, ParliamentaryAction
from campaigns.reach.sources import source_from_query
from core.views import PublishedMixin, can_preview
from stories.models import Story

# The linked stories' links, and the first one's picture for the page's share image.
STORY_LINK_FIELDS = ("title", "slug", "hero_image", "hero_alt", "hero_width", "hero_height")


class CampaignListView(ListView):
    template_name = "campaigns/campaign_list.html"
    context_object_name = "campaigns"

    def get_queryset(self):
        return Campaign.objects.live().prefetch_related("target_parliaments")


class CampaignDetailView(PublishedMixin, DetailView):
    model = Campaign  # the page's item, for core.redirects (its queryset is built below)
    template_name = "campaigns/campaign_detail.html"
    context_object_name = "campaign"

    def get_base_queryset(self):
        return Campaign.objects.select_related("spokesperson", "prayer_request").prefetch_related(
            "target_parliaments",
            Prefetch(
                "actions",
                ParliamentaryAction.objects.select_related("parliament", "tabled_by_member"),
            ),
            Prefetch("stories", self.visible(Story.objects.only(*STORY_LINK_FIELDS))),
            "prayer_request__points",
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=PostcodeForm(),
            spokesperson=self._shown(self.object.spokesperson),
            prayer_request=self._shown(self.object.prayer_request),
            # Into the postcode form: the page is cached by its whole address, query included,
            # so a cached copy holds the code of the link it was made for.
            source=source_from_query(self.request.GET),
            **kwargs,
        )

    def _shown(self, item):
        """A linked item the public may not see yet stays hidden (staff see it in a preview)."""
        return item if item and (item.is_published or can_preview(self.request)) else None
