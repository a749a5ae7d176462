"""Each settings module starts only when it should; production passes ``check --deploy``."""

import json

import pytest
from django.core.management import call_command

from tests.support.processes import IMPORT_SETTINGS, run

REQUIRED = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "WITHHELD_NAMES_KEY"]


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_each_required_variable(production_env, missing):
    environment = {name: value for name, value in production_env.items() if name != missing}

    result = run(["-c", IMPORT_SETTINGS], "advocacy.settings.production", **environment)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"need the environment variable {missing}; it is not set." in result.stderr
    assert all(f"variable {other};" not in result.stderr for other in REQUIRED if other != missing)


@pytest.mark.parametrize("empty", REQUIRED)
def test_production_treats_an_empty_variable_as_missing(production_env, empty):
    environment = {**production_env, empty: ""}

    result = run(["-c", IMPORT_SETTINGS], "advocacy.settings.production", **environment)

    assert result.returncode != 0
    assert f"environment variable {empty};" in result.stderr


def test_production_starts_with_debug_off_when_everything_is_set(production_env):
    result = run(["-c", IMPORT_SETTINGS], "advocacy.settings.production", **production_env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]


def test_production_passes_the_deployment_checklist(production_env):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        "advocacy.settings.production",
        **production_env,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_dev_settings_need_no_environment_at_all():
    result = run(["-c", IMPORT_SETTINGS], "advocacy.settings.dev")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


@pytest.mark.django_db
def test_no_migration_is_pending():
    # --check exits with status 1 when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


STAFF_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.password_validation import get_default_password_validators
print(json.dumps({
    "two_factor": settings.STAFF_REQUIRE_TWO_FACTOR,
    "admin_site": admin.site.__class__.__name__,
    "otp_middleware": "django_otp.middleware.OTPMiddleware" in settings.MIDDLEWARE,
    "session_max": settings.SESSION_COOKIE_AGE,
    "session_idle": settings.STAFF_SESSION_IDLE_SECONDS,
    "min_lengths": [v.min_length for v in get_default_password_validators()
                    if hasattr(v, "min_length")],
}))
"""


def test_production_always_requires_two_factor_and_times_staff_sessions_out(production_env):
    result = run(
        ["-c", STAFF_SETTINGS],
        "advocacy.settings.production",
        **production_env,
        STAFF_REQUIRE_TWO_FACTOR="false",  # ignored: production has no switch
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "two_factor": True,
        "admin_site": "StaffAdminSite",
        "otp_middleware": True,
        "session_max": 12 * 60 * 60,
        "session_idle": 30 * 60,
        "min_lengths": [12],
    }


def test_dev_settings_let_staff_log_in_without_two_factor():
    result = run(["-c", STAFF_SETTINGS], "advocacy.settings.dev")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["two_factor"] is False


COOKIES = """
import json, django
django.setup()
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory

def page_with_a_form(request):
    get_token(request)
    return HttpResponse()

response = CsrfViewMiddleware(page_with_a_form)(RequestFactory().get("/", secure=True))
print(json.dumps({
    "session": [settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE,
                settings.SESSION_COOKIE_PATH, settings.SESSION_COOKIE_DOMAIN],
    "csrf_set_cookie": [morsel.OutputString() for morsel in response.cookies.values()],
}))
"""


def test_production_cookies_are_host_only_secure_and_site_wide(production_env):
    """``__Host-`` cookies: a browser takes them only with Secure, Path=/ and no Domain, so no
    subdomain or plain-http page can set or overwrite them."""
    result = run(["-c", COOKIES], "advocacy.settings.production", **production_env)

    assert result.returncode == 0, result.stderr
    cookies = json.loads(result.stdout)
    assert cookies["session"] == ["__Host-sessionid", True, "/", None]
    (csrf,) = cookies["csrf_set_cookie"]
    assert csrf.startswith("__Host-csrftoken=")
    attributes = {part.split("=")[0].strip().lower() for part in csrf.split(";")[1:]}
    assert {"secure", "path"} <= attributes and "domain" not in attributes
    assert "; Path=/;" in csrf


def test_dev_cookies_keep_their_plain_names_for_http():
    result = run(["-c", COOKIES], "advocacy.settings.dev")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["session"][0] == "sessionid"
