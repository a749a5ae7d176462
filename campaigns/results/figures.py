"""The figures on a campaign's results page, each one GROUP BY query, whatever the letters."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from campaigns.models import ActionSupport, Campaign, Letter, Representative
from campaigns.models.parliaments import COMMONS

Reply = Letter.Reply
NO_SOURCE = "(none)"


@dataclass
class MemberRow:
    """One member written to (or who supported without a letter), with their figures."""

    representative_id: int | None
    name: str
    constituency: str
    area_code: str
    parliament: str
    parliament_slug: str
    letters: int = 0
    replied_yes: int = 0
    replied_no: int = 0
    not_yet: int = 0
    first_letter: date | None = None
    supports: list[dict] = field(default_factory=list)

    @property
    def supported_on(self) -> date | None:
        days = [support["date"] for support in self.supports if support["date"]]
        return min(days) if days else None

    @property
    def supported(self) -> bool:
        return bool(self.supports)

    @property
    def supported_after_letter(self) -> bool:
        """Supported on a day after the first letter to them: what the letters may have done."""
        day = self.supported_on
        return bool(self.first_letter and day and day > self.first_letter)

    @property
    def replied(self) -> bool:
        return self.replied_yes > 0


@dataclass
class Comparison:
    """Supporters' share among the members written to, and among the rest of the parliament."""

    parliament: str
    slug: str
    members: int
    written_to: int
    written_supported: int
    others: int
    others_supported: int

    @staticmethod
    def share(part: int, whole: int) -> str:
        return f"{100 * part / whole:.0f}%" if whole else "–"

    @property
    def written_share(self) -> str:
        return self.share(self.written_supported, self.written_to)

    @property
    def others_share(self) -> str:
        return self.share(self.others_supported, self.others)


@dataclass
class Results:
    campaign: Campaign
    total: int
    per_day: list[tuple[date, int]]
    by_delivery: list[tuple[str, int]]
    by_state: list[tuple[str, int]]
    by_source: list[tuple[str, int]]
    replies: dict[str, int]
    members: list[MemberRow]
    comparisons: list[Comparison]
    commons: bool

    reply_choices = [(choice.value, choice.label) for choice in Reply] + [("", "Not asked yet")]

    @property
    def answered(self) -> int:
        return self.replies[Reply.YES] + self.replies[Reply.NO]

    @property
    def reply_rate(self) -> str:
        """Letters whose supporter said the member replied, of those who answered yes or no."""
        return Comparison.share(self.replies[Reply.YES], self.answered)

    @property
    def written_to(self) -> int:
        return sum(1 for member in self.members if member.letters)

    @property
    def replied(self) -> int:
        return sum(1 for member in self.members if member.replied)

    @property
    def supported_after(self) -> int:
        return sum(1 for member in self.members if member.supported_after_letter)

    def members_by_area(self) -> dict[str, MemberRow]:
        return {member.area_code: member for member in self.members if member.letters}


def _per_day(letters) -> list[tuple[date, int]]:
    rows = letters.annotate(day=TruncDate("created_at")).values("day").annotate(n=Count("id"))
    return [(row["day"], row["n"]) for row in rows.order_by("day")]


def _breakdowns(letters):
    """Delivery, state, source and reply in one GROUP BY: a few dozen rows at most."""
    rows = letters.values("delivery", "state", "source", "reply").annotate(n=Count("id"))
    delivery, state, source, reply = Counter(), Counter(), Counter(), Counter()
    for row in rows.order_by():
        delivery[row["delivery"]] += row["n"]
        state[row["state"]] += row["n"]
        source[row["source"] or NO_SOURCE] += row["n"]
        reply[row["reply"]] += row["n"]
    return delivery, state, source, reply


def _member_rows(letters) -> dict:
    rows = (
        letters.values("representative_id", "area_code")
        .annotate(
            letters=Count("id"),
            yes=Count("id", filter=Q(reply=Reply.YES)),
            no=Count("id", filter=Q(reply=Reply.NO)),
            not_yet=Count("id", filter=Q(reply=Reply.NOT_YET)),
            first=Min("created_at"),
            member=Max("recipient_name"),
            seat=Max("constituency"),
            parliament_name=Max("parliament__name"),
            parliament_key=Max("parliament__slug"),
        )
        .order_by()
    )
    members = {}
    for row in rows:
        key = row["representative_id"] or ("area", row["area_code"], row["member"])
        members[key] = MemberRow(
            representative_id=row["representative_id"],
            name=row["member"],
            constituency=row["seat"],
            area_code=row["area_code"],
            parliament=row["parliament_name"],
            parliament_slug=row["parliament_key"],
            letters=row["letters"],
            replied_yes=row["yes"],
            replied_no=row["no"],
            not_yet=row["not_yet"],
            first_letter=timezone.localdate(row["first"]) if row["first"] else None,
        )
    return members


def _add_supports(campaign, members: dict) -> dict[str, dict[int, date | None]]:
    """Each support of the campaign's actions onto its member's row; supporters by parliament."""
    supports = ActionSupport.objects.filter(action__campaign=campaign).values(
        "representative_id",
        "representative__name",
        "representative__area__name",
        "representative__area__code",
        "action__parliament__name",
        "action__parliament__slug",
        "action__reference",
        "action__title",
        "kind",
        "date",
    )
    by_parliament = defaultdict(dict)  # each supporter's first dated support, by parliament
    for support in supports.order_by("date", "id"):
        pk = support["representative_id"]
        by_parliament[support["action__parliament__name"]].setdefault(pk, support["date"])
        if pk not in members:
            members[pk] = MemberRow(
                representative_id=pk,
                name=support["representative__name"],
                constituency=support["representative__area__name"],
                area_code=support["representative__area__code"],
                parliament=support["action__parliament__name"],
                parliament_slug=support["action__parliament__slug"],
            )
        members[pk].supports.append(
            {
                "action": support["action__reference"] or support["action__title"],
                "kind": ActionSupport.Kind(support["kind"]).label,
                "date": support["date"],
            }
        )
    return by_parliament


def _comparisons(campaign, members, supporters_by_parliament, since) -> list[Comparison]:
    """Per target parliament: its members in office now, split by whether they were written to.

    Those written to count as supporters if they supported after their first letter; the rest
    if they supported on or after the campaign's first letter (``since``), or at all if there
    is none yet: the same window, so the two shares can be set side by side.
    """
    sizes = (
        Representative.objects.current()
        .filter(area__parliament__in=campaign.target_parliaments.all())
        .values("area__parliament__name", "area__parliament__slug")
        .annotate(n=Count("id"))
        .order_by("area__parliament__position")
    )
    comparisons = []
    for size in sizes:
        name = size["area__parliament__name"]
        written = [m for m in members.values() if m.parliament == name and m.letters]
        written_ids = {m.representative_id for m in written}
        supporters = supporters_by_parliament.get(name, {})
        others_supported = [
            pk
            for pk, day in supporters.items()
            if pk not in written_ids and (since is None or (day is not None and day >= since))
        ]
        others = max(size["n"] - len(written), 0)
        comparisons.append(
            Comparison(
                parliament=name,
                slug=size["area__parliament__slug"],
                members=size["n"],
                written_to=len(written),
                written_supported=sum(1 for m in written if m.supported_after_letter),
                others=others,
                others_supported=len(others_supported),
            )
        )
    return comparisons


def campaign_results(campaign: Campaign) -> Results:
    """Everything the results page and its CSV show: five queries, whatever the letters."""
    letters = Letter.objects.filter(campaign=campaign)
    delivery, state, source, reply = _breakdowns(letters)
    members = _member_rows(letters)
    supporters = _add_supports(campaign, members)
    targets = {parliament.slug for parliament in campaign.target_parliaments.all()}
    per_day = _per_day(letters)
    since = per_day[0][0] if per_day else None
    return Results(
        campaign=campaign,
        total=sum(delivery.values()),
        per_day=per_day,
        by_delivery=[(choice.label, delivery[choice.value]) for choice in Letter.Delivery],
        by_state=[(choice.label, state[choice.value]) for choice in Letter.State],
        by_source=sorted(source.items(), key=lambda item: (-item[1], item[0])),
        replies={choice.value: reply[choice.value] for choice in Reply} | {"": reply[""]},
        members=sorted(members.values(), key=lambda m: (-m.letters, m.parliament, m.name)),
        comparisons=_comparisons(campaign, members, supporters, since),
        commons=COMMONS in targets,
    )
