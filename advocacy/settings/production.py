"""Production: refuses to start unless the required variables are set."""

from django.core.exceptions import ImproperlyConfigured

from advocacy.settings.base import *  # noqa: F403
from advocacy.settings.base import MAIL_SERVICE, STORAGES, env
from advocacy.settings.mail import BACKENDS, mail_service_check

REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "WITHHELD_NAMES_KEY")
for _name in REQUIRED:
    if not env(_name, default=""):
        raise ImproperlyConfigured(
            f"Production settings need the environment variable {_name}; it is not set."
        )

if env("WITHHELD_NAMES_KEY") == env("SECRET_KEY"):
    raise ImproperlyConfigured("WITHHELD_NAMES_KEY must not be the same as SECRET_KEY.")

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
WITHHELD_NAMES_KEY = env("WITHHELD_NAMES_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

# Media as base.py chose them (a folder, or S3 with MEDIA_STORAGE=s3); static files hashed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# "__Host-": browsers take these only over HTTPS with Path=/ and no Domain (Django's defaults,
# never to be changed here), so no subdomain or plain-http page can plant or overwrite them.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# Every staff login needs a TOTP code; no environment variable can turn it off here.
STAFF_REQUIRE_TWO_FACTOR = True
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
# A mail service chosen: its API instead of SMTP, and its keys required (settings/mail.py).
if MAIL_SERVICE:
    mail_service_check(env, MAIL_SERVICE)
    EMAIL_BACKEND = BACKENDS[MAIL_SERVICE]

# The only settings that may send letters to real representatives; off unless said so.
LETTERS_DELIVER_TO_REPRESENTATIVES = env.bool("LETTERS_DELIVER_TO_REPRESENTATIVES", default=False)
