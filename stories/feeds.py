from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from stories.models import Story

FEED_SIZE = 20


class LatestStoriesFeed(Feed):
    """RSS of the latest published stories: what published() shows, and nothing else."""

    link = reverse_lazy("stories:story_list")
    description = "The latest stories of Christians persecuted for their faith."

    def title(self):
        return f"{settings.SITE_NAME}: stories"

    def items(self):
        return Story.objects.published()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
