"""Letter packs: one ready letter per current member of a parliament, for staff to print.

Staff post the packs or hand them to volunteers, who fill in the blanks (their name, address,
own words) by hand. ``render_letters`` writes them to files; the logic lives here.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils.text import slugify

from campaigns.letters import placeholders
from campaigns.letters.drafts import DEFAULT_PROMPTS, member_values, template_for
from campaigns.models import (
    Campaign,
    LetterTemplate,
    Parliament,
    ParliamentaryAction,
    Representative,
)
from campaigns.models.parliaments import COMMONS, DAIL, HOLYROOD, NI_ASSEMBLY, SENEDD

# Short names staff may type for a parliament, besides its slug.
PARLIAMENT_ALIASES = {
    "commons": COMMONS,
    "holyrood": HOLYROOD,
    "scottish": HOLYROOD,
    "senedd": SENEDD,
    "welsh": SENEDD,
    "ni": NI_ASSEMBLY,
    "stormont": NI_ASSEMBLY,
    "dail": DAIL,
}

FORMATS = ("txt", "html")


class PackError(ValueError):
    """A campaign or parliament we cannot make a letter pack for; the message says why."""


@dataclass(frozen=True)
class PackLetter:
    """One member's letter, ready to print apart from the volunteer's blanks."""

    filename: str
    subject: str
    body: str
    recipient_name: str
    recipient_address: str  # the member's name and suffix, then the parliament's address
    is_thank_you: bool


def find_campaign(slug: str) -> Campaign:
    """The campaign (published or not: staff prepare packs ahead) with what its letters need."""
    actions = ParliamentaryAction.objects.with_supporter_ids()
    campaigns = Campaign.objects.prefetch_related(
        "target_parliaments", "templates", Prefetch("actions", actions)
    )
    try:
        return campaigns.get(slug=slug)
    except Campaign.DoesNotExist:
        known = ", ".join(Campaign.objects.order_by("slug").values_list("slug", flat=True))
        raise PackError(f"No campaign “{slug}”. Campaigns: {known or 'none yet'}.") from None


def accepted_parliament_names() -> list[str]:
    slugs = Parliament.objects.order_by("position").values_list("slug", flat=True)
    return list(dict.fromkeys([*PARLIAMENT_ALIASES, *slugs]))


def find_parliament(name: str) -> Parliament:
    """A parliament by slug or short alias (``commons``, ``holyrood``, ...)."""
    slug = PARLIAMENT_ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        return Parliament.objects.get(slug=slug)
    except Parliament.DoesNotExist:
        accepted = ", ".join(accepted_parliament_names())
        raise PackError(f"No parliament “{name}”. Use one of: {accepted}.") from None


def check_pack(campaign: Campaign, parliament: Parliament) -> None:
    """Raise PackError unless the campaign targets the parliament and has its ask letter."""
    if parliament not in campaign.target_parliaments.all():
        targets = ", ".join(p.name for p in campaign.target_parliaments.all()) or "none"
        raise PackError(
            f"“{campaign.slug}” does not target the {parliament.name} (it targets: {targets})."
        )
    ask = LetterTemplate.Variant.ASK
    if not any(
        t.parliament_id == parliament.pk and t.variant == ask for t in campaign.templates.all()
    ):
        raise PackError(
            f"“{campaign.slug}” has no ask letter template for the {parliament.name}: "
            "add one in the admin first."
        )


def current_members(parliament: Parliament) -> QuerySet[Representative]:
    return (
        Representative.objects.current()
        .filter(area__parliament=parliament)
        .select_related("area__parliament")
        .order_by("area__name", "area__code", "list_position", "name", "pk")
    )


def pack_letters(
    campaign: Campaign, parliament: Parliament, *, fmt: str = "txt"
) -> Iterator[PackLetter]:
    """One letter per current member of the parliament, named by their seat."""
    check_pack(campaign, parliament)
    members = list(current_members(parliament))
    for member, stem in zip(members, file_stems(members), strict=True):
        yield member_letter(campaign, member, filename=f"{stem}.{fmt}")


def member_letter(campaign: Campaign, member: Representative, *, filename: str) -> PackLetter:
    template = template_for(campaign, member)
    values = member_values(campaign, member) | blanks(template)
    parliament = member.area.parliament
    return PackLetter(
        filename=filename,
        subject=placeholders.render(template.subject, values),
        body=placeholders.render(template.body, values),
        recipient_name=member.name,
        recipient_address=f"{member.name} {parliament.member_suffix}\n{parliament.postal_address}",
        is_thank_you=template.variant == LetterTemplate.Variant.THANK_YOU,
    )


def blanks(template: LetterTemplate) -> dict[str, str]:
    """What the volunteer fills in by hand, marked so no one posts a letter with a gap."""
    prompts = " ".join(template.prompt_list or DEFAULT_PROMPTS)
    return {
        "supporter_name": "[Your full name]",
        "supporter_address": "[Your address]\n[Your postcode]",
        "supporter_postcode": "[Your postcode]",
        "supporter_email": "[Your email address]",
        "personal_paragraph": f"[In your own words: {prompts}]",
        # A pack is printed today and written later: the volunteer dates their own letter.
        "date": "[Date]",
    }


def file_stems(members: list[Representative]) -> list[str]:
    """A file name (without extension) per member, all different.

    The seat's name; for areas that elect several members, the member's name too; and the
    area's code where two areas share a name. A last resort number keeps even odd data apart.
    """
    stems = [_seat_stem(member) for member in members]
    shared = {stem for stem, count in Counter(stems).items() if count > 1}
    stems = [
        f"{stem}-{slugify(m.area.code)}" if stem in shared else stem
        for stem, m in zip(stems, members, strict=True)
    ]
    return _numbered(stems)


def _seat_stem(member: Representative) -> str:
    area = member.area
    stem = slugify(area.name) or slugify(area.code)
    if area.seats > 1 or area.kind == area.Kind.REGION:
        stem = f"{stem}-{slugify(member.name) or member.pk}"
    return stem


def _numbered(stems: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    unique = []
    for stem in stems:
        seen[stem] += 1
        unique.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return unique


def as_text(letter: PackLetter) -> str:
    return f"{letter.recipient_address}\n\n{letter.subject}\n\n{letter.body}\n"


def as_html(letter: PackLetter) -> str:
    """A small, complete, print-friendly page needing nothing online; all text escaped."""
    context = {"title": letter.subject, "letters": [letter]}
    return render_to_string("campaigns/letters/printable.html", context)


RENDERERS = {"txt": as_text, "html": as_html}
