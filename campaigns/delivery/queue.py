"""The task queue as letters see it, whichever backend holds it: a table in our database
(django_tasks_db) or Redis (django_tasks_rq, settings.TASKS_BACKEND)."""

from datetime import datetime

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks_db import DatabaseBackend


class QueueUnavailable(Exception):
    """The queue's backend could not be asked (Redis down, say)."""


def backend():
    """The backend letters' tasks are queued on (settings.TASKS, read afresh: tests change it)."""
    return task_backends[DEFAULT_TASK_BACKEND_ALIAS]


def queue_in_database() -> bool:
    """Whether a task queued inside a transaction commits, or vanishes, with it."""
    return isinstance(backend(), DatabaseBackend)


def task_live(task_id: str, *, started_since: datetime) -> bool:
    """Whether the task will still run, or is running: queued (perhaps for later), or
    started no earlier than ``started_since`` (before that, its worker is taken to be dead).

    Raises QueueUnavailable if the backend cannot say.
    """
    if not task_id:
        return False
    try:
        result = backend().get_result(task_id)
    except TaskResultDoesNotExist:
        return False  # finished long ago and forgotten, or the queue lost it
    except Exception as error:  # noqa: BLE001 - whatever the backend raises when it is down
        raise QueueUnavailable(f"{type(error).__name__}: {error}") from error
    if result.status == TaskResultStatus.READY:
        return True
    return result.status == TaskResultStatus.RUNNING and result.started_at >= started_since
