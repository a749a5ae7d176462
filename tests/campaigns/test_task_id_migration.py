"""Letters queued on the database backend before Letter.task_id existed get their live task's
id from migration 0011, so the sweep leaves them to it."""

import importlib
from datetime import timedelta

import time_machine
from django.apps import apps
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.delivery.housekeeping import letters_sweep, task_lease
from campaigns.models import Letter
from tests.support.letters import confirmation_link, send_for_me

migration = importlib.import_module("campaigns.migrations.0011_letter_task_id_from_database_queue")


def test_a_letter_waiting_for_its_retry_keeps_its_wait_after_the_upgrade(db, campaign, mp):
    send_for_me(Client(), campaign, [mp])
    Client().post(confirmation_link())
    task = DBTaskResult.objects.get()
    later = timezone.now() + task_lease() + timedelta(hours=2)
    DBTaskResult.objects.update(run_after=later)  # a retry, hours away
    Letter.objects.update(task_id="")  # as queued before the field existed

    migration.remember_live_tasks(apps, None)

    assert Letter.objects.get().task_id == str(task.id)
    with time_machine.travel(timezone.now() + task_lease() + timedelta(minutes=1)):
        assert letters_sweep().requeued == []
    assert DBTaskResult.objects.count() == 1


def test_a_letter_whose_task_finished_is_left_for_the_sweep(db, campaign, mp):
    send_for_me(Client(), campaign, [mp])
    Client().post(confirmation_link())
    DBTaskResult.objects.get().claim("worker")
    DBTaskResult.objects.get().set_failed(RuntimeError("the database went away"))
    Letter.objects.update(task_id="")

    migration.remember_live_tasks(apps, None)

    assert Letter.objects.get().task_id == ""
