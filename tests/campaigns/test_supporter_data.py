"""Supporters' data: export and erase by email address, anonymising finished letters after
the retention period, the admin actions for campaign managers, and the privacy page."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.delivery.confirmation import CONFIRM_WITHIN
from campaigns.delivery.sending import letter_queue_again, letter_send
from campaigns.delivery.states import InvalidTransition
from campaigns.letters.services import already_written
from campaigns.letters.supporters import ANONYMISED_NAME, retention
from campaigns.models import Campaign, Letter
from tests.support.admin import act, admin_url, make_letter, staff_with
from tests.support.campaign_factories import make_area, make_campaign, make_member
from tests.support.html import content, links, tags, text

pytestmark = pytest.mark.django_db
State = Letter.State
Delivery = Letter.Delivery
DAY = timedelta(days=1)
CONSENT = "Yes, email me now and then."
JANE = {
    "supporter_name": "Jane Quietwriter",
    "supporter_email": "Jane+letters@Example.org",
    "email_key": "jane@example.org",
    "supporter_address": "17 Lantern Lane\nYork",
    "supporter_postcode": "YO1 7HH",
    "body": "Dear member,\n\nI write as Jane Quietwriter of Lantern Lane.",
    "subject": "From Jane Quietwriter",
}
JANES_WORDS = ["Jane", "Quietwriter", "jane", "Lantern", "YO1 7HH", CONSENT]


@pytest.fixture
def campaign():
    return make_campaign(title="Stop forced returns")


@pytest.fixture
def member():
    return make_member(make_area(name="Holborn and St Pancras"), name="Keir Starmer")


def janes(campaign, member, *, days_ago=0, **fields):
    """A letter from Jane, written ``days_ago``; sent for her when a state says so."""
    if fields.get("state", State.OWN) != State.OWN:
        fields.setdefault("delivery", Delivery.SEND_FOR_ME)
    letter = make_letter(campaign, member, **{**JANE, **fields})
    written = timezone.now() - days_ago * DAY
    Letter.objects.filter(pk=letter.pk).update(created_at=written)
    letter.refresh_from_db()
    return letter


def with_consent():
    return {"marketing_consent": True, "consent_wording": CONSENT, "consented_at": timezone.now()}


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def personal_data_left(letter):
    """Every value in the letter's row that still holds something of Jane's."""
    (row,) = Letter.objects.filter(pk=letter.pk).values()
    return {
        name: value
        for name, value in row.items()
        for word in JANES_WORDS
        if word.casefold() in str(value).casefold()
    }


def assert_anonymised(letter):
    letter.refresh_from_db()
    assert letter.state == State.ANONYMISED and letter.anonymised_at is not None
    assert letter.supporter_name == ANONYMISED_NAME
    assert not letter.marketing_consent and letter.consented_at is None
    assert personal_data_left(letter) == {}


# Export


def test_export_gives_everything_held_on_the_mailbox_whatever_its_spelling(campaign, member):
    own = janes(campaign, member, **with_consent())
    sent = janes(campaign, member, state=State.SENT, supporter_email="JANE@example.org")
    make_letter(campaign, member)  # someone else's

    data = json.loads(run("export_supporter_data", "JANE@example.org"))

    assert data["email"] == "jane@example.org"
    assert [letter["reference"] for letter in data["letters"]] == [own.reference, sent.reference]
    first = data["letters"][0]
    assert first["supporter_name"] == "Jane Quietwriter"
    assert first["supporter_address"] == "17 Lantern Lane\nYork"
    assert first["body"] == JANE["body"] and first["campaign"] == campaign.title
    assert first["consent_wording"] == CONSENT
    assert first["consented_at"] == own.consented_at.isoformat()


def test_export_to_a_file_and_as_a_dry_run(campaign, member, tmp_path):
    janes(campaign, member)
    path = tmp_path / "jane.json"

    assert run("export_supporter_data", "jane@example.org", "--dry-run") == (
        "Dry run (nothing exported): would export 1 record for jane@example.org.\n"
    )
    assert "Wrote 1 record" in run("export_supporter_data", "jane@example.org", output=path)
    assert json.loads(path.read_text())["letters"][0]["supporter_name"] == "Jane Quietwriter"


def test_export_of_an_unknown_address_says_nothing_is_held(campaign, member, tmp_path):
    janes(campaign, member)
    path = tmp_path / "nobody.json"
    output = run("export_supporter_data", "nobody@example.org", output=path)
    assert output == "Nothing held for nobody@example.org: no file written.\n"
    assert not path.exists()


# Erase


def test_erase_anonymises_every_letter_of_the_address_and_keeps_the_counts(campaign, member):
    letters = [
        janes(campaign, member, **with_consent()),
        janes(campaign, member, delivery=Delivery.POST),
        janes(campaign, member, state=State.FAILED),  # a failed one may be written again...
        janes(campaign, member, state=State.SENT, sent_at=timezone.now()),  # ...and was
        janes(campaign, make_member(member.area), state=State.HELD),
        janes(campaign, make_member(member.area), state=State.PENDING),
    ]
    other = make_letter(campaign, member)
    Campaign.objects.update(letter_count=5)
    references = {letter.pk: letter.reference for letter in letters}

    output = run("erase_supporter_data", "jane+OTHER@example.org")

    assert output == ("Anonymised 6 letters from jane@example.org; counts and references kept.\n")
    for letter in letters:
        assert_anonymised(letter)
        assert letter.reference == references[letter.pk]
    assert Letter.objects.count() == 7 and Campaign.objects.get().letter_count == 5
    other.refresh_from_db()
    assert other.state == State.OWN and other.supporter_name.startswith("Supporter")
    assert already_written(campaign, "jane@example.org", [member]) == []


def test_erase_twice_finds_nothing_the_second_time(campaign, member):
    janes(campaign, member)
    run("erase_supporter_data", "jane@example.org")
    assert run("erase_supporter_data", "jane@example.org") == (
        "Nothing held for jane@example.org: nothing to erase.\n"
    )
    assert run("export_supporter_data", "jane@example.org").startswith("Nothing held")


def test_erase_dry_run_changes_nothing(campaign, member):
    letter = janes(campaign, member)
    assert run("erase_supporter_data", "jane@example.org", "--dry-run") == (
        "Dry run (nothing changed): would anonymise 1 letter from jane@example.org.\n"
    )
    letter.refresh_from_db()
    assert letter.state == State.OWN and letter.supporter_name == "Jane Quietwriter"


def test_erase_leaves_a_letter_being_sent_and_says_so(campaign, member):
    sending = janes(campaign, member, state=State.SENDING)
    output = run("erase_supporter_data", "jane@example.org")
    assert "1 letter(s) from jane@example.org are being sent at this moment" in output
    sending.refresh_from_db()
    assert sending.state == State.SENDING


def test_an_erased_letter_is_never_sent_or_retried(campaign, member):
    ready = janes(campaign, member, state=State.READY)
    failed = janes(campaign, make_member(member.area), state=State.FAILED)
    run("erase_supporter_data", "jane@example.org")
    assert letter_send(ready.pk) == "skipped"
    with pytest.raises(InvalidTransition):
        letter_queue_again(failed.pk)


# Retention: purge_letters


def test_purge_anonymises_finished_letters_past_keeping_and_nothing_else(campaign, member):
    days = retention().days
    long_ago, lately = timezone.now() - (days + 1) * DAY, timezone.now() - (days - 1) * DAY
    members = [make_member(member.area) for _ in range(9)]
    old_own = janes(campaign, members[0], days_ago=days + 1)
    old_sent = janes(campaign, members[1], state=State.SENT, sent_at=long_ago, days_ago=40)
    old_failed = janes(campaign, members[2], state=State.FAILED, claimed_at=long_ago)
    kept = [
        janes(campaign, members[3], days_ago=days - 1),
        janes(campaign, members[4], state=State.SENT, sent_at=lately, days_ago=40),
        janes(campaign, members[5], state=State.FAILED, claimed_at=lately, days_ago=40),
        janes(campaign, members[6], state=State.HELD, days_ago=40),
        janes(campaign, members[7], state=State.READY, days_ago=40),
        janes(campaign, members[8], state=State.SENDING, days_ago=40),
    ]
    Campaign.objects.update(letter_count=8)

    output = run("purge_letters")

    assert f"Anonymised 3 finished letters older than {days} days." in output
    for letter in (old_own, old_sent, old_failed):
        assert_anonymised(letter)
    for letter in kept:
        assert Letter.objects.get(pk=letter.pk).supporter_name == "Jane Quietwriter"
    assert Letter.objects.count() == 9 and Campaign.objects.get().letter_count == 8


def test_purge_still_deletes_unconfirmed_letters_after_the_confirmation_window(campaign, member):
    janes(campaign, member, state=State.PENDING, days_ago=CONFIRM_WITHIN.days + 1)
    output = run("purge_letters")
    assert f"Deleted 1 unconfirmed letter older than {CONFIRM_WITHIN.days} days." in output
    assert not Letter.objects.exists()


def test_the_retention_period_is_a_setting(campaign, member, settings):
    settings.LETTERS_RETENTION_DAYS = 3
    letter = janes(campaign, member, days_ago=4)
    assert "would anonymise 1 finished letter older than 3 days" in run(
        "purge_letters", "--dry-run"
    )
    assert Letter.objects.get(pk=letter.pk).state == State.OWN
    run("purge_letters", verbosity=0)
    assert_anonymised(letter)


# Admin actions


def test_campaign_managers_export_an_address_as_a_json_download(
    django_user_model, campaign, member
):
    selected = janes(campaign, member)
    also = janes(campaign, make_member(member.area), email_key="jane@example.org")
    manager = staff_with(django_user_model, "view_letter", "export_letters")

    response = act(manager, "export_supporter_data", [selected])

    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    (data,) = json.loads(response.content)
    assert {letter["reference"] for letter in data["letters"]} == {
        selected.reference,
        also.reference,
    }


def test_campaign_managers_erase_an_address_from_the_letters_list(
    django_user_model, campaign, member
):
    selected = janes(campaign, member)
    also = janes(campaign, make_member(member.area))
    manager = staff_with(django_user_model, "view_letter", "export_letters")

    page = content(act(manager, "erase_supporter_data", [selected]))

    assert "Anonymised 2 letter(s) from 1 address(es)" in page
    assert_anonymised(selected)
    assert_anonymised(also)


def test_other_staff_neither_see_nor_can_use_the_supporter_data_actions(
    django_user_model, campaign, member
):
    letter = janes(campaign, member)
    reader = staff_with(django_user_model, "view_letter", "change_campaign")

    page = content(reader.get(admin_url("letter_changelist")))
    exported = act(reader, "export_supporter_data", [letter])
    act(reader, "erase_supporter_data", [letter])

    offered = [option.get("value") for option in tags(page, "option")]
    assert "export_supporter_data" not in offered and "erase_supporter_data" not in offered
    assert exported["Content-Type"].startswith("text/html")
    letter.refresh_from_db()
    assert letter.state == State.OWN and letter.supporter_name == "Jane Quietwriter"


# The privacy page


def test_the_privacy_page_says_what_the_code_does(client):
    response = client.get(reverse("campaigns:privacy"))
    html, words = content(response), text(content(response))
    assert response.status_code == 200
    assert len(tags(html, "h1")) == 1
    assert f"after {CONFIRM_WITHIN.days} days" in words
    assert f"{retention().days} days after we send your letter" in words
    assert "no third-party trackers" in words


def test_the_privacy_page_follows_the_retention_setting(client, settings):
    settings.LETTERS_RETENTION_DAYS = 14
    words = text(content(client.get(reverse("campaigns:privacy"))))
    assert "14 days after we send your letter" in words


@pytest.mark.parametrize("service, named", [("", None), ("postmark", "Postmark")])
def test_the_privacy_page_names_the_mail_service_letters_pass_through(
    client, settings, service, named
):
    settings.MAIL_SERVICE = service
    words = text(content(client.get(reverse("campaigns:privacy"))))
    assert ("the mail service we send our email with" in words) == bool(named)
    assert named is None or f"passes through {named}," in words


def test_the_footer_links_to_the_privacy_page(client):
    response = client.get(reverse("campaigns:about_data"))
    assert response.status_code == 200
    assert reverse("campaigns:privacy") in links(content(response))
