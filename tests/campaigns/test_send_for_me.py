"""'Send it for me': confirmed by the supporter, sent once by the worker, never to a real
member outside production."""

import re
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from campaigns.delivery.sending import letter_queue_again, letter_send
from campaigns.delivery.states import InvalidTransition, letter_transition
from campaigns.models import Campaign, Letter
from tests.support.campaign_factories import make_area, make_member, make_share
from tests.support.html import content, tags, text
from tests.support.letters import (
    OWN_WORDS,
    compose_url,
    confirmation_link,
    form_key,
    letter_data,
    member_mails,
    send_for_me,
)
from tests.support.worker import queued_count, run_due_tasks

pytestmark = pytest.mark.django_db
MEMBER_EMAIL = "rachel.blake.mp@example.org"


@pytest.fixture(autouse=True)
def letter_settings(settings):
    settings.LETTERS_TEST_RECIPIENT = "test-inbox@example.org"
    settings.LETTERS_FROM_EMAIL = "letters@advocacy.example"
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = False


def all_addresses(message):
    return " ".join([*message.to, *message.cc, *message.bcc, *message.reply_to, message.from_email])


def test_the_whole_path_confirm_then_send_once(client, campaign, mp):
    response = send_for_me(client, campaign, [mp])
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.state == Letter.State.PENDING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jane@example.org"]
    assert member_mails() == [] and queued_count() == 0
    assert Campaign.objects.get().letter_count == 0  # counted when confirmed
    page = text(content(client.get(response["Location"])))
    assert "check your email" in page.lower()

    link = confirmation_link()
    assert "Confirm and send" in text(content(client.get(link)))
    assert Letter.objects.get().state == Letter.State.PENDING  # opening the link sends nothing
    assert client.post(link).status_code == 302
    assert Letter.objects.get().state == Letter.State.READY
    assert Campaign.objects.get().letter_count == 1
    assert run_due_tasks() == ["sent"]

    (sent,) = member_mails()
    assert sent.to == ["test-inbox@example.org"]
    assert sent.reply_to == ["jane@example.org"]
    assert (
        sent.from_email
        == '"Jane Doe via Persecuted Church Advocacy (demo)" <letters@advocacy.example>'
    )
    assert OWN_WORDS in sent.body and f"Reference {letter.reference}" in sent.body
    assert "abuse@example.org" in sent.body
    assert sent.extra_headers["Message-ID"] == f"<letter-{letter.reference}@advocacy.example>"
    copy = [m for m in mail.outbox if m.subject.startswith("Sent:")]
    assert len(copy) == 1 and copy[0].to == ["jane@example.org"]
    assert Letter.objects.get().state == Letter.State.SENT

    client.post(link)  # clicking again shows the same page and queues nothing
    assert queued_count() == 0 and len(member_mails()) == 1
    assert "Sent on" in text(content(client.get(link)))


def test_no_real_member_address_in_any_mail_outside_production(client, campaign, mp):
    send_for_me(client, campaign, [mp])
    client.post(confirmation_link())
    run_due_tasks()
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert MEMBER_EMAIL not in all_addresses(message) + message.body + str(
            message.extra_headers
        )


def test_production_opted_in_sends_to_the_member(client, campaign, mp, settings):
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = True
    send_for_me(client, campaign, [mp])
    client.post(confirmation_link())
    run_due_tasks()
    (sent,) = member_mails()
    assert sent.to == [MEMBER_EMAIL] and "TEST SITE" not in sent.body


def test_a_forged_link_is_not_found(client, campaign, mp):
    send_for_me(client, campaign, [mp])
    assert client.get(confirmation_link()[:-3] + "xx/").status_code == 404
    assert client.post("/letters/confirm/forged/").status_code == 404
    assert Letter.objects.get().state == Letter.State.PENDING


def test_an_expired_link_sends_nothing(client, campaign, mp):
    send_for_me(client, campaign, [mp])
    link = confirmation_link()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert "This link has expired" in text(content(client.get(link)))
        client.post(link)
    assert Letter.objects.get().state == Letter.State.PENDING and queued_count() == 0


def test_too_few_own_words_cannot_be_sent_for_you(client, campaign, mp):
    campaign.min_personal_percent = 60
    campaign.save()
    response = send_for_me(client, campaign, [mp])
    assert "at least 60% of the letter must be in your own words" in text(content(response))
    assert not Letter.objects.exists() and mail.outbox == []


def test_writing_twice_to_the_same_member_is_refused_kindly(client, campaign, mp):
    send_for_me(client, campaign, [mp])
    response = send_for_me(client, campaign, [mp], email="JANE+again@example.org")
    assert "You have already written to Rachel Blake" in text(content(response))
    assert Letter.objects.count() == 1


def test_the_same_form_posted_twice_makes_one_letter_and_one_mail(client, campaign, mp):
    url = compose_url(campaign, [mp])
    data = letter_data(form_key(client, url), delivery="send_for_me", answer_1=OWN_WORDS)
    first, second = client.post(url, data), client.post(url, data)
    assert first["Location"] == second["Location"]
    assert Letter.objects.count() == 1 and len(mail.outbox) == 1


def test_the_compose_page_says_when_the_site_is_in_test_mode(client, campaign, mp, settings):
    html = content(client.get(compose_url(campaign, [mp])))
    assert [b for b in tags(html, "button") if b.get("value") == "send_for_me"]
    assert "letters we send for you go to a test address" in text(html)
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = True
    assert "test address" not in text(content(client.get(compose_url(campaign, [mp]))))


# Failures, retries and crashes


class Failing:
    """A mail connection that raises for the member's letter and works for everything else."""

    def __init__(self, error):
        self.error = error

    def __call__(self, message_send):
        error = self.error

        def send(message, *args, **kwargs):
            if message.subject.startswith("North Korean refugees") and error is not None:
                raise error
            return message_send(message, *args, **kwargs)

        return send


@pytest.fixture
def confirmed(client, campaign, mp):
    send_for_me(client, campaign, [mp])
    client.post(confirmation_link())
    return Letter.objects.get()


def test_a_temporary_failure_is_retried_later_and_then_sent(confirmed, monkeypatch):
    from django.core.mail import EmailMessage

    original = EmailMessage.send
    monkeypatch.setattr(
        EmailMessage, "send", Failing(smtplib.SMTPServerDisconnected("down"))(original)
    )
    assert run_due_tasks() == ["retry"]
    letter = Letter.objects.get()
    assert letter.state == Letter.State.READY and "SMTPServerDisconnected" in letter.last_error
    assert queued_count() == 0  # not due yet: backing off
    monkeypatch.setattr(EmailMessage, "send", original)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert run_due_tasks() == ["sent"]
    assert len(member_mails()) == 1 and Letter.objects.get().attempts == 2


def test_a_permanent_failure_fails_tells_the_supporter_and_can_be_retried(confirmed, monkeypatch):
    from django.core.mail import EmailMessage

    original = EmailMessage.send
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})
    monkeypatch.setattr(EmailMessage, "send", Failing(refused)(original))
    assert run_due_tasks() == ["failed"]
    assert Letter.objects.get().state == Letter.State.FAILED
    assert any(m.subject.startswith("We could not deliver") for m in mail.outbox)
    monkeypatch.setattr(EmailMessage, "send", original)
    letter_queue_again(confirmed.pk)  # staff: "retry"
    assert run_due_tasks() == ["sent"] and len(member_mails()) == 1


def test_a_worker_killed_between_claiming_and_sending_loses_and_repeats_nothing(confirmed):
    # The worker claimed the letter, then died before sending: the row says "sending".
    letter_transition(confirmed.pk, Letter.State.SENDING, claimed_at=timezone.now())
    assert run_due_tasks() == ["skipped"]  # its job is gone; a second copy must not send
    assert member_mails() == []
    letter_queue_again(confirmed.pk)  # what sweep_letters does once the claim is stale
    assert run_due_tasks() == ["sent"]
    assert run_due_tasks() == []
    assert len(member_mails()) == 1


def test_a_paused_campaign_holds_letters_until_released(confirmed):
    Campaign.objects.update(sending_paused=True)
    assert run_due_tasks() == ["held"]
    assert Letter.objects.get().state == Letter.State.HELD and member_mails() == []
    Campaign.objects.update(sending_paused=False)
    letter_queue_again(confirmed.pk)
    assert run_due_tasks() == ["sent"]
    assert Campaign.objects.get().letter_count == 1  # counted once, not again on release


def test_a_sent_letter_cannot_be_sent_again(confirmed):
    run_due_tasks()
    with pytest.raises(InvalidTransition):
        letter_queue_again(confirmed.pk)
    assert letter_send(confirmed.pk) == "skipped"
    assert len(member_mails()) == 1


# Quiet anti-abuse


def test_over_the_limit_letters_are_held_then_released(client, campaign):
    areas = [make_area(name=f"Seat {n}") for n in range(7)]
    for n, area in enumerate(areas):
        make_share(f"N{n + 1} 1", area)
        make_member(area, name=f"Member {n}", email=f"m{n}@example.org")
    for n, area in enumerate(areas):
        member = area.representatives.get()
        url = compose_url(campaign, [member], postcode=f"N{n + 1} 1AA")
        data = letter_data(form_key(client, url), delivery="send_for_me", answer_1=OWN_WORDS)
        client.post(url, {**data, "email": f"person{n}@example.org"}, REMOTE_ADDR="198.51.100.7")
    links = re.findall(
        r"http://testserver(/letters/confirm/\S+/)", " ".join(m.body for m in mail.outbox)
    )
    for link in links:
        client.post(link)
    states = sorted(Letter.objects.values_list("state", flat=True))
    assert states.count(Letter.State.READY) == 5 and states.count(Letter.State.HELD) == 2
    held = Letter.objects.filter(state=Letter.State.HELD)
    assert all("one network" in letter.hold_reason for letter in held)
    assert Campaign.objects.get().letter_count == 5  # held ones count once released
    for letter in held:
        letter_queue_again(letter.pk)
    run_due_tasks()
    assert Letter.objects.filter(state=Letter.State.SENT).count() == 7
    assert Campaign.objects.get().letter_count == 7


def test_every_letter_is_in_exactly_one_state(client, campaign, mp, confirmed):
    total = Letter.objects.count()
    by_state = {state: Letter.objects.filter(state=state).count() for state in Letter.State}
    assert sum(by_state.values()) == total
