"""The postcode step other sites show in a frame: a churches' and partners' way in."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt

from campaigns.forms import PostcodeForm
from campaigns.models import Campaign
from campaigns.reach.origins import frame_ancestors
from campaigns.reach.sources import source_from_query

EMBED_SOURCE = "embed"  # the code of a frame whose address carries none


@xframe_options_exempt
def embed(request, slug):
    """``/campaigns/<slug>/embed/[?source=]``: the title, the postcode and a link to the page.

    A GET form that opens the next step in the top window: no cookie or CSRF token, which a
    frame on another site may not get. Framing is allowed here only, to the campaign's sites.
    """
    campaign = get_object_or_404(Campaign.objects.published(), slug=slug)
    context = {
        "campaign": campaign,
        "form": PostcodeForm(),
        "source": source_from_query(request.GET) or EMBED_SOURCE,
    }
    response = render(request, "campaigns/campaign_embed.html", context)
    # django-csp reads this on the way out: this page's policy alone names who may frame it.
    response._csp_replace = {"frame-ancestors": frame_ancestors(campaign.embed_origins)}
    return response
