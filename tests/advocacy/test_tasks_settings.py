"""TASKS_BACKEND chooses where letters' tasks wait: the database (default) or Redis (rq)."""

import pytest

from tests.support.processes import run

SHOW_TASKS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.TASKS['default']['BACKEND']); "
    "print(getattr(settings, 'RQ_QUEUES', {}).get('default', {}).get('URL')); "
    "print('django_rq' in settings.INSTALLED_APPS)"
)
REDIS = "redis://127.0.0.1:6379/13"


def test_letters_wait_in_the_database_unless_told_otherwise():
    result = run(["-c", SHOW_TASKS], "advocacy.settings.dev")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django_tasks_db.DatabaseBackend", "None", "False"]


def test_rq_puts_them_in_redis_with_the_sites_timeouts_on_every_call():
    result = run(["-c", SHOW_TASKS], "advocacy.settings.dev", TASKS_BACKEND="rq", REDIS_URL=REDIS)

    assert result.returncode == 0, result.stderr
    backend, url, installed = result.stdout.split()
    assert backend == "django_tasks_rq.RQBackend"
    assert url == f"{REDIS}?socket_connect_timeout=0.25&socket_timeout=0.25"
    assert installed == "True"  # its rqworker command


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"TASKS_BACKEND": "rq"}, "TASKS_BACKEND=rq needs REDIS_URL."),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND is 'database' or 'rq', not 'celery'."),
    ],
)
def test_a_tasks_backend_that_cannot_work_stops_the_start(environment, message):
    result = run(["-c", SHOW_TASKS], "advocacy.settings.dev", **environment)

    assert result.returncode != 0
    assert message in result.stderr


def test_production_on_rq_passes_the_deployment_checklist(production_env):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        "advocacy.settings.production",
        **production_env,
        TASKS_BACKEND="rq",
        REDIS_URL=REDIS,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
