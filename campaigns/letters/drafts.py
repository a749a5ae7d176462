"""Who a supporter can write to for a campaign, and the letter each of them starts from."""

from dataclasses import dataclass, field

from django.utils import formats, timezone

from campaigns.letters import placeholders
from campaigns.letters.candidates import Candidates
from campaigns.lookup.service import LookupResult, ParliamentResult, Seat
from campaigns.models import Area, Campaign, LetterTemplate, Representative
from campaigns.models.parliaments import COMMONS, HOLYROOD, NI_ASSEMBLY, SENEDD

# The nation a devolved parliament's members represent; the Commons and the Dáil have none.
PARLIAMENT_NATIONS = {HOLYROOD: "Scotland", SENEDD: "Wales", NI_ASSEMBLY: "Northern Ireland"}

DEFAULT_PROMPTS = [
    "Why does this matter to you?",
    "Does your church or community have a connection to the people affected?",
]


@dataclass
class Targets:
    """The campaign's members for one address, or why there are none yet."""

    sections: list[ParliamentResult] = field(default_factory=list)
    wrong_place: str = ""  # "this campaign is for ...; your postcode is in ..."

    @property
    def needs_choice(self):
        return any(section.needs_choice for section in self.sections)

    @property
    def seats(self) -> list[Seat]:
        return [s for r in self.sections for s in (r.constituency, r.region) if s is not None]

    @property
    def members(self) -> list[Representative]:
        return [member for seat in self.seats for member in seat.members]


def campaign_targets(campaign: Campaign, result: LookupResult) -> Targets:
    """The members of the campaign's parliaments who represent the looked-up address."""
    parliaments = list(campaign.target_parliaments.all())
    wanted = {parliament.pk for parliament in parliaments}
    sections = [item for item in result.parliaments if item.parliament.pk in wanted]
    if sections or _offers_a_choice(parliaments, result):
        return Targets(sections=sections)
    return Targets(wrong_place=_wrong_place(parliaments, result))


def _offers_a_choice(parliaments, result: LookupResult) -> bool:
    """A list to choose a seat from is not the wrong place, unless none of its seats can be
    the campaign's: a Northern Ireland postcode lists the Commons' and the Assembly's only, so
    a campaign to Holyrood or the Senedd is for somewhere else, not a postcode we missed."""
    if not result.asks_constituency:
        return False
    if not result.postcode.in_northern_ireland:
        return True
    return bool({parliament.slug for parliament in parliaments} & {COMMONS, NI_ASSEMBLY})


def _wrong_place(parliaments, result: LookupResult) -> str:
    names = " and the ".join(parliament.name for parliament in parliaments)
    nations = {c.area.nation for item in result.parliaments for c in item.candidates} - {""}
    if not nations and result.postcode.in_northern_ireland:  # the seats are chosen, not found
        nations = {PARLIAMENT_NATIONS[NI_ASSEMBLY]}
    if nations & {PARLIAMENT_NATIONS.get(parliament.slug) for parliament in parliaments}:
        return (
            f"We could not match your postcode to a {names} constituency. Check your "
            "postcode, or find your member on the parliament's website."
        )
    where = " / ".join(sorted(nations)) or "another part of the UK"
    return (
        f"This campaign is for the {names}; your postcode is in {where}, so none of your "
        "representatives can act on it. Check your postcode, or see our other campaigns."
    )


@dataclass
class Draft:
    """One letter the supporter edits, for one or more members who share its template."""

    template: LetterTemplate
    members: list[Representative]
    subject: str
    body: str

    @property
    def is_thank_you(self):
        return self.template.variant == LetterTemplate.Variant.THANK_YOU


def member_values(campaign: Campaign, member: Representative) -> dict[str, str]:
    """The placeholders that depend on the member and the campaign, not the supporter."""
    area, parliament = member.area, member.area.parliament
    suffix = parliament.member_suffix
    where = area.name if area.kind == Area.Kind.CONSTITUENCY else f"the {area.name} region"
    if isinstance(member, Candidates):
        title, salutation = f"Candidate for {where}", "Dear candidate"
    else:
        title, salutation = f"{suffix} for {where}", member.salutation  # "Dear Deputy McDonald"
    values = {
        "representative_name": member.name,
        "representative_title": title,
        "salutation": salutation,
        "member_suffix": suffix,
        "constituency": area.name,
        "parliament": parliament.name,
        "campaign_title": campaign.title,
        "date": formats.date_format(timezone.localdate(), "j F Y"),
    }
    return values | _motion_values(campaign, parliament.pk)


def _motion_values(campaign: Campaign, parliament_id: int) -> dict[str, str]:
    actions = list(campaign.actions.all())
    action = next((a for a in actions if a.parliament_id == parliament_id), None)
    action = action or (actions[0] if actions else None)
    if action is None:
        return {}
    return {
        "motion_reference": action.reference,
        "motion_title": action.title,
        "motion_tabled_by": action.tabled_by,
    }


def template_for(campaign: Campaign, member: Representative) -> LetterTemplate | None:
    """The thank-you letter for a member who supports the campaign's motion, else the ask."""
    templates = {
        (t.parliament_id, t.variant): t for t in campaign.templates.all()
    }  # prefetched by the view: no query per member
    parliament_id = member.area.parliament_id
    supporters = {pk for action in campaign.actions.all() for pk in action.supporter_pks}
    thank_you = templates.get((parliament_id, LetterTemplate.Variant.THANK_YOU))
    if isinstance(member, Candidates):  # their own letter if staff wrote one, else the ask
        candidates = templates.get((parliament_id, LetterTemplate.Variant.CANDIDATES))
        return candidates or templates.get((parliament_id, LetterTemplate.Variant.ASK))
    if member.pk in supporters and thank_you:
        return thank_you
    return templates.get((parliament_id, LetterTemplate.Variant.ASK))


def drafts_for(campaign: Campaign, members: list[Representative]) -> list[Draft]:
    """The letters to edit: one per template, shared by the members who get that template.

    What is the same for all of a draft's members is filled in; what differs (their names)
    stays a placeholder, filled in for each member when the letters are made.
    """
    groups: dict[int, list[Representative]] = {}
    templates = {}
    for member in members:
        template = template_for(campaign, member)
        if template is not None:
            templates[template.pk] = template
            groups.setdefault(template.pk, []).append(member)
    return [_draft(campaign, templates[pk], group) for pk, group in groups.items()]


def _draft(campaign, template, members):
    each = [member_values(campaign, member) for member in members]
    common = {
        name: value for name, value in each[0].items() if all(v.get(name) == value for v in each)
    }
    differing = {name for values in each for name in values} - set(common)
    keep = (*placeholders.SUPPORTER_PLACEHOLDERS, *sorted(differing))
    return Draft(
        template=template,
        members=members,
        subject=placeholders.render(template.subject, common, keep=keep),
        body=placeholders.render(template.body, common, keep=keep),
    )
