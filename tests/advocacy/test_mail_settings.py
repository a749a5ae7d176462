"""The mail service is chosen by the environment: SMTP by default, a service's API through
django-anymail with MAIL_SERVICE, and never without the keys its webhook needs."""

import json

import pytest

from tests.support.processes import run

PRINT_MAIL = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'backend': settings.EMAIL_BACKEND, 'service': settings.MAIL_SERVICE, "
    "'anymail': settings.ANYMAIL}))"
)
MAILGUN = {
    "MAIL_SERVICE": "mailgun",
    "MAILGUN_API_KEY": "key-test",
    "MAILGUN_WEBHOOK_SIGNING_KEY": "signing-test",
    "MAILGUN_API_URL": "https://api.eu.mailgun.net/v3",
}
POSTMARK = {
    "MAIL_SERVICE": "postmark",
    "POSTMARK_SERVER_TOKEN": "server-token",
    "ANYMAIL_WEBHOOK_SECRET": "hooks:secret",
}


def mail_settings(settings_module, **environment):
    result = run(["-c", PRINT_MAIL], settings_module, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_sends_by_smtp_unless_a_service_is_chosen(production_env):
    mail = mail_settings("advocacy.settings.production", **production_env)
    assert mail["backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mail["service"] == ""


@pytest.mark.parametrize(
    ("environment", "backend"),
    [(MAILGUN, "anymail.backends.mailgun.EmailBackend"), (POSTMARK, "anymail.backends.postmark")],
)
def test_production_sends_through_the_chosen_service(production_env, environment, backend):
    mail = mail_settings("advocacy.settings.production", **production_env, **environment)
    assert mail["backend"].startswith(backend)
    assert mail["anymail"]["REQUESTS_TIMEOUT"] == 30


def test_mailgun_keys_and_region_come_from_the_environment(production_env):
    anymail = mail_settings("advocacy.settings.production", **production_env, **MAILGUN)["anymail"]
    assert anymail["MAILGUN_API_KEY"] == "key-test"
    assert anymail["MAILGUN_WEBHOOK_SIGNING_KEY"] == "signing-test"
    assert anymail["MAILGUN_API_URL"] == "https://api.eu.mailgun.net/v3"
    assert "WEBHOOK_SECRET" not in anymail


def test_the_webhook_secret_may_be_two_while_it_changes(production_env):
    secrets = {"ANYMAIL_WEBHOOK_SECRET": "hooks:old-secret,hooks:new-secret"}
    environment = {**production_env, **POSTMARK, **secrets}
    anymail = mail_settings("advocacy.settings.production", **environment)["anymail"]
    assert anymail["WEBHOOK_SECRET"] == ["hooks:old-secret", "hooks:new-secret"]


def test_dev_keeps_writing_mail_to_files_whatever_the_service():
    mail = mail_settings("advocacy.settings.dev", **MAILGUN)
    assert mail["backend"] == "django.core.mail.backends.filebased.EmailBackend"


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({**MAILGUN, "MAILGUN_WEBHOOK_SIGNING_KEY": ""}, "needs MAILGUN_WEBHOOK_SIGNING_KEY"),
        ({**MAILGUN, "MAILGUN_API_KEY": ""}, "needs MAILGUN_API_KEY"),
        ({**POSTMARK, "ANYMAIL_WEBHOOK_SECRET": ""}, "needs ANYMAIL_WEBHOOK_SECRET"),
        ({"MAIL_SERVICE": "pigeon"}, "MAIL_SERVICE is empty or one of mailgun, postmark"),
    ],
)
def test_a_service_without_its_keys_refuses_to_start(production_env, environment, message):
    result = run(
        ["-c", PRINT_MAIL], "advocacy.settings.production", **production_env, **environment
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
