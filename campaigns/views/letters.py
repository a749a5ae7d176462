"""The supporter's path: postcode, members, compose, send it themselves, thank you."""

import json
import uuid

from django.core import signing
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from stories.models import PrayerRequest

from .. import letter_text
from ..forms import LetterForm, PostcodeForm
from ..letter_text import SHARE_MESSAGES
from ..lookup import lookup_postcode
from ..models import Campaign, ParliamentaryAction
from ..parliaments import COMMONS
from ..services import Supporter, Written, letters_create, letters_for_key
from ..writing import DEFAULT_PROMPTS, campaign_targets, drafts_for
from .representatives import section_for

LETTER_PAGE_SALT = "campaigns.letter-page"
LETTER_PAGE_MAX_AGE = 7 * 24 * 60 * 60  # the letters' page stays open for a week


def open_campaign(slug):
    """A live campaign with what its letters need, or 404 (a closed one has no letter)."""
    actions = ParliamentaryAction.objects.prefetch_related("supporters")
    campaigns = Campaign.objects.live().prefetch_related(
        "target_parliaments", "templates", Prefetch("actions", actions)
    )
    return get_object_or_404(campaigns, slug=slug)


def _lookup(request, campaign):
    """The postcode form and, if it is valid, the campaign's targets for the address."""
    form = PostcodeForm(request.GET)
    if not form.is_valid():
        return form, None, None
    postcode = form.cleaned_data["postcode"]
    result = lookup_postcode(postcode=postcode, chosen=request.GET.getlist("area"))
    return form, result, campaign_targets(campaign, result)


@never_cache
def write(request, slug):
    """Step 1: ``?postcode=``, the members to write to, chosen with checkboxes."""
    campaign = open_campaign(slug)
    return _members_page(request, campaign)


def _members_page(request, campaign, error=""):
    form, result, targets = _lookup(request, campaign)
    sections = []
    if targets:
        base = reverse("campaigns:write", args=[campaign.slug])
        chosen = request.GET.getlist("area")
        sections = [
            section_for(item, base, str(result.postcode), chosen) for item in targets.sections
        ]
    if targets and targets.wrong_place:
        form.add_error("postcode", targets.wrong_place)
    context = {
        "campaign": campaign,
        "form": form,
        "result": result,
        "targets": targets,
        "sections": sections,
        "chosen": set(request.GET.getlist("member")),
        "area_codes": request.GET.getlist("area"),
        "targets_commons": any(p.slug == COMMONS for p in campaign.target_parliaments.all()),
        "error": error,
    }
    return render(request, "campaigns/write_members.html", context)


@never_cache
def compose(request, slug):
    """Step 2: the letter(s) for the chosen members, their details and own words."""
    campaign = open_campaign(slug)
    form, result, targets = _lookup(request, campaign)
    if targets is None or targets.needs_choice or targets.wrong_place:
        return _members_page(request, campaign)
    wanted = set(request.GET.getlist("member"))
    members = [member for member in targets.members if str(member.pk) in wanted]
    if not members:
        return _members_page(request, campaign, error="Choose at least one member to write to.")
    drafts = drafts_for(campaign, members)
    if not drafts:
        raise Http404("This campaign has no letter for these members yet.")
    prompts = drafts[0].template.prompt_list or DEFAULT_PROMPTS
    letter_form = LetterForm(
        request.POST if request.method == "POST" else None,
        drafts=drafts,
        prompts=prompts,
        initial={"key": uuid.uuid4().hex},
    )
    if request.method == "POST" and letter_form.is_valid() and _can_deliver(letter_form, members):
        return _make_letters(campaign, letter_form, str(result.postcode))
    context = {
        "campaign": campaign,
        "form": letter_form,
        "postcode": result.postcode,
        "members": members,
        "can_email": all(member.email for member in members),
        "members_url": _members_url(campaign, request),
        "share_messages_json": json.dumps([[low, str(text)] for low, text in SHARE_MESSAGES]),
        "personal_note": letter_text.describe_share(_share_so_far(letter_form, drafts[0])),
    }
    return render(request, "campaigns/write_compose.html", context)


def _members_url(campaign, request):
    return f"{reverse('campaigns:write', args=[campaign.slug])}?{request.GET.urlencode()}"


def _share_so_far(form, draft):
    """The personal share of the first letter as the form stands, counted as the script does."""
    if not form.is_bound:
        return 0.0
    own = "\n\n".join(
        answer for field in form.answer_fields if (answer := (field.value() or "").strip())
    )
    text = (form["body_1"].value() or "").replace("{personal_paragraph}", own)
    return letter_text.personal_share(text, draft.body)


def _can_deliver(form, members):
    if form.cleaned_data["delivery"] == "email_app" and not all(m.email for m in members):
        form.add_error("delivery", "We have no email address for this member: print and post it.")
        return False
    return True


def _make_letters(campaign, form, postcode):
    data = form.cleaned_data
    supporter = Supporter(
        name=data["name"].strip(),
        email=data["email"],
        address=data["address"],
        postcode=postcode,
        marketing_consent=data["marketing_consent"],
        consent_wording=str(form.fields["marketing_consent"].label),
        consented_at=timezone.now() if data["marketing_consent"] else None,
    )
    written = [
        Written(draft=draft, subject=subject, body=body) for draft, subject, body in form.written()
    ]
    letters_create(
        campaign=campaign,
        written=written,
        supporter=supporter,
        personal_paragraph=form.personal_paragraph(),
        delivery=data["delivery"],
        key=data["key"],
    )
    token = signing.dumps(data["key"], salt=LETTER_PAGE_SALT)
    return redirect("campaigns:letters", slug=campaign.slug, token=token)


def _letters(campaign_slug, token):
    try:
        key = signing.loads(token, salt=LETTER_PAGE_SALT, max_age=LETTER_PAGE_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404("This link has expired or is not complete.") from error
    campaign = get_object_or_404(Campaign.objects.published(), slug=campaign_slug)
    letters = letters_for_key(campaign, key)
    if not letters:
        raise Http404("No letters here.")
    return campaign, letters


@never_cache
def letters(request, slug, token):
    """Step 3: the finished letters, to open in an email app or print."""
    campaign, letters = _letters(slug, token)
    context = {
        "campaign": campaign,
        "letters": letters,
        "token": token,
        "print_url": reverse("campaigns:letters_print", args=[slug, token]),
    }
    return render(request, "campaigns/write_letters.html", context)


@never_cache
def letters_print(request, slug, token):
    """The letters laid out for paper: addresses, date, subject and text."""
    campaign, letters = _letters(slug, token)
    return render(
        request, "campaigns/letters_print.html", {"campaign": campaign, "letters": letters}
    )


def thank_you(request, slug):
    """Step 4: progress, sharing and the campaign's prayer points."""
    prayers = Prefetch(
        "prayer_request", PrayerRequest.objects.published().prefetch_related("points")
    )
    campaign = get_object_or_404(
        Campaign.objects.published().prefetch_related(prayers),
        slug=slug,
    )
    url = request.build_absolute_uri(campaign.get_absolute_url())
    return render(request, "campaigns/thank_you.html", {"campaign": campaign, "campaign_url": url})
