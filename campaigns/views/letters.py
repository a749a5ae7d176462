"""The supporter's path: postcode, members, compose, send it themselves, thank you."""

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from campaigns.delivery.safety import delivering_to_representatives
from campaigns.forms import LetterForm, PostcodeForm
from campaigns.letters import placeholders
from campaigns.letters.drafts import DEFAULT_PROMPTS, Targets, campaign_targets, drafts_for
from campaigns.letters.open_campaigns import open_campaign
from campaigns.letters.placeholders import SHARE_MESSAGES
from campaigns.letters.send_for_me import letters_send_for_me
from campaigns.letters.services import (
    AlreadyWritten,
    Supporter,
    Written,
    already_written,
    letters_create,
    letters_for_key,
)
from campaigns.lookup.ireland import DailLookup
from campaigns.lookup.service import LookupResult, lookup_postcode
from campaigns.models import Campaign, Letter
from campaigns.models.parliaments import COMMONS, DAIL, NI_ASSEMBLY
from campaigns.reach.sources import source_from_query
from campaigns.views.representatives import dail_form, dail_lookup, section_for
from core import abuse
from core.ratelimits import client_ip
from stories.models import PrayerRequest

LETTER_PAGE_SALT = "campaigns.letter-page"
LETTER_PAGE_OPEN_FOR = timedelta(days=7)  # from the letters' making: then the link is dead


def live_campaign(slug):
    """A live campaign with the parliaments it writes to, or 404 (a closed one has no letter)."""
    return get_object_or_404(
        Campaign.objects.live().prefetch_related("target_parliaments"), slug=slug
    )


@dataclass
class Found:
    """What the supporter's address found: the form they used, and the campaign's members."""

    form: object  # the PostcodeForm, or the DailForm for a supporter in Ireland
    result: LookupResult | None = None
    targets: Targets | None = None
    dail: DailLookup | None = None  # the Dáil constituencies, for a campaign to the Dáil

    @property
    def irish(self):
        """Found by Dáil constituency (or county), not by postcode."""
        return self.dail is not None and "constituency" in self.form.fields


def lookup_targets(request, campaign) -> Found:
    """The address form and, if it is valid, the campaign's targets for the address.

    A campaign to the Dáil also takes ``?constituency=`` or ``?county=``: there is no
    Eircode table, so a supporter in Ireland chooses their constituency.
    """
    dail = dail_lookup(request) if _targets(campaign, DAIL) else None
    if dail is not None and ("constituency" in request.GET or "county" in request.GET):
        form = dail_form(request, dail)
        if not form.is_valid() or dail.result is None:
            return Found(form, dail=dail)
        result = LookupResult(postcode="", parliaments=[dail.result])
        return Found(form, result, campaign_targets(campaign, result), dail)
    # A campaign to the Dáil opens with both ways in, neither yet marked as wrong.
    form = PostcodeForm(request.GET if dail is None or "postcode" in request.GET else None)
    if not form.is_valid():
        return Found(form, dail=dail)
    postcode = form.cleaned_data["postcode"]
    result = lookup_postcode(postcode=postcode, chosen=request.GET.getlist("area"))
    return Found(form, result, campaign_targets(campaign, result), dail)


def _targets(campaign, slug):
    return any(parliament.slug == slug for parliament in campaign.target_parliaments.all())


@never_cache
def write(request, slug):
    """Step 1: ``?postcode=``, the members to write to, chosen with checkboxes."""
    campaign = live_campaign(slug)  # no letter yet: its templates and motions can wait
    return _members_page(request, campaign)


def _members_page(request, campaign, error=""):
    found = lookup_targets(request, campaign)
    form, result, targets = found.form, found.result, found.targets
    source = source_from_query(request.GET)
    sections = []
    if targets and not found.irish:
        base = reverse("campaigns:write", args=[campaign.slug])
        chosen = request.GET.getlist("area")
        postcode = str(result.postcode)
        sections = [section_for(item, base, postcode, chosen, source) for item in targets.sections]
    if targets and targets.wrong_place:
        form.add_error("postcode", targets.wrong_place)
    context = {
        "campaign": campaign,
        "form": form,
        "postcode_form": PostcodeForm() if found.irish else form,
        "result": result,
        "targets": targets,
        "sections": sections,
        "chosen": set(request.GET.getlist("member")),
        "area_codes": request.GET.getlist("area"),
        "targets_commons": _targets(campaign, COMMONS),
        "targets_assembly": _targets(campaign, NI_ASSEMBLY),
        "takes_postcodes": any(p.slug != DAIL for p in campaign.target_parliaments.all()),
        "found": found,
        "dail": found.dail,
        "dail_form": form if found.irish or not found.dail else dail_form(request, found.dail),
        "choice_url": request.path,
        "error": error,
        "source": source,
    }
    return render(request, "campaigns/write_members.html", context)


@never_cache
def compose(request, slug):
    """Step 2: the letter(s) for the chosen members, their details and own words."""
    campaign = open_campaign(slug)
    if request.method == "POST" and (refused := _refuse_post(request, campaign)):
        return refused
    found = lookup_targets(request, campaign)
    targets = found.targets
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
        irish=found.irish,
        initial={"key": uuid.uuid4().hex, "county": _home_county(found)},
    )
    if request.method == "POST" and letter_form.is_valid():
        made = _submit(request, campaign, letter_form, members, str(found.result.postcode))
        if made is not None:
            return made
    context = {
        "campaign": campaign,
        "form": letter_form,
        "postcode": found.result.postcode,
        "irish": found.irish,
        "constituency": found.dail.result.constituency.area if found.irish else None,
        "members": members,
        "can_email": all(member.email for member in members),
        "test_mode": not delivering_to_representatives(),
        "members_url": _members_url(campaign, request),
        "share_messages_json": json.dumps([[low, str(text)] for low, text in SHARE_MESSAGES]),
        "personal_note": placeholders.describe_share(_share_so_far(letter_form, drafts[0])),
    }
    return render(request, "campaigns/write_compose.html", context)


def _home_county(found):
    """The county to offer first: the supporter's choice, or their constituency's only one."""
    if not found.irish:
        return ""
    counties = found.dail.result.constituency.area.county_list
    return found.dail.county or (counties[0] if len(counties) == 1 else "")


def _refuse_post(request, campaign):
    """Thank a bot that filled the hidden field (nothing kept, nothing sent); refuse a flood."""
    if abuse.honeypot_filled(request):
        return redirect("campaigns:thank_you", slug=campaign.slug)
    if abuse.over_limit(request, abuse.LETTER_POST_LIMIT):
        back = request.get_full_path()
        return abuse.too_many_requests(request, abuse.LETTER_POST_LIMIT, back_url=back)
    return None


def _members_url(campaign, request):
    return f"{reverse('campaigns:write', args=[campaign.slug])}?{request.GET.urlencode()}"


def _share_so_far(form, draft, number=1):
    """A letter's personal share as the form stands, counted as the page's script does."""
    if not form.is_bound:
        return 0.0
    own = "\n\n".join(
        answer for field in form.answer_fields if (answer := (field.value() or "").strip())
    )
    text = (form[f"body_{number}"].value() or "").replace("{personal_paragraph}", own)
    return placeholders.personal_share(text, draft.body)


def _submit(request, campaign, form, members, postcode):
    """The letters made (a redirect to them), or None with the reason added to the form.

    A form posted again gets its letters (letters_create finds them by its key); only where
    this post would be refused are they looked for first, so a repeat is never refused.
    """
    key, delivery = form.cleaned_data["key"], form.cleaned_data["delivery"]
    if not _can_deliver(form, members):
        return _letters_redirect(campaign, key) if letters_for_key(campaign, key) else None
    if delivery != Letter.Delivery.SEND_FOR_ME:
        letters_create(**_letter_parts(request, form, campaign, postcode), delivery=delivery)
        return _letters_redirect(campaign, key)
    if not (_personal_enough(form, campaign) and _not_written_before(form, campaign, members)):
        return _letters_redirect(campaign, key) if letters_for_key(campaign, key) else None
    try:
        letters_send_for_me(
            **_letter_parts(request, form, campaign, postcode),
            network=client_ip(request),  # the supporter's, behind the trusted proxies
            site_url=request.build_absolute_uri("/"),
        )
    except AlreadyWritten as error:  # a second form, posted at the same moment as the first
        _say_already_written(form, error.names)
        return None
    return _letters_redirect(campaign, key)


def _can_deliver(form, members):
    by_email = form.cleaned_data["delivery"] in ("email_app", "send_for_me")
    if by_email and not all(m.email for m in members):
        form.add_error("delivery", "We have no email address for this member: print and post it.")
        return False
    return True


def _personal_enough(form, campaign):
    least = campaign.min_personal_percent
    shares = [_share_so_far(form, draft, n) for n, draft in enumerate(form.drafts, start=1)]
    percent = round(100 * min(shares))
    if percent >= least:
        return True
    form.add_error(
        "delivery",
        f"For us to send it for you, at least {least}% of the letter must be in your own "
        f"words; so far it is {percent}%. Add a sentence or two above, or send it yourself.",
    )
    return False


def _not_written_before(form, campaign, members):
    data = form.cleaned_data
    names = already_written(campaign, data["email"], members, data["key"])
    if names:
        _say_already_written(form, names)
    return not names


def _say_already_written(form, names):
    form.add_error(
        "delivery",
        f"You have already written to {', '.join(names)} about this campaign, so we "
        "have not made a second letter. Thank you!",
    )


def _letter_parts(request, form, campaign, postcode):
    """What the letters are made of, from the valid form: the same for every delivery.

    The source code rides in the page's query string from the campaign link onwards, so the
    cached campaign page and every step after it carry it without a cookie.
    """
    data = form.cleaned_data
    irish = "county" in data  # an Irish address: the county in it, the Eircode if given
    supporter = Supporter(
        name=data["name"].strip(),
        email=data["email"],
        address=form.irish_address if irish else data["address"],
        postcode=data["eircode"] if irish else postcode,
        marketing_consent=data["marketing_consent"],
        consent_wording=str(form.fields["marketing_consent"].label),
        consented_at=timezone.now() if data["marketing_consent"] else None,
    )
    written = [
        Written(draft=draft, subject=subject, body=body) for draft, subject, body in form.written()
    ]
    return {
        "campaign": campaign,
        "written": written,
        "supporter": supporter,
        "personal_paragraph": form.personal_paragraph(),
        "key": data["key"],
        "source": source_from_query(request.GET),
    }


def _letters_redirect(campaign, key):
    """The letters' page: a signed form key, so every post of one form gets the same link."""
    token = signing.Signer(salt=LETTER_PAGE_SALT).sign(key)
    return redirect("campaigns:letters", slug=campaign.slug, token=token)


def _letters(campaign_slug, token):
    try:
        key = signing.Signer(salt=LETTER_PAGE_SALT).unsign(token)
    except signing.BadSignature as error:
        raise Http404("This link is not complete.") from error
    campaign = get_object_or_404(Campaign.objects.published(), slug=campaign_slug)
    letters = letters_for_key(campaign, key)
    if not letters or letters[0].created_at < timezone.now() - LETTER_PAGE_OPEN_FOR:
        raise Http404("No letters here: the link may have expired.")
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
