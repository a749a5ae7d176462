"""Holyrood's sessions and a parliament's dissolution: what staff set and what supporters see."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.lookup.service import lookup_postcode
from campaigns.models import Area, Campaign, ParliamentaryAction, Representative
from campaigns.models.parliaments import COMMONS, HOLYROOD
from core.cache_version import next_scheduled_change
from tests.support.campaign_factories import (
    make_area,
    make_campaign,
    make_member,
    make_scottish_seat,
    make_share,
    parliament,
)
from tests.support.imports import LATER, run_import
from tests.support.seed_files import small_dataset, write_seed_files

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def holyrood_action(**fields):
    campaign = make_campaign(parliaments=(HOLYROOD,))
    values = {"kind": "motion", "title": "Forced returns"} | fields
    return ParliamentaryAction(campaign=campaign, parliament=parliament(HOLYROOD), **values)


# Holyrood's sessions


def test_holyrood_is_in_its_seventh_session_since_the_2026_election():
    holyrood = parliament(HOLYROOD)
    assert (holyrood.session, holyrood.session_began) == (7, date(2026, 5, 7))
    assert holyrood.session_of(date(2026, 5, 7)) == 7
    assert holyrood.session_of(date(2023, 10, 24)) == 6


def test_a_motion_of_this_session_is_s7m_and_fills_its_session():
    action = holyrood_action(reference="S7M-01234", date=date(2026, 9, 1))
    action.full_clean()
    assert action.session == 7
    assert not action.from_earlier_session


@pytest.mark.parametrize(
    ("reference", "day", "says"),
    [
        ("S6M-10836", date(2026, 9, 1), "is from session 6, but on 1 September 2026 session 7"),
        ("S7M-00001", date(2024, 2, 1), "is from session 7, but on 1 February 2024 session 6"),
        ("S8M-00001", None, "Session 8 has not begun"),
        ("S7W-01234", None, "M for a motion"),
        ("EDM 123", None, "S7M-01234"),
        ("S7M-1234", None, "five digits"),
    ],
)
def test_a_holyrood_reference_that_cannot_be_right_is_refused(reference, day, says):
    action = holyrood_action(reference=reference, date=day)
    with pytest.raises(ValidationError) as refused:
        action.full_clean()
    assert says in " ".join(refused.value.message_dict["reference"])


def test_a_question_may_have_its_own_letter_and_an_amendment_its_number():
    holyrood_action(kind="question", reference="S7W-01234").full_clean()
    holyrood_action(reference="S7M-01234.1").full_clean()


def test_a_session_staff_set_must_agree_with_the_reference():
    action = holyrood_action(reference="S6M-10836", session=7)
    with pytest.raises(ValidationError) as refused:
        action.full_clean()
    assert "session 6" in refused.value.message_dict["session"][0]


def test_a_motion_from_the_last_session_is_shown_as_history(client):
    action = holyrood_action(reference="S6M-10836", tabled_by="Kate Forbes MSP")
    action.full_clean()
    action.save()
    page = client.get(action.campaign.get_absolute_url()).content.decode()
    assert "Motion S6M-10836" in page
    assert "from session 6, before the last election: it can no longer be signed" in page


def test_the_seed_motion_reads_as_the_last_session(client):
    call_command("load_seeds", verbosity=0)
    campaign = Campaign.objects.get(slug="bring-north-korean-refugees-back-to-holyrood")
    motion = campaign.actions.get()
    assert (motion.session, motion.from_earlier_session) == (6, True)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "from session 6, before the last election" in page


# Dissolution


def dissolve(slug=COMMONS, on=None):
    chamber = parliament(slug)
    chamber.dissolved_on = on or timezone.localdate()
    chamber.save()
    return chamber


@pytest.fixture
def seat():
    area = make_area(code="E14001172", name="Cities of London and Westminster")
    make_share("SW1A 0", area)
    return area


def test_from_the_day_of_dissolution_no_member_is_offered(seat):
    member = make_member(seat, name="Rachel Blake", in_office_from=date(2024, 7, 4))
    dissolve(on=timezone.localdate() + timedelta(days=1))
    assert list(Representative.objects.current()) == [member]

    dissolve()
    member.refresh_from_db()
    assert not Representative.objects.current().exists()
    assert not member.is_current()
    found = lookup_postcode(postcode="SW1A 0AA").parliaments[0].constituency
    assert found.members == []
    assert "dissolved on" in found.vacancies[0]
    assert "there are no MPs until the new ones are elected" in found.vacancies[0]


def test_members_elected_after_the_dissolution_are_offered(seat):
    make_member(seat, name="Rachel Blake", in_office_from=date(2024, 7, 4))
    chamber = dissolve(on=timezone.localdate() - timedelta(days=30))
    elected = make_member(
        seat, name="New Member", in_office_from=chamber.dissolved_on + timedelta(days=28)
    )
    assert list(Representative.objects.current()) == [elected]
    found = lookup_postcode(postcode="SW1A 0AA").parliaments[0].constituency
    assert found.members == [elected]


def test_a_campaign_says_its_parliament_is_dissolved_and_pauses(client, seat):
    make_member(seat, name="Rachel Blake", in_office_from=date(2024, 7, 4))
    campaign = make_campaign()
    dissolve(on=date(2026, 12, 1))
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "the House of Commons was dissolved on 1 December 2026" in page.replace("The ", "the ")
    assert "Letters to MPs are paused until then" in page

    members = client.get(reverse("campaigns:write", args=[campaign.slug]), {"postcode": "SW1A 0AA"})
    text = members.content.decode()
    assert "Letters to MPs are paused until then" in text
    assert 'name="member"' not in text
    assert "there are no MPs until the new ones are elected" in text


def test_a_campaign_may_offer_a_letter_to_the_candidates_instead(client, seat):
    campaign = make_campaign(during_election=Campaign.DuringElection.CANDIDATES)
    dissolve()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "print a letter to the candidates standing where you live" in page
    assert "paused" not in page


def test_a_dissolution_ahead_is_the_next_scheduled_change():
    day = timezone.localdate() + timedelta(days=3)
    dissolve(on=day)
    soonest = datetime.fromtimestamp(next_scheduled_change(), tz=timezone.get_current_timezone())
    assert soonest.date() == day and soonest.hour == 0


def test_saving_a_parliament_in_the_admin_makes_cached_pages_stale(
    admin_client, django_capture_on_commit_callbacks
):
    from core.cache_version import content_version

    chamber = parliament(HOLYROOD)
    before = content_version()
    url = reverse("admin:campaigns_parliament_change", args=[chamber.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"dissolved_on": "2030-03-28", "session_began": "2026-05-07"}
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post(url, data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    chamber.refresh_from_db()
    assert chamber.dissolved_on == date(2030, 3, 28)
    assert content_version() != before


# The import


def holyrood_members():
    return [row["name"] for row in small_dataset()["msps.csv"]]


def test_an_import_that_ends_every_term_marks_the_parliament_dissolved(tmp_path):
    run_import(write_seed_files(tmp_path / "first", small_dataset()))
    emptied = small_dataset() | {"msps.csv": []}
    output = run_import(write_seed_files(tmp_path / "empty", emptied), at=LATER)
    holyrood = parliament(HOLYROOD)
    assert holyrood.dissolved_on == LATER.date()
    assert "Scottish Parliament: no member is left in office" in output
    assert parliament(COMMONS).dissolved_on is None


def test_the_members_elected_after_a_dissolution_end_it(tmp_path):
    run_import(write_seed_files(tmp_path / "first", small_dataset()))
    dissolve(HOLYROOD, on=date(2026, 10, 1))
    with time_machine.travel(LATER, tick=False):
        assert not Representative.objects.current().filter(area__parliament__slug=HOLYROOD)

    # The same list again (a re-run of the seed) does not end it...
    run_import(write_seed_files(tmp_path / "again", small_dataset()), at=LATER)
    assert parliament(HOLYROOD).dissolved_on == date(2026, 10, 1)

    # ...the members of the new session do.
    dataset = small_dataset()
    for row in dataset["msps.csv"]:
        row["elected"] = "2026-11-05"
    dataset["msps.csv"][0]["name"] = "A Newly Elected Member"
    output = run_import(write_seed_files(tmp_path / "new", dataset), at=LATER)
    assert parliament(HOLYROOD).dissolved_on is None
    assert "Scottish Parliament: the members elected after its dissolution are in" in output
    with time_machine.travel(LATER, tick=False):
        current = Representative.objects.current().filter(area__parliament__slug=HOLYROOD)
        names = set(current.values_list("name", flat=True))
    assert "A Newly Elected Member" in names and holyrood_members()[0] not in names


# The letter to the candidates


def candidates_url(campaign, seat_code="E14001172"):
    query = f"?postcode=SW1A+0AA&seat={seat_code}"
    return reverse("campaigns:write_candidates", args=[campaign.slug]) + query


@pytest.fixture
def in_election(seat):
    make_member(seat, name="Rachel Blake", in_office_from=date(2024, 7, 4))
    dissolve()
    return make_campaign(during_election=Campaign.DuringElection.CANDIDATES)


def test_the_members_step_offers_the_candidates_instead_of_the_member(client, in_election):
    page = client.get(
        reverse("campaigns:write", args=[in_election.slug]), {"postcode": "SW1A 0AA"}
    ).content.decode()
    assert "Write to the candidates for Cities of London and Westminster" in page
    assert "/write/candidates/?postcode=SW1A%200AA&amp;seat=E14001172" in page


def test_the_candidates_letter_is_drafted_printed_and_never_kept(client, in_election):
    from campaigns.models import Letter

    page = client.get(candidates_url(in_election))
    assert page.status_code == 200
    assert "Dear candidate" in page.context["form"]["body_1"].value()
    body = page.context["form"]["body_1"].value()
    answer = client.post(
        candidates_url(in_election),
        {
            "name": "Ann Example",
            "address": "1 High Street\nLondon",
            "answer_1": "My church prays for them every week.",
            "subject_1": "If you are elected",
            "body_1": body,
        },
    )
    printed = answer.content.decode()
    assert answer.status_code == 200
    assert "The candidates for Cities of London and Westminster" in printed
    assert "Dear candidate" in printed and "My church prays for them every week." in printed
    assert "1 High Street<br>London<br>SW1A 0AA" in printed
    assert "{" not in answer.context["letter"].body
    assert "no-store" in answer["Cache-Control"]
    assert not Letter.objects.exists()


def test_a_candidates_letter_with_a_mistake_keeps_what_was_typed(client, in_election):
    body = client.get(candidates_url(in_election)).context["form"]["body_1"].value()
    answer = client.post(
        candidates_url(in_election),
        {"name": "", "address": "1 High Street", "subject_1": "Hello", "body_1": body},
    )
    assert answer.status_code == 200
    assert list(answer.context["form"].errors) == ["name"]
    assert answer.context["form"]["address"].value() == "1 High Street"


def test_staff_may_write_the_candidates_their_own_letter(client, in_election):
    from campaigns.models import LetterTemplate

    LetterTemplate.objects.create(
        campaign=in_election,
        parliament=parliament(COMMONS),
        variant=LetterTemplate.Variant.CANDIDATES,
        subject="If you are elected in {constituency}",
        body="{salutation},\n\nIf you are elected, will you speak up?\n\n{personal_paragraph}\n\n"
        "{supporter_name}",
    )
    form = client.get(candidates_url(in_election)).context["form"]
    assert form["subject_1"].value() == "If you are elected in Cities of London and Westminster"


def test_no_letter_to_the_candidates_where_the_campaign_pauses_or_the_seat_has_a_member(
    client, seat
):
    make_member(seat, name="Rachel Blake", in_office_from=date(2024, 7, 4))
    pausing = make_campaign()
    assert client.get(candidates_url(pausing)).status_code == 404
    offering = make_campaign(during_election=Campaign.DuringElection.CANDIDATES)
    answer = client.get(candidates_url(offering))  # not dissolved: the member is there
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("campaigns:write", args=[offering.slug]))


def test_a_dissolved_region_says_why_once_and_offers_no_letter_to_the_candidates(client):
    make_scottish_seat()
    dissolve(HOLYROOD)
    campaign = make_campaign(
        parliaments=(HOLYROOD,), during_election=Campaign.DuringElection.CANDIDATES
    )
    page = client.get(
        reverse("campaigns:write", args=[campaign.slug]), {"postcode": "EH99 1SP"}
    ).content.decode()
    assert "Write to the candidates for Edinburgh Central" in page
    assert "Write to the candidates for Edinburgh and Lothians East" not in page
    # The notice once, and the reason once for each of the two seats (not once per list seat).
    assert page.count("there are no MSPs until the new ones are elected") == 1 + 2
    region = Area.objects.get(code="S17000022").code
    assert client.get(candidates_url(campaign, region)).status_code == 302


def test_a_letter_to_one_of_the_six_members_of_a_senedd_constituency_reads_as_2026_has_it():
    from campaigns.letters.drafts import member_values
    from campaigns.models.parliaments import SENEDD

    area = make_area(SENEDD, code="W09000053", name="Caerdydd Penarth", seats=6)
    member = make_member(area, name="Rhian Example", list_position=2)
    values = member_values(make_campaign(parliaments=(SENEDD,)), member)
    assert values["representative_title"] == "MS for Caerdydd Penarth"  # no regions since 2026
    assert values["salutation"] == "Dear Rhian Example"
    assert values["parliament"] == "Senedd"


def test_a_dissolved_dail_offers_the_candidates_of_the_constituency_chosen_from_the_list(client):
    from campaigns.models.parliaments import DAIL

    area = make_area(DAIL, name="Dublin Central", code="Dublin-Central", seats=4, counties="Dublin")
    make_member(area, name="Gary Gannon", in_office_from=date(2024, 11, 29))
    dissolve(DAIL)
    campaign = make_campaign(
        parliaments=(DAIL,), during_election=Campaign.DuringElection.CANDIDATES
    )
    members = reverse("campaigns:write", args=[campaign.slug])
    page = client.get(members, {"constituency": "Dublin-Central"}).content.decode()
    link = "/write/candidates/?constituency=Dublin-Central&amp;seat=Dublin-Central"
    assert link in page and "Gary Gannon" not in page

    url = reverse("campaigns:write_candidates", args=[campaign.slug])
    form = client.get(url, {"constituency": "Dublin-Central", "seat": "Dublin-Central"}).context[
        "form"
    ]
    assert form["body_1"].value().startswith("Dear candidate")
