"""The letter to the candidates, where a campaign offers one while a parliament is dissolved."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from campaigns.forms import CandidatesLetterForm
from campaigns.letters.candidates import Candidates, PrintedLetter, seats_with_candidates
from campaigns.letters.drafts import DEFAULT_PROMPTS, drafts_for, member_values
from campaigns.letters.open_campaigns import open_campaign
from campaigns.letters.services import Supporter, letter_filled
from campaigns.models import Campaign
from campaigns.views.letters import lookup_targets


@never_cache
def write_candidates(request, slug):
    """``?postcode=&seat=``: the letter to edit, then (POST) the page to print. Nothing is kept."""
    campaign = open_campaign(slug)
    if campaign.during_election != Campaign.DuringElection.CANDIDATES:
        raise Http404("This campaign does not offer a letter to the candidates.")
    postcode, seat = _seat(request, campaign)
    if seat is None:
        return redirect(_members_url(campaign, request))
    candidates = Candidates(seat.area)
    drafts = drafts_for(campaign, [candidates])
    if not drafts:
        raise Http404("This campaign has no letter for this parliament yet.")
    form = CandidatesLetterForm(
        request.POST if request.method == "POST" else None,
        drafts=drafts,
        prompts=drafts[0].template.prompt_list or DEFAULT_PROMPTS,
    )
    if request.method == "POST" and form.is_valid():
        letter = _printed(campaign, candidates, form, postcode)
        context = {"campaign": campaign, "letter": letter, "candidates": candidates}
        return render(request, "campaigns/candidates_print.html", context)
    context = {
        "campaign": campaign,
        "form": form,
        "postcode": postcode,
        "candidates": candidates,
        "members_url": _members_url(campaign, request),
    }
    return render(request, "campaigns/write_candidates.html", context)


def _seat(request, campaign):
    """The postcode and the supporter's seat in a dissolved parliament, if the query names one."""
    found = lookup_targets(request, campaign)
    if found.targets is None:
        return None, None
    seats = seats_with_candidates(found.targets.seats)
    wanted = request.GET.get("seat", "")
    return found.result.postcode, next((seat for seat in seats if seat.area.code == wanted), None)


def _members_url(campaign, request):
    """Back to the member step with the supporter's address: a postcode, or their Dáil choice."""
    keys = ("postcode", "area", "constituency", "county")
    query = urlencode([(key, value) for key in keys for value in request.GET.getlist(key)])
    return f"{reverse('campaigns:write', args=[campaign.slug])}?{query}"


def _printed(campaign, candidates, form, postcode) -> PrintedLetter:
    """The letter as the supporter left it, with their details and words filled in."""
    ((_draft, subject, body),) = form.written()
    supporter = Supporter(
        name=form.cleaned_data["name"],
        email="",
        address=form.cleaned_data["address"],
        postcode=str(postcode),
    )
    values = member_values(campaign, candidates) | supporter.values(form.personal_paragraph())
    subject, body = letter_filled(subject, body, values)
    return PrintedLetter(
        recipient_name=candidates.recipient_name,
        recipient_address=candidates.recipient_address,
        subject=subject,
        body=body,
        supporter_address_block=supporter.address_block,
    )
