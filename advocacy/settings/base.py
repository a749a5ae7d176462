"""Settings shared by every environment; each value is read through django-environ."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from advocacy.settings.mail import anymail_settings, mail_service
from advocacy.settings.media import media_origin, media_storages
from advocacy.settings.urls import url_with_query

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
# Withheld names (the real names of people at risk) are stored only as HMACs under this key.
# It must differ from SECRET_KEY, and changing it makes every recorded name useless.
WITHHELD_NAMES_KEY = env("WITHHELD_NAMES_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    # Django's admin, with staff's site (two-factor login) as admin.site.
    "staff.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "reversion",
    "csp",
    "anymail",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Ours, from the bottom layer up (docs/architecture.md); the order matters to nothing.
    "core",
    "safeguarding",
    "images",
    "staff",
    "stories",
    "campaigns",
    "advocacy",
]

MIDDLEWARE = [
    # First: a cached anonymous page is answered here, as the stack below produced it, headers
    # and all, with nothing below running (advocacy/page_cache.py).
    "advocacy.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staff.sessions.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "advocacy.middleware.ContentSecurityPolicyMiddleware",
    "advocacy.middleware.PublicCacheMiddleware",
    # Inside the headers above, so its 301 has them too; outside the input check below, which
    # answers 400 before this looks a path up.
    "core.redirects.RedirectFallbackMiddleware",
    # Last, so its 400 page has the headers above; before any view or query sees the input.
    "advocacy.middleware.UnreadableInputMiddleware",
]

ROOT_URLCONF = "advocacy.urls"
WSGI_APPLICATION = "advocacy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Templates that override another app's (Django admin's base_site.html): searched
        # before every app's, so no override depends on the order of INSTALLED_APPS.
        "DIRS": [BASE_DIR / "advocacy" / "overrides"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "advocacy.context_processors.site",
            ],
        },
    },
    {
        # The public pages that carry the load (story, campaign, home, the story list) choose
        # this engine (template_engine = "jinja2"); their templates are in each app's jinja2/.
        # Every other page stays on Django's templates above.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "advocacy.jinja.environment",
            # The request, csrf_input and csrf_token come from the backend itself.
            "context_processors": ["advocacy.context_processors.site", "advocacy.jinja.per_render"],
        },
    },
]

# Django's form renderer, with plain <input> widgets written without three template renders
# each (the same markup; core/form_renderer.py).
FORM_RENDERER = "core.form_renderer.FormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# A Redis that is down, or accepts and never answers, must not hold a request: each call gives
# up after these seconds and the rate limits fall back to each process (core/ratelimits.py).
REDIS_OPTIONS = {
    "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
    "socket_timeout": env.float("REDIS_TIMEOUT", default=0.25),
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous public pages (advocacy/page_cache.py), in a cache of their own so that pages never
# evict rate-limit counters: in each process's memory by default, in Redis when a Redis URL is
# set (PAGE_CACHE_REDIS_URL, default REDIS_URL; give pages a Redis of their own if its memory
# is tight, since Redis evicts across all its keys).
PAGE_CACHE_REDIS_URL = env("PAGE_CACHE_REDIS_URL", default=REDIS_URL)
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": env.int("PAGE_CACHE_MAX_ENTRIES", default=2000)},
}
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": REDIS_OPTIONS,
    }
if PAGE_CACHE_REDIS_URL:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": PAGE_CACHE_REDIS_URL,
        "KEY_PREFIX": "pages",
        "OPTIONS": REDIS_OPTIONS,
    }
# A page stays in that cache at most this many seconds (0: no page cache), and never past the
# next scheduled publication or campaign closing: counters on pages ("letters written",
# "I prayed") lag by at most this much. Any change staff make replaces every page at once.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
# Anonymous public pages are sent gzipped to browsers that accept it (never a page with a CSRF
# token or anything personal: BREACH). Turn off if a proxy in front compresses instead.
PAGE_COMPRESSION = env.bool("PAGE_COMPRESSION", default=True)
# Each process keeps the live campaigns it loaded for letters until the content version moves
# on (campaigns/letters/open_campaigns.py): a letter POST then skips four queries.
LETTER_CAMPAIGNS_KEPT = env.bool("LETTER_CAMPAIGNS_KEPT", default=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Anonymous GET pages (and, on S3, the pictures) are cached by browsers and a CDN this long.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
# Media in MEDIA_ROOT, or in an S3-compatible bucket with MEDIA_STORAGE=s3 (settings/media.py).
STORAGES = {
    **media_storages(env, cache_seconds=PUBLIC_CACHE_SECONDS),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Pictures of items taken down wait here, under their own names, until the item is published
# again: a folder beside MEDIA_ROOT that no URL maps (never inside it). On S3 they wait in a
# private bucket instead, STORAGES["withdrawn"] (images/withdrawal.py).
WITHDRAWN_MEDIA_ROOT = env.path("WITHDRAWN_MEDIA_ROOT", default=BASE_DIR / "media-withdrawn")

# Uploaded images are decoded under this pixel limit (decompression-bomb guard).
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
# Uploaded images larger than this many bytes are refused before they are decoded.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=15 * 1024 * 1024)
# Pages offer each picture at these widths (capped at the original's), as WebP and JPEG/PNG.
IMAGE_RENDITION_WIDTHS = (480, 960, 1600)
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Staff accounts (staff/). Only staff log in; every login needs a code from a TOTP app
# (enrolled with `manage.py enrol_totp`) unless this is off, as dev and test settings allow.
STAFF_REQUIRE_TWO_FACTOR = env.bool("STAFF_REQUIRE_TWO_FACTOR", default=True)
# A staff session ends after 30 minutes without a request, and 12 hours after it began.
STAFF_SESSION_IDLE_SECONDS = 30 * 60
STAFF_SESSION_MAX_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_SECONDS
# Proxies in front of the app that append to X-Forwarded-For (1 behind one nginx); login
# throttling counts failures per client address, so this must be right.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A refused form gets a page in the site's layout saying what happened and what to do.
CSRF_FAILURE_VIEW = "advocacy.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No page tells another site which of ours a reader came from (a story, a confirmation link).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [media_origin(STORAGES)])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# A share-preview link (for a reviewer without an account) stops working after this long.
SHARE_PREVIEW_HOURS = env.int("SHARE_PREVIEW_HOURS", default=72)

# Postcode lookup: "offline" (the open-data tables) or "postcodes.io" (online, exact; falls
# back to the tables if the API does not answer within the timeout, in seconds).
POSTCODE_LOOKUP_BACKEND = env("POSTCODE_LOOKUP_BACKEND", default="offline")
POSTCODES_IO_URL = env("POSTCODES_IO_URL", default="https://api.postcodes.io")
POSTCODES_IO_TIMEOUT = env.float("POSTCODES_IO_TIMEOUT", default=3.0)

# Background work (letters sent for supporters). "database": the queue is a table, run by
# `python manage.py db_worker`. "rq": the queue is in Redis at REDIS_URL, run by as many
# `python manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler` as the mail
# needs, on any machine (docs/deploy.md).
TASKS_BACKEND = env("TASKS_BACKEND", default="database")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")  # for its rqworker command; `rqstats` shows the queue
    RQ_SHOW_ADMIN_LINK = False  # its dashboard is not one of staff's reviewed admin pages
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # The web's enqueue gives up after REDIS_OPTIONS' timeouts (the sweep queues the letter
    # later); rqworker lengthens its own. A letter's job is stopped after DEFAULT_TIMEOUT.
    RQ_QUEUES = {
        "default": {"URL": url_with_query(REDIS_URL, REDIS_OPTIONS), "DEFAULT_TIMEOUT": 300}
    }
elif TASKS_BACKEND != "database":
    raise ImproperlyConfigured(f"TASKS_BACKEND is 'database' or 'rq', not {TASKS_BACKEND!r}.")

# "Send it for me". Outside production every letter goes to LETTERS_TEST_RECIPIENT, whatever
# this says: only advocacy/settings/production.py reads LETTERS_DELIVER_TO_REPRESENTATIVES.
LETTERS_DELIVER_TO_REPRESENTATIVES = False
LETTERS_TEST_RECIPIENT = env("LETTERS_TEST_RECIPIENT", default="letters-test@example.org")
LETTERS_FROM_EMAIL = env("LETTERS_FROM_EMAIL", default="letters@example.org")
LETTERS_ABUSE_EMAIL = env("LETTERS_ABUSE_EMAIL", default="abuse@example.org")
# Letters' text and supporters' addresses are anonymised this many days after sending.
LETTERS_RETENTION_DAYS = env.int("LETTERS_RETENTION_DAYS", default=28)
# "Did your member reply?": asked this many days after a letter we sent, and once more this
# many days after a "not yet" (campaigns.replies). Both must end before the retention above.
REPLIES_ASK_AFTER_DAYS = env.int("REPLIES_ASK_AFTER_DAYS", default=14)
REPLIES_ASK_AGAIN_DAYS = env.int("REPLIES_ASK_AGAIN_DAYS", default=7)
# A worker that has run a letter's task this long without finishing is taken to have died:
# sweep_letters queues the letter again (it is still sent at most once).
LETTERS_TASK_LEASE_SECONDS = env.int("LETTERS_TASK_LEASE_SECONDS", default=600)
# Pacing (campaigns.delivery.pacing): the defaults of a new campaign's fields. Each member gets
# at most this many of our letters in an hour, only in office hours (whole hours, in the
# member's parliament's time zone), and on weekdays unless LETTERS_SEND_AT_WEEKENDS.
LETTERS_PER_MEMBER_PER_HOUR = env.int("LETTERS_PER_MEMBER_PER_HOUR", default=20)
LETTERS_OFFICE_OPENS = env.int("LETTERS_OFFICE_OPENS", default=9)
LETTERS_OFFICE_CLOSES = env.int("LETTERS_OFFICE_CLOSES", default=17)
LETTERS_SEND_AT_WEEKENDS = env.bool("LETTERS_SEND_AT_WEEKENDS", default=False)
# Booklet orders keep the supporter's name, address and email this many days after posting
# (or cancelling); purge_letters then anonymises them.
BOOKLET_ADDRESS_DAYS = env.int("BOOKLET_ADDRESS_DAYS", default=90)
PRIVACY_EMAIL = env("PRIVACY_EMAIL", default="privacy@example.org")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="hello@example.org")
# Seconds before a mail server that does not answer counts as down: well under the 15
# minutes after which a letter's claim is taken as abandoned and it is queued again.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Mail through a service's API instead of SMTP: "mailgun" or "postmark" (settings/mail.py,
# docs/deploy.md). Production then uses its backend; its webhook at /anymail/<service>/tracking/
# reports bounces and complaints. Empty (the default): SMTP, and no webhook answers.
MAIL_SERVICE = mail_service(env)
ANYMAIL = anymail_settings(env, timeout=EMAIL_TIMEOUT)
# The site's address, for links in mail sent without a request (reminders from cron).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

SITE_NAME = env("SITE_NAME", default="Persecuted Church Advocacy (demo)")
# The name authenticator apps show beside each staff member's codes.
OTP_TOTP_ISSUER = SITE_NAME
# The admin's device pages never show a TOTP key; enrol_totp prints it once.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
SITE_TAGLINE = "Serving persecuted Christians worldwide"

# One line of JSON per event on stderr, with tokens and email addresses redacted.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"one_line": {"()": "advocacy.logs.OneLineJsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "one_line"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
