"""Small factories for the campaigns app: each builds one saved object and takes overrides."""

import itertools
from decimal import Decimal

from campaigns.models import Area, Parliament, PostcodeShare, Representative
from campaigns.models.parliaments import COMMONS, HOLYROOD, SENEDD

_sequence = itertools.count(1)


def parliament(slug=COMMONS):
    """The parliaments are seeded by a migration; fetch one."""
    return Parliament.objects.get(slug=slug)


def make_area(slug=COMMONS, **overrides):
    number = next(_sequence)
    fields = {
        "parliament": parliament(slug),
        "name": f"Constituency {number}",
        "code": f"E14{900000 + number:06d}",  # clear of the real codes tests spell out
        "kind": Area.Kind.CONSTITUENCY,
        "seats": 1,
    }
    return Area.objects.create(**{**fields, **overrides})


def make_region(**overrides):
    number = next(_sequence)
    fields = {"name": f"Region {number}", "code": f"S17{900000 + number:06d}", "seats": 7}
    return make_area(HOLYROOD, kind=Area.Kind.REGION, **{**fields, **overrides})


def make_member(area, **overrides):
    number = next(_sequence)
    fields = {"name": f"Member {number}", "party": "Independent", "area": area}
    return Representative.objects.create(**{**fields, **overrides})


def make_share(prefix, area, share="1", postcodes=10):
    granularity = "sector" if " " in prefix else "district"
    return PostcodeShare.objects.create(
        prefix=prefix, area=area, share=Decimal(share), postcodes=postcodes, granularity=granularity
    )


def make_scottish_seat(sector="EH99 1"):
    """A Westminster seat, a Holyrood constituency in a region, their members and postcodes."""
    westminster = make_area(code="S14000078", name="Edinburgh East and Musselburgh")
    make_member(westminster, name="Chris Murray", party="Labour", email="chris@example.org")
    region = make_region(name="Edinburgh and Lothians East", code="S17000022")
    holyrood = make_area(HOLYROOD, code="S16000182", name="Edinburgh Central", parent=region)
    make_member(holyrood, name="Lorna Slater", party="Scottish Green Party")
    for position in range(1, 8):
        make_member(region, name=f"List member {position}", list_position=position)
    make_share(sector, westminster)
    make_share(sector, holyrood)
    return westminster, holyrood, region


def make_welsh_seat(sector="CF99 1"):
    westminster = make_area(code="W07000091", name="Cardiff South and Penarth")
    make_member(westminster, name="Stephen Doughty", party="Labour (Co-op)")
    senedd = make_area(SENEDD, code="W09000053", name="Caerdydd Penarth", seats=6)
    lists = [("Welsh Labour", 2), ("Plaid Cymru", 3), ("Reform UK", 1)]
    for party, seats in lists:
        for position in range(seats, 0, -1):
            make_member(senedd, name=f"{party} {position}", party=party, list_position=position)
    make_share(sector, westminster)
    make_share(sector, senedd)
    return westminster, senedd


ASK_BODY = (
    "{salutation},\n\nAs your constituent in {constituency}, I ask you to raise the forced "
    "return of North Korean refugees in the {parliament}.\n\n{personal_paragraph}\n\n"
    "Yours sincerely,\n{supporter_name}\n{supporter_address}"
)
THANK_YOU_BODY = (
    "{salutation},\n\nThank you for supporting {motion_reference}.\n\n{personal_paragraph}\n\n"
    "With thanks,\n{supporter_name}\n{supporter_address}"
)


def make_campaign(parliaments=(COMMONS,), **overrides):
    """A live campaign with an ask template for each parliament it targets."""
    from campaigns.models import Campaign, LetterTemplate
    from core.publishing import Status
    from tests.support.factories import an_hour_ago

    number = next(_sequence)
    fields = {
        "title": f"Campaign {number}",
        "slug": f"campaign-{number}",
        "summary": "Ask your member to act.",
        "ask": "Raise it in Parliament.",
        "why_it_matters": "Because lives are at stake.",
        "thank_you_text": "Thank you for writing.",
        "share_text": "I wrote to my MP. Will you?",
        "status": Status.PUBLISHED,
        "published_at": an_hour_ago(),
        "goal": 100,
    }
    campaign = Campaign.objects.create(**{**fields, **overrides})
    for slug in parliaments:
        campaign.target_parliaments.add(parliament(slug))
        LetterTemplate.objects.create(
            campaign=campaign,
            parliament=parliament(slug),
            subject="North Korean refugees: {representative_name}",
            body=ASK_BODY,
            prompts="Why does this matter to you?\nWhat is your church's connection?",
        )
    return campaign


def make_thank_you_template(campaign, slug=COMMONS):
    from campaigns.models import LetterTemplate

    return LetterTemplate.objects.create(
        campaign=campaign,
        parliament=parliament(slug),
        variant=LetterTemplate.Variant.THANK_YOU,
        subject="Thank you, {representative_name}",
        body=THANK_YOU_BODY,
    )


def make_motion(campaign, slug=COMMONS, supporters=(), **overrides):
    from campaigns.models import ParliamentaryAction

    fields = {"title": "Forced returns of refugees", "reference": "S6M-00001"}
    action = ParliamentaryAction.objects.create(
        campaign=campaign, parliament=parliament(slug), **{**fields, **overrides}
    )
    action.supporters.set(supporters)
    return action
