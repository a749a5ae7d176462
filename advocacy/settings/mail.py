"""The mail service letters go out through: SMTP by default, or a service's API through
django-anymail (``MAIL_SERVICE``), whose tracking webhooks report bounces and complaints
(campaigns/delivery/bounces.py). docs/deploy.md says how to set each up.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

# The services we document and test; anymail supports more, each a few lines here.
BACKENDS = {
    "mailgun": "anymail.backends.mailgun.EmailBackend",
    "postmark": "anymail.backends.postmark.EmailBackend",
}
# What each service needs from the environment before the site may start with it.
REQUIRED = {
    "mailgun": ("MAILGUN_API_KEY", "MAILGUN_WEBHOOK_SIGNING_KEY"),
    # Postmark signs nothing: basic auth in the webhook's URL is its only check.
    "postmark": ("POSTMARK_SERVER_TOKEN", "ANYMAIL_WEBHOOK_SECRET"),
}


def mail_service(env: environ.Env) -> str:
    """ "" (SMTP) or the name of a service in BACKENDS."""
    service = env("MAIL_SERVICE", default="")
    if service and service not in BACKENDS:
        choices = ", ".join(BACKENDS)
        raise ImproperlyConfigured(f"MAIL_SERVICE is empty or one of {choices}, not {service!r}.")
    return service


def anymail_settings(env: environ.Env, *, timeout: int) -> dict:
    """django-anymail's ANYMAIL setting, from the environment (empty values unset)."""
    values = {
        "MAILGUN_API_KEY": env("MAILGUN_API_KEY", default=""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": env("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
        # Mailgun's EU region: https://api.eu.mailgun.net/v3
        "MAILGUN_API_URL": env("MAILGUN_API_URL", default=""),
        "POSTMARK_SERVER_TOKEN": env("POSTMARK_SERVER_TOKEN", default=""),
        # "user:password" the service must put in the webhook URL (basic auth); several,
        # comma-separated, while it is being changed.
        "WEBHOOK_SECRET": env.list("ANYMAIL_WEBHOOK_SECRET", default=[]),
    }
    return {"REQUESTS_TIMEOUT": timeout, **{key: value for key, value in values.items() if value}}


def mail_service_check(env: environ.Env, service: str) -> None:
    """Refuse to start with a service chosen and its keys missing."""
    for name in REQUIRED.get(service, ()):
        if not env(name, default=""):
            raise ImproperlyConfigured(f"MAIL_SERVICE={service} needs {name}; it is not set.")
