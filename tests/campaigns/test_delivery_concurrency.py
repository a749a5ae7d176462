"""'Send it for me' with many people at once (PostgreSQL): one letter per form, one delivery
per confirmation, an exact count, and real workers side by side sending each letter once."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from campaigns.models import Campaign, Letter
from tests.support import slow_mail
from tests.support.letters import (
    OWN_WORDS,
    compose_url,
    form_key,
    letter_data,
    member_mails,
    pending_letters,
)
from tests.support.together import post_together
from tests.support.worker import run_due_tasks

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL"
    ),
]
State = Letter.State
WORKERS = 3


def post_one_form_ten_times_at_once(campaign, mp):
    url = compose_url(campaign, [mp])
    data = letter_data(form_key(Client(), url), delivery="send_for_me", answer_1=OWN_WORDS)
    return post_together([(url, data)] * 10)


def test_one_form_sent_for_me_posted_ten_times_at_once_makes_one_letter_and_one_mail(
    campaign_and_mp,
):
    post_one_form_ten_times_at_once(*campaign_and_mp)
    assert Letter.objects.get().state == State.PENDING
    assert [message.to for message in mail.outbox] == [["jane@example.org"]]
    assert "confirm" in mail.outbox[0].subject
    assert Campaign.objects.get().letter_count == 0  # counted when confirmed


def test_every_post_of_one_form_at_once_leads_to_the_same_unheld_letter(campaign_and_mp):
    responses = post_one_form_ten_times_at_once(*campaign_and_mp)
    assert {response.status_code for response in responses} == {302}
    assert len({response["Location"] for response in responses}) == 1
    assert Letter.objects.get().hold_reason == ""


def test_twenty_clicks_on_one_link_at_once_confirm_and_deliver_it_once(campaign_and_mp):
    campaign, mp = campaign_and_mp
    (link,) = pending_letters(campaign, mp, 1)
    responses = post_together([(link, {})] * 20)
    assert {response.status_code for response in responses} == {302}
    assert Letter.objects.get().state == State.READY
    assert Campaign.objects.get().letter_count == 1
    assert DBTaskResult.objects.count() == 1
    assert run_due_tasks() == ["sent"]
    assert len(member_mails()) == 1


def test_fifty_confirmed_at_once_are_counted_queued_and_sent_once_by_workers_side_by_side(
    campaign_and_mp, tmp_path
):
    campaign, mp = campaign_and_mp
    links = pending_letters(campaign, mp, 50)
    responses = post_together([(link, {}) for link in links])
    assert [response.status_code for response in responses] == [302] * 50
    assert Letter.objects.filter(state=State.READY).count() == 50
    assert Campaign.objects.get().letter_count == 50
    queued = DBTaskResult.objects.ready()
    assert queued.count() == DBTaskResult.objects.count() == 50
    assert sorted(task.args_kwargs["args"][0] for task in queued) == sorted(
        Letter.objects.values_list("pk", flat=True)
    )

    mail_dir = slow_mail.mail_dir(tmp_path)
    worker_settings = slow_mail.worker_settings(tmp_path, mail_dir)
    workers = [slow_mail.start_worker(tmp_path, worker_settings, "--batch") for _ in range(WORKERS)]
    try:  # no mail goes until every worker holds a letter at the gate: all at work at once
        slow_mail.wait_until(
            lambda: len(slow_mail.waiting_pids(mail_dir)) == WORKERS,
            what="every worker to be sending a letter at the same time",
        )
        slow_mail.open_gate(mail_dir)
        for worker in workers:
            slow_mail.finish(worker)
    finally:
        for worker in workers:
            slow_mail.kill(worker)

    references = sorted(Letter.objects.values_list("reference", flat=True))
    sent = slow_mail.sent(mail_dir)
    assert sorted(m["X-Letter-Reference"] for m in sent if m["X-Letter-Reference"]) == references
    assert sum(m["Subject"].startswith("Sent: ") for m in sent) == 50  # the supporters' copies
    assert len(sent) == 100
    assert set(Letter.objects.values_list("state", "attempts")) == {(State.SENT, 1)}
    assert Campaign.objects.get().letter_count == 50
    tasks = DBTaskResult.objects.all()
    assert {(task.status, task.return_value) for task in tasks} == {
        (TaskResultStatus.SUCCESSFUL, "sent")
    }
    assert len({task.worker_ids[0] for task in tasks}) == WORKERS


def test_ten_different_forms_from_one_person_to_one_member_at_once_make_one_letter(
    campaign_and_mp,
):
    campaign, mp = campaign_and_mp
    url = compose_url(campaign, [mp])
    forms = [
        {**letter_data(form_key(Client(), url), delivery="send_for_me", answer_1=OWN_WORDS)}
        for _ in range(10)
    ]
    responses = post_together([(url, data) for data in forms])
    assert [r.status_code for r in responses].count(302) == 1
    told = [r for r in responses if r.status_code == 200]
    assert all(b"You have already written to Rachel Blake" in r.content for r in told)
    assert Letter.objects.count() == 1
