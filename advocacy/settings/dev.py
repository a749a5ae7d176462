"""Local development: works with no environment at all."""

from advocacy.settings.base import *  # noqa: F403
from advocacy.settings.base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
WITHHELD_NAMES_KEY = env("WITHHELD_NAMES_KEY", default="dev-only-withheld-names-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Mail is written to files, one per message, where the README says: nothing leaves the machine.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "var" / "mail")
# Two-factor login is off by default here, with a warning on every admin page.
STAFF_REQUIRE_TWO_FACTOR = env.bool("STAFF_REQUIRE_TWO_FACTOR", default=False)
