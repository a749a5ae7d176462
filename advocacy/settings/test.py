"""Test runs: SQLite in memory unless DATABASE_URL points at PostgreSQL."""

from advocacy.settings.base import *  # noqa: F403
from advocacy.settings.base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - tests only
WITHHELD_NAMES_KEY = "test-only-withheld-names-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps, as in development: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tests log staff in with force_login; the tests of two-factor login switch it on.
STAFF_REQUIRE_TWO_FACTOR = False
# Many tests pin the queries each page makes: the page cache's own tests switch it on.
PAGE_CACHE_SECONDS = 0
# Tests change campaigns' rows directly, not through the admin that moves the content version
# on: the tests of kept campaigns switch it on.
LETTER_CAMPAIGNS_KEPT = False
# Campaigns made in tests send at any hour on any day, so that a test about sending works
# whenever it runs (real workers cannot be sent to a Tuesday morning); the tests of pacing
# (tests/campaigns/test_pacing*.py) give their campaigns office hours.
LETTERS_OFFICE_OPENS = 0
LETTERS_OFFICE_CLOSES = 24
LETTERS_SEND_AT_WEEKENDS = True
# ...and at the highest rate a campaign may set, so that tests sending many letters to one
# member send them at once.
LETTERS_PER_MEMBER_PER_HOUR = 500
