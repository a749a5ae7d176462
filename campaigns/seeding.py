"""Load the demo campaigns in seeds/content/campaigns.json, the way stories.seeding loads the
stories (both build on core.seeds): found by slug, every object validated, saved only when a
value differs.
"""

from pathlib import Path

from campaigns.models import Campaign, LetterTemplate, Parliament, ParliamentaryAction
from campaigns.models.parliaments import ensure_parliaments
from core.seeds import saving
from core.seeds.reading import Where, check_keys, day, moment, read_entries, refer, strings
from stories.seeding import StoriesContent

CAMPAIGN_TEXT = ("title", "summary", "ask", "thank_you_text", "share_text")
CAMPAIGN_NUMBERS = ("goal", "min_personal_percent")
CAMPAIGN_LINKS = ("why_it_matters", "parliaments", "stories", "prayer_request", "spokesperson")
CHILDREN = ("actions", "templates")
ACTION_OPTIONAL = ("reference", "tabled_by", "date", "link")
ACTION_FIELDS = ("kind", "parliament_id", "title", *ACTION_OPTIONAL, "session", "position")


def load_campaigns(
    path: Path, linked: StoriesContent, report: saving.SeedReport
) -> dict[str, Campaign]:
    """Each campaign with its parliaments, links, actions and letter templates.

    A seeds folder without campaigns.json (one written before campaigns existed) loads the
    rest as before.
    """
    if not path.exists():
        return {}
    stories, people, prayers = linked.stories, linked.people, linked.prayers
    # The five parliaments come with the migrations; make sure of them (an emptied test
    # database has none), without touching what staff have edited.
    ensure_parliaments(Parliament)
    parliaments = {parliament.slug: parliament for parliament in Parliament.objects.all()}
    campaigns = {}
    for where, data in read_entries(path, "campaign"):
        required = ("slug", *CAMPAIGN_TEXT, *CAMPAIGN_NUMBERS, *CAMPAIGN_LINKS)
        check_keys(where, data, (*required, *CHILDREN, "status", "published_at"), ("closes_at",))
        _check_types(where, data, CAMPAIGN_TEXT, str, "text")
        _check_types(where, data, CAMPAIGN_NUMBERS, int, "a whole number")
        if not (slugs := strings(where, data, "parliaments")):
            raise where.error("parliaments must not be empty")
        targets = [refer(where, "parliament", slug, parliaments) for slug in slugs]
        linked = [refer(where, "story", slug, stories) for slug in strings(where, data, "stories")]
        values = saving.publication(where, data, (*CAMPAIGN_TEXT, *CAMPAIGN_NUMBERS))
        values |= _links(where, data, people, prayers)
        campaign, done = saving.upsert(Campaign, {"slug": data["slug"]}, values, where, report)
        actions = _actions(where, campaign, data["actions"], parliaments)
        changed = saving.sync_m2m(campaign, "target_parliaments", targets)
        changed |= saving.sync_m2m(campaign, "stories", linked)
        changed |= saving.sync_children(campaign.actions, actions, ACTION_FIELDS, where)
        campaigns[data["slug"]] = saving.finish(report, campaign, done, data["slug"], changed)
        _templates(where, campaign, data["templates"], parliaments, targets, report)
    return campaigns


def _check_types(where: Where, data: dict, names: tuple, kind: type, said: str) -> None:
    for name in names:
        if not isinstance(data[name], kind) or isinstance(data[name], bool):
            raise where.error(f"{name} must be {said}, not {data[name]!r}")


def _links(where: Where, data: dict, people: dict, prayers: dict) -> dict:
    return {
        "why_it_matters": "\n\n".join(strings(where, data, "why_it_matters")),
        "prayer_request": _optional(where, "prayer request", data["prayer_request"], prayers),
        "spokesperson": _optional(where, "spokesperson", data["spokesperson"], people),
        "closes_at": _unless_none(moment, where, "closes_at", data.get("closes_at")),
    }


def _optional(where: Where, kind: str, slug, known: dict):
    """A slug, or null (or "") for none."""
    if slug in (None, ""):
        return None
    if not isinstance(slug, str):
        raise where.error(f"{kind} must be a slug or null, not {slug!r}")
    return refer(where, kind, slug, known)


def _unless_none(read, where: Where, name: str, value):
    """None (for a date: not known; for closes_at: open until taken down), or the value read."""
    return None if value is None else read(where, name, value)


def _actions(where: Where, campaign: Campaign, actions, parliaments: dict):
    """The campaign's motions and debates, in order; members are linked in the admin."""
    if not isinstance(actions, list):
        raise where.error("actions must be a list")
    built = []
    for position, data in enumerate(actions, start=1):
        here = where.within(f"action {position}")
        check_keys(here, data, ("kind", "parliament", "title"), (*ACTION_OPTIONAL, "session"))
        _check_types(here, data, ("kind", "parliament", "title"), str, "text")
        if data.get("session") is not None:
            _check_types(here, data, ("session",), int, "a whole number")
        values = {name: data.get(name, "") for name in ACTION_OPTIONAL} | {
            "kind": data["kind"],
            "title": data["title"],
            "date": _unless_none(day, here, "date", data.get("date")),
            "session": data.get("session"),
            "parliament": refer(here, "parliament", data["parliament"], parliaments),
        }
        action = ParliamentaryAction(campaign=campaign, position=position, **values)
        saving.validate(action, here)  # here, so that an error names the action
        built.append(action)
    return built


def _templates(
    where: Where, campaign: Campaign, templates, parliaments: dict, targets: list, report
) -> None:
    """One letter per (parliament, variant); each target parliament needs the ask.

    Templates the seeds do not give (added in the admin) are left alone.
    """
    if not isinstance(templates, list):
        raise where.error("templates must be a list")
    given = set()
    for number, data in enumerate(templates, start=1):
        here = where.within(f"template {number}")
        check_keys(here, data, ("parliament", "variant", "subject", "body"), ("prompts",))
        _check_types(here, data, ("parliament", "variant", "subject"), str, "text")
        parliament = refer(here, "parliament", data["parliament"], parliaments)
        variant, name = data["variant"], f"{data['variant']} template for {parliament.slug}"
        here = where.within(name)
        if (parliament.slug, variant) in given:
            raise here.error("an earlier template has the same parliament and variant")
        if parliament not in targets:
            raise here.error(f"{parliament.slug} is not one of the campaign's parliaments")
        given.add((parliament.slug, variant))
        lookup = {"campaign": campaign, "parliament": parliament, "variant": variant}
        values = {
            "subject": data["subject"],
            "body": "\n\n".join(strings(here, data, "body")),
            "prompts": "\n".join(strings(here, data, "prompts") if "prompts" in data else []),
        }
        template, done = saving.upsert(LetterTemplate, lookup, values, here, report)
        saving.finish(report, template, done, f"{campaign.slug}: {name}")
    for parliament in targets:
        if (parliament.slug, LetterTemplate.Variant.ASK) not in given:
            raise where.error(f"no ask template for {parliament.slug}, one of its parliaments")
