"""The demo campaigns in seeds/content/campaigns.json, loaded by `load_seeds` with the rest."""

import json
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from campaigns.letters import placeholders
from campaigns.letters.drafts import member_values
from campaigns.models import Campaign, LetterTemplate, ParliamentaryAction
from campaigns.models.parliaments import COMMONS, HOLYROOD
from stories.models import Story
from tests.support.campaign_factories import make_area, make_member
from tests.support.seed_files import copy_demo_content

COMMONS_CAMPAIGN = "speak-up-for-north-korean-refugees-held-in-china"
HOLYROOD_CAMPAIGN = "bring-north-korean-refugees-back-to-holyrood"
SEED_STORY = "china-returns-600-north-korean-refugees"
SEED_PRAYER = "north-korean-refugees-returned-from-china"
MODELS = (
    Campaign,
    Campaign.target_parliaments.through,
    Campaign.stories.through,
    ParliamentaryAction,
    LetterTemplate,
    Story,
)
SUPPORTER = {
    "supporter_name": "Ruth Campbell",
    "supporter_address": "1 Kirk Lane\nEdinburgh\nEH1 1AA",
    "personal_paragraph": "Our church prays for North Korea every week.",
}


@pytest.fixture
def seeds(tmp_path):
    return copy_demo_content(tmp_path / "seeds")


def load(seeds, *options):
    out = StringIO()
    call_command("load_seeds", "--path", str(seeds), *options, stdout=out)
    return out.getvalue()


def database():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def edit_campaign(seeds, slug, change):
    path = seeds / "content" / "campaigns.json"
    data = json.loads(path.read_text())
    change(next(entry for entry in data if entry["slug"] == slug))
    path.write_text(json.dumps(data, indent=2))


@pytest.mark.django_db
def test_the_seeds_open_two_campaigns_on_the_seed_story(seeds):
    load(seeds)

    live = Campaign.objects.live()
    assert sorted(live.values_list("slug", flat=True)) == [HOLYROOD_CAMPAIGN, COMMONS_CAMPAIGN]
    for campaign in live:
        assert campaign.published_at.strftime("%Y-%m") == "2023-10"
        assert campaign.closes_at is None
        assert [story.slug for story in campaign.stories.all()] == [SEED_STORY]
        assert campaign.prayer_request.slug == SEED_PRAYER
        assert campaign.spokesperson.name == "Timothy Cho"
        assert campaign.why_it_matters.count("\n\n") >= 2


@pytest.mark.django_db
def test_the_commons_campaign_hopes_for_a_debate(seeds):
    load(seeds)

    campaign = Campaign.objects.get(slug=COMMONS_CAMPAIGN)
    assert [p.slug for p in campaign.target_parliaments.all()] == [COMMONS]
    debate = campaign.actions.get()
    assert (debate.kind, debate.parliament.slug) == (ParliamentaryAction.Kind.DEBATE, COMMONS)
    assert "Backbench Business debate" in debate.title
    assert (debate.reference, debate.date, debate.tabled_by) == ("", None, "")


@pytest.mark.django_db
def test_the_holyrood_campaign_tracks_kate_forbess_motion_without_inventing_its_details(seeds):
    load(seeds)

    campaign = Campaign.objects.get(slug=HOLYROOD_CAMPAIGN)
    assert [p.slug for p in campaign.target_parliaments.all()] == [HOLYROOD]
    motion = campaign.actions.get()
    assert (motion.kind, motion.parliament.slug) == (ParliamentaryAction.Kind.MOTION, HOLYROOD)
    assert motion.tabled_by == "Kate Forbes MSP"
    assert (motion.reference, motion.date, motion.link, motion.tabled_by_member) == (
        "",
        None,
        "",
        None,
    )
    assert motion.session == 6  # the 2021-26 session: history in session 7
    variants = campaign.templates.values_list("variant", flat=True)
    assert sorted(variants) == [
        LetterTemplate.Variant.ASK,
        LetterTemplate.Variant.CANDIDATES,  # for when Holyrood is next dissolved
        LetterTemplate.Variant.THANK_YOU,
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug, parliament", [(COMMONS_CAMPAIGN, COMMONS), (HOLYROOD_CAMPAIGN, HOLYROOD)]
)
def test_each_ask_letter_reads_whole_for_a_member(seeds, slug, parliament):
    load(seeds)
    campaign = Campaign.objects.get(slug=slug)
    member = make_member(make_area(parliament, name="Edinburgh Central"), name="Alex Reid")
    template = campaign.templates.get(parliament__slug=parliament, variant="ask")

    values = member_values(campaign, member) | SUPPORTER
    subject = placeholders.render(template.subject, values)
    letter = placeholders.render(template.body, values)

    assert "{" not in subject + letter
    assert letter.startswith("Dear Alex Reid,\n\n")
    assert "constituent in Edinburgh Central" in letter
    assert f"\n\n{SUPPORTER['personal_paragraph']}\n\n" in letter
    assert letter.endswith("Yours sincerely,\n\nRuth Campbell\n1 Kirk Lane\nEdinburgh\nEH1 1AA")
    assert 2 <= len(template.prompt_list) <= 3


@pytest.mark.django_db
def test_the_campaign_pages_show_the_seeded_campaigns(seeds, client):
    load(seeds)

    listing = client.get(reverse("campaigns:campaign_list")).content.decode()
    page = client.get(Campaign.objects.get(slug=HOLYROOD_CAMPAIGN).get_absolute_url())
    page = page.content.decode()

    assert all(escape(campaign.title) in listing for campaign in Campaign.objects.all())
    assert page.count("<h1") == 1
    assert "tabled by Kate Forbes MSP" in page
    assert "Timothy Cho" in page


@pytest.mark.django_db
def test_a_second_load_changes_nothing(seeds):
    load(seeds)
    before = database()

    output = load(seeds, "--verbosity", "2")

    assert database() == before
    assert "0 created, 0 updated" in output.splitlines()[-1]
    assert f"unchanged campaign {HOLYROOD_CAMPAIGN}" in output
    assert f"unchanged letter template {HOLYROOD_CAMPAIGN}: thank_you template for" in output


@pytest.mark.django_db
def test_a_changed_action_updates_only_its_campaign(seeds):
    load(seeds)
    other = list(ParliamentaryAction.objects.filter(campaign__slug=COMMONS_CAMPAIGN).values())
    edit_campaign(
        seeds, HOLYROOD_CAMPAIGN, lambda data: data["actions"][0].update(title="A new title")
    )

    output = load(seeds, "--verbosity", "2")

    assert f"updated campaign {HOLYROOD_CAMPAIGN}" in output
    assert "0 created, 1 updated" in output.splitlines()[-1]
    assert ParliamentaryAction.objects.get(campaign__slug=HOLYROOD_CAMPAIGN).title == "A new title"
    assert list(ParliamentaryAction.objects.filter(campaign__slug=COMMONS_CAMPAIGN).values()) == (
        other
    )


@pytest.mark.django_db
def test_a_seeds_folder_without_campaigns_still_loads(seeds):
    (seeds / "content" / "campaigns.json").unlink()

    load(seeds)

    assert Story.objects.filter(slug=SEED_STORY).exists()
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_saves_no_campaign(seeds):
    output = load(seeds, "--dry-run", "--verbosity", "2")

    assert f"would create campaign {COMMONS_CAMPAIGN}" in output
    assert f"would create letter template {COMMONS_CAMPAIGN}: ask template for" in output
    assert all(count == 0 for count in map(len, database().values()))


def _bad(slug, change, *expected):
    return (slug, change, [f"campaign '{slug}'", *expected])


def _drop(name):
    return lambda data: data.pop(name)


def _first_template(**values):
    return lambda data: data["templates"][0].update(values)


def _first_action(**values):
    return lambda data: data["actions"][0].update(values)


BAD_CAMPAIGNS = {
    "unknown story": _bad(
        COMMONS_CAMPAIGN, lambda data: data.update(stories=["x"]), "unknown story 'x'"
    ),
    "unknown parliament": _bad(
        COMMONS_CAMPAIGN,
        lambda data: data.update(parliaments=["house-of-lords"]),
        "unknown parliament 'house-of-lords'",
    ),
    "no parliament": _bad(
        COMMONS_CAMPAIGN, lambda data: data.update(parliaments=[]), "parliaments must not be empty"
    ),
    "unknown prayer request": _bad(
        COMMONS_CAMPAIGN, lambda data: data.update(prayer_request="x"), "unknown prayer request 'x'"
    ),
    "unknown spokesperson": _bad(
        HOLYROOD_CAMPAIGN, lambda data: data.update(spokesperson="x"), "unknown spokesperson 'x'"
    ),
    "missing field": _bad(HOLYROOD_CAMPAIGN, _drop("share_text"), "missing field(s): share_text"),
    "unknown field": _bad(
        HOLYROOD_CAMPAIGN, lambda data: data.update(closes="soon"), "unknown field(s): closes"
    ),
    "goal not a number": _bad(
        COMMONS_CAMPAIGN, lambda data: data.update(goal="lots"), "goal must be a whole number"
    ),
    "title not text": _bad(
        COMMONS_CAMPAIGN, lambda data: data.update(title=["x"]), "title must be text"
    ),
    "opens without an offset": _bad(
        COMMONS_CAMPAIGN,
        lambda data: data.update(published_at="2023-10-20T10:00:00"),
        "published_at must be a time with a UTC offset",
    ),
    "closes before it opens": _bad(
        COMMONS_CAMPAIGN,
        lambda data: data.update(closes_at="2023-10-01T10:00:00+01:00"),
        "closes_at: A campaign must close after it opens.",
    ),
    "unknown placeholder": _bad(
        HOLYROOD_CAMPAIGN,
        lambda data: data["templates"][0]["body"].append("{bogus}"),
        "ask template for scottish-parliament",
        "body: “{bogus}” is not one of the placeholders",
    ),
    "lone brace in a subject": _bad(
        COMMONS_CAMPAIGN,
        _first_template(subject="Refugees {"),
        "ask template for house-of-commons",
        "subject: A lone “{”",
    ),
    "unknown variant": _bad(
        HOLYROOD_CAMPAIGN,
        lambda data: data["templates"][1].update(variant="thanks"),
        "thanks template for scottish-parliament",
        "variant",
    ),
    "template for another parliament": _bad(
        HOLYROOD_CAMPAIGN,
        lambda data: data["templates"][1].update(parliament=COMMONS),
        "house-of-commons is not one of the campaign's parliaments",
    ),
    "template given twice": _bad(
        HOLYROOD_CAMPAIGN,
        lambda data: data["templates"][1].update(variant="ask"),
        "ask template for scottish-parliament",
        "an earlier template has the same parliament and variant",
    ),
    "no ask template": _bad(
        HOLYROOD_CAMPAIGN,
        lambda data: data["templates"].pop(0),
        "no ask template for scottish-parliament",
    ),
    "template missing its body": _bad(
        COMMONS_CAMPAIGN,
        lambda data: data["templates"][0].pop("body"),
        "template 1",
        "missing field(s): body",
    ),
    "unknown action kind": _bad(
        HOLYROOD_CAMPAIGN, _first_action(kind="petition"), "action 1", "kind", "not a valid choice"
    ),
    "action in an unknown parliament": _bad(
        HOLYROOD_CAMPAIGN, _first_action(parliament="x"), "action 1", "unknown parliament 'x'"
    ),
    "action date not a day": _bad(
        HOLYROOD_CAMPAIGN,
        _first_action(date="autumn 2023"),
        "action 1",
        "date 'autumn 2023' is not a date (YYYY-MM-DD)",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("slug, change, expected", BAD_CAMPAIGNS.values(), ids=BAD_CAMPAIGNS)
def test_a_bad_campaign_is_named_and_changes_nothing(seeds, slug, change, expected):
    load(seeds)
    before = database()
    edit_campaign(seeds, COMMONS_CAMPAIGN, lambda data: data.update(ask="Changed"))
    edit_campaign(seeds, slug, change)

    with pytest.raises(CommandError) as error:
        load(seeds)

    assert "Nothing was loaded" in str(error.value)
    assert "campaigns.json" in str(error.value)
    for fragment in expected:
        assert fragment in str(error.value)
    assert database() == before


def test_the_editors_guide_lists_every_placeholder():
    guide = (settings.BASE_DIR / "docs" / "editors.md").read_text()
    listed = set(re.findall(r"^\| `\{([a-z_]+)\}` \|", guide, re.MULTILINE))

    assert listed == set(placeholders.PLACEHOLDERS)
