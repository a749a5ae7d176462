"""From cron: one reminder per submission, unconfirmed letters deleted after 7 days, and
letters abandoned by a dead worker queued again and sent once, never twice by a slow one."""

import re
import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.delivery import sending
from campaigns.delivery.housekeeping import letters_sweep, stale_claim_recover, task_lease
from campaigns.delivery.sending import CLAIM_LEASE, MAX_ATTEMPTS
from campaigns.delivery.states import letter_transition
from campaigns.models import Letter, Parliament
from campaigns.models.parliaments import ensure_parliaments
from tests.support.campaign_factories import make_area, make_campaign, make_member, make_share
from tests.support.letters import member_mails, send_for_me
from tests.support.worker import queued_count, run_due_tasks

pytestmark = pytest.mark.django_db
State = Letter.State
SITE = "https://letters.example"
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def letter_settings(settings):
    settings.LETTERS_TEST_RECIPIENT = "test-inbox@example.org"
    settings.LETTERS_FROM_EMAIL = "letters@advocacy.example"
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = False
    settings.SITE_URL = SITE + "/"


@pytest.fixture
def members():
    """Two members for one postcode, so one submission makes two letters."""
    area = make_area(name="Cities of London and Westminster", code="E14001172", seats=2)
    make_share("SW1A 0", area)
    return [
        make_member(area, name="Rachel Blake", email="rachel.blake.mp@example.org"),
        make_member(area, name="Tom Other", email="tom.other.mp@example.org"),
    ]


@pytest.fixture
def start():
    """A moment well in the past, travelled back to for making letters."""
    return timezone.now() - timedelta(days=30)


@pytest.fixture
def campaign(members, start):
    return open_campaign(start)


def open_campaign(start):
    """Published before ``start``, so supporters can write to it then."""
    return make_campaign(
        title="Stop the forced returns", min_personal_percent=10, published_at=start - DAY
    )


def submit(client, campaign, members, n, **overrides):
    """Supporter ``n``, from their own address and network."""
    email, ip = f"supporter{n}@example.org", f"192.0.2.{n}"
    send_for_me(client, campaign, members, email=email, ip=ip, **overrides)
    return list(Letter.objects.filter(supporter_email=email).order_by("id"))


def links(base="http://testserver"):
    """Every confirmation link mailed so far, oldest first, as paths."""
    bodies = " ".join(m.body for m in mail.outbox)
    return re.findall(re.escape(base) + r"(/letters/confirm/\S+/)", bodies)


def reminders():
    return [m for m in mail.outbox if m.subject.startswith("Reminder:")]


def run(command, *args, **options):
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


# A confirmed letter's way to each state, as the worker and staff move it.
PATHS = {
    State.READY: [State.READY],
    State.SENDING: [State.READY, State.SENDING],
    State.SENT: [State.READY, State.SENDING, State.SENT],
    State.FAILED: [State.READY, State.SENDING, State.FAILED],
    State.HELD: [State.HELD],
}


def by_state():
    return {state: Letter.objects.filter(state=state).count() for state in State}


# purge_letters


def test_purge_deletes_letters_unconfirmed_for_seven_days_with_their_details(
    client, campaign, members, start
):
    with time_machine.travel(start):
        submit(client, campaign, members, 1, name="Olive Oldletter", address="9 Gone Road")
    (link,) = links()
    with time_machine.travel(start + 7 * DAY - timedelta(minutes=1)):
        assert run("purge_letters") == "Deleted 0 unconfirmed letters older than 7 days.\n"
    with time_machine.travel(start + 7 * DAY + timedelta(minutes=1)):
        assert run("purge_letters") == "Deleted 2 unconfirmed letters older than 7 days.\n"
    assert not Letter.objects.exists()
    for value in ("Olive Oldletter", "9 Gone Road", "supporter1@example.org"):
        for name in ("supporter_name", "supporter_address", "supporter_email", "body"):
            assert not Letter.objects.filter(**{f"{name}__contains": value}).exists()
    assert client.get(link).status_code == 404


def test_purge_keeps_every_letter_but_the_expired_unconfirmed(client, campaign, members, start):
    with time_machine.travel(start):
        expired = submit(client, campaign, members[:1], 1)
        own = submit(client, campaign, members[:1], 2, delivery="email_app")
        made = {}
        for n, (to, steps) in enumerate(PATHS.items(), start=3):
            (made[to],) = submit(client, campaign, members[:1], n)
            for step in steps:
                letter_transition(made[to].pk, step)
    with time_machine.travel(start + 6 * DAY):
        recent = submit(client, campaign, members[:1], 9)
    before = by_state()
    assert before[State.OWN] == 1 and before[State.PENDING] == 2
    assert all(before[state] == 1 for state in made)

    with time_machine.travel(start + 8 * DAY):
        assert "Deleted 1 unconfirmed letter older" in run("purge_letters")
    assert by_state() == {**before, State.PENDING: 1}
    assert Letter.objects.count() == sum(before.values()) - 1
    kept = {letter.pk for letter in [*own, *made.values(), *recent]}
    assert set(Letter.objects.values_list("pk", flat=True)) == kept
    assert not Letter.objects.filter(pk=expired[0].pk).exists()


def test_purge_dry_run_deletes_nothing(client, campaign, members, start):
    with time_machine.travel(start):
        submit(client, campaign, members, 1)
    output = run("purge_letters", "--dry-run")
    assert output == (
        "Dry run (nothing deleted): would delete 2 unconfirmed letters older than 7 days.\n"
    )
    assert Letter.objects.count() == 2


def test_purge_twice_is_harmless_and_quiet_at_verbosity_0(client, campaign, members, start):
    with time_machine.travel(start):
        submit(client, campaign, members, 1)
    submit(client, campaign, members, 2)
    assert run("purge_letters", verbosity=0) == ""
    assert "Deleted 0 unconfirmed letters" in run("purge_letters")
    assert set(Letter.objects.values_list("supporter_email", flat=True)) == {
        "supporter2@example.org"
    }


# sweep_letters: reminders


def test_one_reminder_per_submission_with_a_new_link_even_swept_twice(
    client, campaign, members, start
):
    with time_machine.travel(start):
        letters = submit(client, campaign, members, 1)
    (old_link,) = links()
    with time_machine.travel(start + 2 * DAY + timedelta(minutes=5)):
        assert run("sweep_letters") == "Sent 1 reminder; queued again 0 abandoned letters.\n"
        assert "Sent 0 reminders" in run("sweep_letters")
        (reminder,) = reminders()
        assert reminder.to == ["supporter1@example.org"]
        assert "Rachel Blake" in reminder.subject and "Tom Other" in reminder.subject
        (new_link,) = links(SITE)
        assert client.get(old_link).status_code == 404  # replaced by the reminder's
        assert client.post(new_link).status_code == 302
    states = Letter.objects.filter(pk__in=[letter.pk for letter in letters])
    assert set(states.values_list("state", flat=True)) == {State.READY}
    assert len(set(states.values_list("confirmation_hash", flat=True))) == 1
    assert all(letter.reminded_at for letter in states)
    assert run_due_tasks() == ["sent", "sent"] and len(member_mails()) == 2
    with time_machine.travel(start + 5 * DAY):
        assert "Sent 0 reminders" in run("sweep_letters")
    assert len(reminders()) == 1


def test_no_reminder_too_early_once_expired_or_once_confirmed(client, campaign, members, start):
    with time_machine.travel(start):
        submit(client, campaign, members[:1], 1)  # expired by the sweep
    with time_machine.travel(start + 2 * DAY):
        submit(client, campaign, members[:1], 2)  # confirmed
        client.post(links()[-1])
    with time_machine.travel(start + 7 * DAY):
        submit(client, campaign, members[:1], 3)  # a day old
    with time_machine.travel(start + 8 * DAY):
        assert "Sent 0 reminders" in run("sweep_letters")
    assert reminders() == []
    assert not Letter.objects.filter(reminded_at__isnull=False).exists()


def test_a_reminder_that_cannot_be_sent_is_tried_again_and_the_old_link_still_works(
    client, campaign, members, start, monkeypatch
):
    with time_machine.travel(start):
        submit(client, campaign, members, 1)
    (old_link,) = links()
    original = EmailMessage.send

    def mail_server_down(message, *args, **kwargs):
        if message.subject.startswith("Reminder:"):
            raise ConnectionRefusedError("mail server down")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", mail_server_down)
    with time_machine.travel(start + 3 * DAY):
        output = run("sweep_letters")
    assert "Sent 0 reminders" in output and "Could not send 1 reminder" in output
    assert not Letter.objects.filter(reminded_at__isnull=False).exists()
    assert client.get(old_link).status_code == 200

    monkeypatch.setattr(EmailMessage, "send", original)
    with time_machine.travel(start + 3 * DAY + timedelta(minutes=5)):
        assert "Sent 1 reminder;" in run("sweep_letters")
    assert len(reminders()) == 1 and client.get(old_link).status_code == 404


def test_sweep_dry_run_changes_nothing(client, campaign, members, start):
    with time_machine.travel(start):
        submit(client, campaign, members, 1)
    with time_machine.travel(start + 3 * DAY):
        output = run("sweep_letters", "--dry-run", verbosity=2)
    assert f"would send 1 reminder (links to {SITE})" in output
    assert f"Would remind: {Letter.objects.order_by('id').first().reference}" in output
    assert reminders() == [] and not Letter.objects.filter(reminded_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL")
def test_two_sweeps_at_once_send_one_reminder(client, start):
    ensure_parliaments(Parliament)  # a transactional test empties the tables the migration filled
    area = make_area(name="Cities of London and Westminster", code="E14001172", seats=2)
    make_share("SW1A 0", area)
    members = [make_member(area, email=f"m{n}@example.org") for n in range(2)]
    campaign = open_campaign(start)
    with time_machine.travel(start):
        for n in range(1, 6):
            submit(client, campaign, members, n)
    go = threading.Barrier(4)
    sweeps = []

    def sweep():
        try:
            go.wait()
            sweeps.append(letters_sweep())
        finally:
            connection.close()

    with time_machine.travel(start + 3 * DAY):
        threads = [threading.Thread(target=sweep) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sum(len(s.reminded) for s in sweeps) == 5
    assert sorted(m.to[0] for m in reminders()) == [
        f"supporter{n}@example.org" for n in range(1, 6)
    ]


# sweep_letters: letters abandoned by a dead worker


@pytest.fixture
def abandoned(client, campaign, members):
    """A confirmed letter its worker claimed, then died with: its job is gone."""
    (letter,) = submit(client, campaign, members[:1], 1)
    client.post(links()[-1])
    letter_transition(letter.pk, State.SENDING, claimed_at=timezone.now())  # then it died
    assert run_due_tasks() == ["skipped"]  # what is left of its job must not send
    return letter


def test_a_letter_stuck_in_sending_past_the_lease_is_sent_once(abandoned):
    before = Letter.objects.count()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert "queued again 1 abandoned letter." in run("sweep_letters")
        assert "queued again 0 abandoned letters." in run("sweep_letters")
        assert queued_count() == 1
        assert run_due_tasks() == ["sent"]
        assert run_due_tasks() == []
    assert len(member_mails()) == 1
    assert Letter.objects.get(pk=abandoned.pk).state == State.SENT
    assert Letter.objects.count() == before


def test_a_letter_within_its_lease_is_left_alone(abandoned):
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert "queued again 0 abandoned letters." in run("sweep_letters")
    assert Letter.objects.get(pk=abandoned.pk).state == State.SENDING
    assert queued_count() == 0


def test_a_letter_its_worker_finishes_meanwhile_is_not_queued_again(abandoned):
    letter_transition(abandoned.pk, State.SENT, sent_at=timezone.now())
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert stale_claim_recover(abandoned.pk) is False
    assert Letter.objects.get(pk=abandoned.pk).state == State.SENT and queued_count() == 0


def test_a_letter_whose_workers_keep_dying_fails_and_its_writer_is_told(abandoned):
    Letter.objects.filter(pk=abandoned.pk).update(attempts=MAX_ATTEMPTS)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        run("sweep_letters")
    letter = Letter.objects.get(pk=abandoned.pk)
    assert letter.state == State.FAILED and "stopped while sending" in letter.last_error
    assert queued_count() == 0
    assert any(m.subject.startswith("We could not deliver") for m in mail.outbox)


# sweep_letters: ready letters no live task will send


@pytest.fixture
def ready(client, campaign, members):
    """A letter its writer confirmed, queued for a worker."""
    (letter,) = submit(client, campaign, members[:1], 1)
    client.post(links()[-1])
    assert Letter.objects.get(pk=letter.pk).state == State.READY and queued_count() == 1
    return letter


def past_the_task_lease():
    return time_machine.travel(timezone.now() + task_lease() + timedelta(minutes=1))


def assert_queued_again_and_sent_once(letter):
    with past_the_task_lease():
        assert "queued again 1 abandoned letter." in run("sweep_letters")
        assert "queued again 0 abandoned letters." in run("sweep_letters")
        assert run_due_tasks() == ["sent"]
    assert len(member_mails()) == 1
    assert Letter.objects.get(pk=letter.pk).state == State.SENT


def test_a_ready_letter_whose_worker_died_holding_its_task_is_queued_again_past_the_lease(ready):
    DBTaskResult.objects.get().claim("dead-worker")  # it died before claiming the letter
    assert "queued again 0 abandoned letters." in run("sweep_letters")  # within the lease
    assert_queued_again_and_sent_once(ready)


def test_a_ready_letter_whose_task_is_gone_is_queued_again_past_the_lease(ready):
    DBTaskResult.objects.all().delete()
    assert_queued_again_and_sent_once(ready)


def test_a_ready_letter_whose_task_finished_without_sending_it_is_queued_again(ready):
    task = DBTaskResult.objects.get()
    task.claim("worker")
    task.set_failed(RuntimeError("the database went away"))
    assert_queued_again_and_sent_once(ready)


def test_a_ready_letter_waiting_for_its_retry_is_left_alone_however_long_the_wait(ready):
    later = timezone.now() + task_lease() + timedelta(hours=2)
    DBTaskResult.objects.update(run_after=later)
    with past_the_task_lease():
        assert "queued again 0 abandoned letters." in run("sweep_letters")
    assert DBTaskResult.objects.count() == 1
    with time_machine.travel(later + timedelta(seconds=1)):
        assert run_due_tasks() == ["sent"]
    assert len(member_mails()) == 1


def test_a_worker_slow_after_its_claim_was_swept_does_not_send_the_letter_too(ready, monkeypatch):
    """It stalled between claiming the letter and sending it, past the lease: the sweep
    queued the letter again and another worker sent it. Waking, the slow one must not."""
    claim, outcomes = sending.letter_transition, []

    def stalling_claim(letter_id, to, **changes):
        letter = claim(letter_id, to, **changes)
        if to == State.SENDING and not outcomes:
            outcomes.append("stalled")
            with time_machine.travel(timezone.now() + CLAIM_LEASE + timedelta(minutes=1)):
                assert letters_sweep().requeued == [letter.reference]
                outcomes.extend(run_due_tasks())  # another worker, meanwhile
        return letter

    monkeypatch.setattr(sending, "letter_transition", stalling_claim)
    outcomes.extend(run_due_tasks())

    assert outcomes == ["stalled", "sent", "skipped"]
    assert len(member_mails()) == 1
    assert Letter.objects.get(pk=ready.pk).state == State.SENT
