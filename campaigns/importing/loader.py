"""Saving a checked Dataset: create what is new, update what changed, end replaced terms.

Run inside one transaction (the command does, with core.seeds.saving.all_or_nothing). Bulk
queries throughout, so the ~25,000 postcode rows take seconds, and a re-run that changes
nothing only reads.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from campaigns.importing.sources import Dataset
from campaigns.models import Area, Parliament, PostcodeShare, Representative
from campaigns.models.parliaments import ensure_parliaments
from core.seeds.saving import SeedReport

DELETE_BATCH = 500


@dataclass
class ImportReport(SeedReport):
    """The counts of areas, representatives and postcode shares, and the terms touched."""

    ended: list[str] = field(default_factory=list)  # terms ended because the seat changed hands
    dissolved: list[str] = field(default_factory=list)  # parliaments the import left with no one
    reconvened: list[str] = field(default_factory=list)  # dissolved ones whose new members came
    kept_out: list[str] = field(default_factory=list)  # marked out of office by staff; left so


def load(data: Dataset, report: ImportReport, *, today: date) -> ImportReport:
    parliaments = ensure_parliaments(Parliament)
    areas = _load_areas(data, parliaments, report)
    for slug in data.parliaments:
        members = [member for member in data.members if member.parliament == slug]
        MemberSync(parliaments[slug], areas, today, report).run(members)
    _load_shares(data, parliaments, areas, report)
    return report


def _load_areas(data, parliaments, report):
    """Create or update every area; returns them all by (parliament slug, code)."""
    slugs = {row.parliament for row in data.areas}
    existing = {
        (area.parliament.slug, area.code): area
        for area in Area.objects.filter(parliament__slug__in=slugs).select_related("parliament")
    }
    # Regions first, so constituencies can point at them.
    for kind in (Area.Kind.REGION, Area.Kind.CONSTITUENCY):
        new, changed, rows = [], [], [row for row in data.areas if row.kind == kind]
        for row in rows:
            fields = {
                "name": row.name,
                "kind": row.kind,
                "seats": row.seats,
                "counties": row.counties,
                "parent_id": existing[(row.parliament, row.parent_code)].pk
                if row.parent_code
                else None,
            }
            area = existing.get((row.parliament, row.code))
            if area is None:
                area = Area(parliament=parliaments[row.parliament], code=row.code, **fields)
                new.append(area)
                existing[(row.parliament, row.code)] = area
            elif _apply(area, fields):
                changed.append(area)
        Area.objects.bulk_create(new)
        Area.objects.bulk_update(changed, ["name", "kind", "seats", "parent", "counties"])
        unchanged = len(rows) - len(new) - len(changed)
        report.tally(Area, created=len(new), updated=len(changed), unchanged=unchanged)
    return existing


def _apply(instance, fields):
    """Set the fields that differ; True if any did."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _key(name, official_id):
    """How a member is recognised from one import to the next: the id, else the name."""
    return ("id", official_id) if official_id else ("name", name.casefold())


class MemberSync:
    """Bring one parliament's members in line with its file, keeping every past term."""

    def __init__(self, parliament, areas, today, report):
        self.parliament, self.today, self.report = parliament, today, report
        self.areas = {code: area for (slug, code), area in areas.items() if slug == parliament.slug}
        self.new, self.changed, self.ended, self.kept_out = [], [], [], 0

    def run(self, members):
        terms = defaultdict(list)
        for term in Representative.objects.filter(area__parliament=self.parliament):
            terms[term.area_id].append(term)
        had_members = any(term.in_office_to is None for area in terms.values() for term in area)
        wanted = defaultdict(list)
        for member in members:
            wanted[self.areas[member.area_code].pk].append(member)
        for area_id in terms.keys() | wanted.keys():
            self._sync_area(terms[area_id], wanted[area_id], area_id)
        # Close old terms before opening new ones: an open term's name is unique per seat.
        Representative.objects.bulk_update(self.ended, ["in_office_to", "end_reason"])
        fields = ["name", "party", "email", "addressed_as", "list_position", "in_office_from"]
        Representative.objects.bulk_update(self.changed, fields)
        Representative.objects.bulk_create(self.new)
        unchanged = len(members) - len(self.new) - len(self.changed) - self.kept_out
        self.report.tally(
            Representative, created=len(self.new), updated=len(self.changed), unchanged=unchanged
        )
        self._settle_election(had_members)

    def _settle_election(self, had_members):
        """Members elected after a dissolution end it; an import that ends every term begins one."""
        parliament, dissolved = self.parliament, self.parliament.dissolved_on
        if dissolved is not None and self._brings_members_elected_after(dissolved):
            parliament.dissolved_on = None
            self.report.reconvened.append(parliament.name)
        elif dissolved is None and had_members and not self._anyone_in_office():
            parliament.dissolved_on = self.today
            self.report.dissolved.append(parliament.name)
        else:
            return
        parliament.save(update_fields=["dissolved_on"])

    def _brings_members_elected_after(self, dissolved):
        """New terms, or terms whose start this import moved to the election or after it."""
        moved = any(t.in_office_from and t.in_office_from >= dissolved for t in self.changed)
        return bool(self.new) or moved

    def _anyone_in_office(self):
        return Representative.objects.filter(
            area__parliament=self.parliament, in_office_to__isnull=True
        ).exists()

    def _sync_area(self, terms, members, area_id):
        latest = {}
        # Oldest first, open terms last, so each member's latest term wins.
        for term in sorted(terms, key=lambda t: (t.in_office_to is None, t.in_office_to)):
            latest[_key(term.name, term.official_id)] = term
        listed = {_key(member.name, member.official_id) for member in members}
        for member in members:
            self._sync_member(latest.get(_key(member.name, member.official_id)), member, area_id)
        for key, term in latest.items():
            if key not in listed and term.in_office_to is None:
                self._end(term)

    def _sync_member(self, term, member, area_id):
        fields = {"name": member.name, "party": member.party, "list_position": member.list_position}
        if member.email:  # a blank in the file never wipes an address staff added
            fields["email"] = member.email
        if member.addressed_as:  # nor a greeting staff set
            fields["addressed_as"] = member.addressed_as
        if member.elected:
            fields["in_office_from"] = member.elected
        if term is None or _starts_new_term(term, member):
            self.new.append(
                Representative(area_id=area_id, official_id=member.official_id, **fields)
            )
        elif term.in_office_to is not None:
            self.kept_out += 1
            self.report.kept_out.append(f"{member.name} ({member.where})")
        elif _apply(term, fields):
            self.changed.append(term)

    def _end(self, term):
        """The seat changed hands: the term ends the day the import learns of it."""
        term.in_office_to = max(self.today, term.in_office_from or self.today)
        term.end_reason = f"No longer a member (import of {self.today.isoformat()})."
        self.ended.append(term)
        self.report.ended.append(f"{term.name} ({term.party}), {self.parliament.name}")


def _starts_new_term(term, member):
    """A member whose last term ended and who was elected again since."""
    ended = term.in_office_to
    return ended is not None and member.elected is not None and member.elected >= ended


def _load_shares(data, parliaments, areas, report):
    slugs = {row.parliament for row in data.shares}
    existing = {
        (prefix, area_id): (pk, granularity, postcodes, share)
        for pk, prefix, area_id, granularity, postcodes, share in PostcodeShare.objects.filter(
            area__parliament__slug__in=slugs
        ).values_list("pk", "prefix", "area_id", "granularity", "postcodes", "share")
    }
    new, changed = [], []
    for row in data.shares:
        area_id = areas[(row.parliament, row.area_code)].pk
        values = (row.granularity, row.postcodes, row.share)
        found = existing.pop((row.prefix, area_id), None)
        if found is None:
            new.append(PostcodeShare(prefix=row.prefix, area_id=area_id, **_share_fields(values)))
        elif found[1:] != values:
            changed.append(PostcodeShare(pk=found[0], **_share_fields(values)))
    stale = [pk for pk, *_ in existing.values()]
    for start in range(0, len(stale), DELETE_BATCH):
        PostcodeShare.objects.filter(pk__in=stale[start : start + DELETE_BATCH]).delete()
    PostcodeShare.objects.bulk_create(new, batch_size=2000)
    PostcodeShare.objects.bulk_update(
        changed, ["granularity", "postcodes", "share"], batch_size=500
    )
    unchanged = len(data.shares) - len(new) - len(changed)
    report.tally(
        PostcodeShare,
        created=len(new),
        updated=len(changed),
        unchanged=unchanged,
        removed=len(stale),
    )


def _share_fields(values):
    granularity, postcodes, share = values
    return {"granularity": granularity, "postcodes": postcodes, "share": share}
