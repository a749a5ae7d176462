"""Letters queued before Letter.task_id existed get the id of their live task in the database
queue, or the sweep would queue them again (a retry's wait cut short) once past the lease."""

from django.db import migrations

DELIVER_LETTER = "campaigns.delivery.sending.deliver_letter"
LIVE = ["READY", "RUNNING"]


def remember_live_tasks(apps, schema_editor):
    Letter = apps.get_model("campaigns", "Letter")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    live = DBTaskResult.objects.filter(task_path=DELIVER_LETTER, status__in=LIVE)
    for task_id, args_kwargs in live.order_by("enqueued_at").values_list("id", "args_kwargs"):
        (letter_id,) = args_kwargs["args"]
        Letter.objects.filter(pk=letter_id, task_id="").update(task_id=str(task_id))


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0010_letter_task_id"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(remember_live_tasks, migrations.RunPython.noop)]
