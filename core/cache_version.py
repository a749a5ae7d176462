"""The content version: a value that changes whenever public content does, read by the page cache.

Every publish, edit, unpublish, take-down and recorded withheld name bumps it, and so does the
moment something scheduled goes on or off the site: a cached page is served only under the
version it was made under, so no page from before a change is served after it.

Where it lives depends on where the pages are cached (``CACHES["pages"]``):

- in each process's memory (LocMem, the default): in the database, one ``ContentVersion`` row,
  because every server process (and every machine) shares the database and nothing else. It
  costs each page served from the cache one primary-key query of one row, read with a plain
  cursor (tens of microseconds on SQLite; a round trip on PostgreSQL).
- in a shared cache (Redis): beside the pages, read in the same round trip as the page itself.

Each bump is a fresh random value rather than a count, so a version that is lost (an evicted
key) can never come back as an old one. Beside the value is the next scheduled moment (the
soonest ``scheduled_fields`` time in the future of any published item), computed once per
bump: the first reader after that moment bumps the version.
"""

import logging
import secrets
import time
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.db.models import Min
from django.utils import timezone

from core.models import ContentVersion
from core.publishing import Publishable, Status

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "core:content-version"
PAGES = "pages"


@dataclass(frozen=True)
class Version:
    value: str
    next_change: float | None  # seconds since the epoch; None: nothing scheduled

    @property
    def passed(self) -> bool:
        """Whether something scheduled has gone on or off the site since it was made."""
        return self.next_change is not None and time.time() >= self.next_change


def _fresh() -> Version:
    return Version(secrets.token_hex(8), next_scheduled_change())


# Other things pages show that change at a set time (a parliament's dissolution): each
# function returns the soonest such time in the future, or None. Apps register them in ready().
_SCHEDULED_SOURCES = []


def register_scheduled_moments(soonest_after) -> None:
    """Add ``soonest_after(now) -> datetime | None`` to what the next scheduled change reads."""
    if soonest_after not in _SCHEDULED_SOURCES:
        _SCHEDULED_SOURCES.append(soonest_after)


def next_scheduled_change() -> float | None:
    """The soonest future time at which a published item goes on or off the site."""
    now = timezone.now()
    moments = [when.timestamp() for source in _SCHEDULED_SOURCES if (when := source(now))]
    for model in apps.get_models():
        if not issubclass(model, Publishable):
            continue
        for field in model.scheduled_fields:
            published = model._base_manager.filter(status=Status.PUBLISHED)
            soonest = published.filter(**{f"{field}__gt": now}).aggregate(m=Min(field))["m"]
            if soonest is not None:
                moments.append(soonest.timestamp())
    return min(moments, default=None)


class DatabaseVersions:
    """The version as one database row, for pages cached in each process's memory."""

    def read(self) -> Version:
        with connection.cursor() as cursor:
            cursor.execute(_SELECT)
            row = cursor.fetchone()
        return Version(*row) if row else self.bump()

    def bump(self, *, replacing: Version | None = None) -> Version:
        """A new version; with ``replacing``, only if that is still current (else the current)."""
        fresh = _fresh()
        rows = ContentVersion.objects.filter(pk=1)
        if replacing is not None:
            rows = rows.filter(value=replacing.value)
        values = {"value": fresh.value, "next_change": fresh.next_change}
        if rows.update(**values):
            return fresh
        if replacing is not None and ContentVersion.objects.filter(pk=1).exists():
            return self.read()  # another process bumped it first
        ContentVersion.objects.update_or_create(pk=1, defaults=values)
        return fresh

    def read_with(self, key: str | None):
        """The version and the page cached under ``key`` (or None)."""
        return self.read(), None if key is None else caches[PAGES].get(key)


class CacheVersions:
    """The version in the shared cache beside the pages: one round trip reads both."""

    def read(self) -> Version:
        return self.read_with(None)[0]

    def bump(self, *, replacing: Version | None = None) -> Version:
        fresh = _fresh()
        caches[PAGES].set(CONTENT_VERSION_KEY, fresh, timeout=None)
        return fresh

    def read_with(self, key: str | None):
        keys = [CONTENT_VERSION_KEY] if key is None else [CONTENT_VERSION_KEY, key]
        found = caches[PAGES].get_many(keys)
        version = found.get(CONTENT_VERSION_KEY)
        if version is None:  # never set, or evicted: a fresh one, kept if no other process won
            caches[PAGES].add(CONTENT_VERSION_KEY, _fresh(), timeout=None)
            version = caches[PAGES].get(CONTENT_VERSION_KEY)
        return version, found.get(key)


_TABLE = ContentVersion._meta.db_table
_SELECT = f"SELECT value, next_change FROM {_TABLE} WHERE id = 1"  # noqa: S608 - no input


def versions() -> DatabaseVersions | CacheVersions:
    """Where the version lives: see the module's docstring."""
    if isinstance(caches[PAGES], LocMemCache):
        return DatabaseVersions()
    return CacheVersions()


def current_version_and(key: str | None):
    """The current version and the page cached under ``key``: (Version, entry or None).

    Raises what the shared cache raises when it does not answer: the caller steps aside.
    """
    store = versions()
    version, entry = store.read_with(key)
    if version.passed:
        version, entry = store.bump(replacing=version), None
    return version, entry


def content_version() -> str:
    """The current version; "" when it cannot be read (then cache nothing)."""
    try:
        return current_version_and(None)[0].value
    except Exception:  # noqa: BLE001 - any backend failure: redis, sockets
        logger.warning("The content version could not be read")
        return ""


def content_version_bump() -> None:
    """Make every cached page stale; never fails the caller.

    A take-down must succeed even when Redis is down: the failure is logged instead, and the
    pages cached before it are served no longer than PAGE_CACHE_SECONDS.
    """
    try:
        versions().bump()
    except Exception:  # noqa: BLE001 - any backend failure: redis, sockets
        logger.error("The content version could not be bumped: cached pages may be stale")
