"""``render_letters``: a letter pack per parliament, on the real imported open data."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils.text import slugify

from campaigns.letters.packs import file_stems
from campaigns.models import Area, LetterTemplate, Representative
from campaigns.models.parliaments import COMMONS, HOLYROOD, SENEDD
from tests.support.campaign_factories import make_campaign, make_motion, make_thank_you_template
from tests.support.queries import RENDER_LETTERS_MAX_QUERIES

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Europe/London"))
MPS = 650  # seeds/representatives/uk_mps.csv
MSPS = 129  # seeds/representatives/msps.csv: 73 constituency + 56 regional
# Whatever the number of members: the savepoint and its release, the campaign with its
# parliaments, templates, motions and their supporters (5), the parliament, its members.


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def render(imported, db, tmp_path):
    """Run the command into a fresh folder; return its output and the folder."""

    def run(*args, **options):
        out = StringIO()
        folder = options.pop("out", tmp_path / "pack")
        call_command("render_letters", *args, out=folder, stdout=out, **options)
        return out.getvalue(), folder

    return run


def starmer():
    return Representative.objects.current().get(area__name="Holborn and St Pancras")


def test_a_commons_campaign_writes_one_letter_per_mp(render):
    campaign = make_campaign()

    output, folder = render(campaign.slug, parliament="commons")

    files = sorted(folder.iterdir())
    assert len(files) == MPS
    assert all(path.suffix == ".txt" for path in files)
    assert f"Wrote {MPS} letters for House of Commons to {folder}" in output
    assert "600 of 650 letters" in output


def test_the_holborn_letter_is_addressed_and_leaves_blanks_for_the_volunteer(render):
    campaign = make_campaign()

    _, folder = render(campaign.slug, parliament="commons")

    letter = (folder / "holborn-and-st-pancras.txt").read_text(encoding="utf-8")
    assert letter.startswith("Sir Keir Starmer MP\nHouse of Commons\nLondon\nSW1A 0AA\n")
    assert "North Korean refugees: Sir Keir Starmer" in letter
    assert "Dear Sir Keir Starmer" in letter
    assert "As your constituent in Holborn and St Pancras" in letter
    assert "[Your full name]\n[Your address]\n[Your postcode]" in letter
    assert (
        "[In your own words: Why does this matter to you? What is your church's connection?]"
        in letter
    )
    assert "{" not in letter


def test_no_letter_keeps_a_placeholder(render):
    campaign = make_campaign()

    _, folder = render(campaign.slug, parliament=COMMONS)

    assert not [p.name for p in folder.iterdir() if "{" in p.read_text(encoding="utf-8")]


def test_html_letters_are_whole_escaped_documents(render):
    campaign = make_campaign()
    LetterTemplate.objects.filter(campaign=campaign).update(
        subject="<b>Refugees</b>", body="{salutation},\n\n<script>alert(1)</script> & more"
    )

    _, folder = render(campaign.slug, parliament="commons", format="html")

    files = list(folder.iterdir())
    assert len(files) == MPS
    page = (folder / "holborn-and-st-pancras.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert "<title>&lt;b&gt;Refugees&lt;/b&gt;</title>" in page
    assert "<address>Sir Keir Starmer MP<br>\nHouse of Commons<br>" in page
    assert "<p>Dear Sir Keir Starmer,</p>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<script>" not in page


def test_a_scottish_campaign_writes_one_letter_per_msp_with_region_members_apart(render):
    campaign = make_campaign(parliaments=(HOLYROOD,))

    output, folder = render(campaign.slug, parliament="holyrood", verbosity=2)

    names = {path.name for path in folder.iterdir()}
    assert len(names) == MSPS
    glasgow_list = Representative.objects.current().filter(
        area__name="Glasgow", area__kind=Area.Kind.REGION
    )
    assert {f"glasgow-{slugify(m.name)}.txt" for m in glasgow_list} <= names
    assert len(glasgow_list) == 7
    letter = (folder / "glasgow-anas-sarwar.txt").read_text(encoding="utf-8")
    assert letter.startswith("Anas Sarwar MSP\nThe Scottish Parliament\n")
    assert "Dear Anas Sarwar" in letter
    assert "  glasgow-anas-sarwar.txt (ask)" in output
    assert f"Wrote {MSPS} letters for Scottish Parliament" in output


def test_senedd_members_sharing_a_constituency_get_a_file_each(render):
    campaign = make_campaign(parliaments=(SENEDD,))

    _, folder = render(campaign.slug, parliament="welsh")

    expected = Representative.objects.current().filter(area__parliament__slug=SENEDD).count()
    names = [path.name for path in folder.iterdir()]
    assert len(names) == expected == 96
    assert sum(name.startswith("afan-ogwr-rhondda-") for name in names) == 6


def test_a_member_who_supports_the_motion_gets_the_thank_you_letter(render):
    campaign = make_campaign()
    make_thank_you_template(campaign)
    make_motion(campaign, supporters=[starmer()], reference="EDM 42")

    output, folder = render(campaign.slug, parliament="commons", verbosity=2)

    thanks = (folder / "holborn-and-st-pancras.txt").read_text(encoding="utf-8")
    assert "Thank you, Sir Keir Starmer" in thanks
    assert "Thank you for supporting EDM 42." in thanks
    # The thank-you template has no prompts of its own: the volunteer gets the usual ones.
    assert "[In your own words: Why does this matter to you?" in thanks
    ask = (folder / "aberafan-maesteg.txt").read_text(encoding="utf-8")
    assert "As your constituent in Aberafan Maesteg" in ask
    assert "  holborn-and-st-pancras.txt (thank you)" in output


def test_an_unknown_campaign_is_refused_with_the_campaigns_there_are(render):
    campaign = make_campaign()

    with pytest.raises(CommandError, match=rf"No campaign “nope”\. Campaigns: .*{campaign.slug}"):
        render("nope", parliament="commons")


def test_an_unknown_parliament_is_refused_with_the_names_accepted(render):
    campaign = make_campaign()

    with pytest.raises(CommandError) as raised:
        render(campaign.slug, parliament="lords")

    message = str(raised.value)
    assert message.startswith("No parliament “lords”. Use one of: commons, holyrood,")
    assert "house-of-commons" in message


def test_a_parliament_the_campaign_does_not_target_is_refused(render, tmp_path):
    campaign = make_campaign()

    with pytest.raises(CommandError, match="does not target the Scottish Parliament"):
        render(campaign.slug, parliament="scottish")
    assert not (tmp_path / "pack").exists()


def test_a_parliament_without_an_ask_letter_is_refused(render):
    campaign = make_campaign(parliaments=(COMMONS, HOLYROOD))
    LetterTemplate.objects.filter(campaign=campaign, parliament__slug=HOLYROOD).delete()

    with pytest.raises(CommandError, match="no ask letter template for the Scottish Parliament"):
        render(campaign.slug, parliament="holyrood")


def test_an_out_path_that_is_a_file_is_refused(render, tmp_path):
    campaign = make_campaign()
    taken = tmp_path / "taken"
    taken.write_text("")

    with pytest.raises(CommandError, match="exists and is not a folder"):
        render(campaign.slug, parliament="commons", out=taken)


def test_a_dry_run_writes_nothing(render):
    campaign = make_campaign()

    output, folder = render(campaign.slug, parliament="commons", dry_run=True)

    assert not folder.exists()
    assert f"Dry run (nothing written): would write {MPS} letters for House of Commons" in output


def test_letters_of_the_same_name_are_overwritten(render, tmp_path):
    campaign = make_campaign()
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "holborn-and-st-pancras.txt").write_text("old")

    render(campaign.slug, parliament="commons", verbosity=0)

    assert "Sir Keir Starmer" in (folder / "holborn-and-st-pancras.txt").read_text()
    assert len(list(folder.iterdir())) == MPS


def test_the_query_count_does_not_grow_with_the_members(
    render, tmp_path, django_assert_max_num_queries
):
    campaign = make_campaign(parliaments=(COMMONS, HOLYROOD))
    make_thank_you_template(campaign)
    make_motion(campaign, supporters=[starmer()])

    with django_assert_max_num_queries(RENDER_LETTERS_MAX_QUERIES) as commons:
        render(campaign.slug, parliament="commons", out=tmp_path / "commons")
    with django_assert_max_num_queries(RENDER_LETTERS_MAX_QUERIES) as holyrood:
        render(campaign.slug, parliament="holyrood", out=tmp_path / "holyrood")

    assert len(commons) == len(holyrood)


def test_areas_sharing_a_name_get_their_code_added():
    def member(name, area_name, code, seats=1):
        area = Area(name=area_name, code=code, seats=seats, kind=Area.Kind.CONSTITUENCY)
        return Representative(name=name, area=area)

    members = [
        member("A One", "Newport", "W1"),
        member("B Two", "Newport", "E2"),
        member("C Three", "Bangor Conwy Môn", "W9", seats=6),
        member("D Four", "Holborn and St Pancras", "E3"),
    ]

    assert file_stems(members) == [
        "newport-w1",
        "newport-e2",
        "bangor-conwy-mon-c-three",
        "holborn-and-st-pancras",
    ]


def test_identical_names_in_one_area_are_numbered():
    area = Area(name="Glasgow", code="S17", seats=7, kind=Area.Kind.REGION)
    members = [Representative(name="Jo Bloggs", area=area) for _ in range(2)]

    assert file_stems(members) == ["glasgow-jo-bloggs-s17", "glasgow-jo-bloggs-s17-2"]
