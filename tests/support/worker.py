"""Run queued tasks in the test's own thread, the way `manage.py db_worker` runs them."""

from django_tasks_db.models import DBTaskResult


def run_due_tasks(limit=100) -> list:
    """Claim and run every task that is due, oldest first; return what each returned."""
    returned = []
    for _ in range(limit):
        due = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if due is None:
            return returned
        due.claim("test-worker")
        try:
            value = due.task.call(*due.task_result.args, **due.task_result.kwargs)
        except BaseException as error:
            due.set_failed(error)
            raise
        due.set_successful(value)
        returned.append(value)
    raise AssertionError(f"more than {limit} tasks: is a task queueing itself forever?")


def queued_count() -> int:
    return DBTaskResult.objects.ready().count()
