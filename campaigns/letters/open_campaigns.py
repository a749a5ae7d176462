"""Live campaigns with what their letters need, kept in each process until content changes.

Every compose page and letter POST needs its campaign, target parliaments, templates and
motions (with their supporters): four queries and, on a POST, the largest part of its CPU.
They change only when content does (the admin, an import, the seeds, a take-down, a scheduled
moment), and every such change moves the content version on (``core.cache_version``), the
value the page cache already trusts with every public page. So each process keeps the
campaigns it loaded beside the version they were loaded under, and loads a campaign again once
the version has moved on: a POST then reads the version (one primary-key row, or one Redis
round trip) instead of four queries. Whether it is still open is checked at each use.

A kept campaign is shared by the requests of its process: read it, never change it. Its
``letter_count`` is stale by design (the count is only ever added to with ``F()``). Off with
``LETTER_CAMPAIGNS_KEPT = False`` (the test settings: tests change rows without the admin).
"""

import logging
import time

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign, ParliamentaryAction
from core.cache_version import current_version_and

logger = logging.getLogger(__name__)

MOST_KEPT = 50  # campaigns a process keeps; a few are live at any time
# After the version cannot be read (Redis down), campaigns are loaded from the database for
# this long, so an outage costs one socket timeout, not one a POST (as the page cache does).
STEP_ASIDE_SECONDS = 10

_kept: dict[str, tuple[str, Campaign]] = {}  # slug: (content version, campaign)
_failed_at: float | None = None


def open_campaign(slug: str) -> Campaign:
    """A live campaign with its parliaments, templates and motions prefetched, or 404."""
    version = _content_version() if settings.LETTER_CAMPAIGNS_KEPT else ""
    kept_version, campaign = _kept.get(slug, ("", None))
    if version and kept_version == version and campaign.is_open:
        return campaign
    campaign = get_object_or_404(_loaded(), slug=slug)
    if version:
        if len(_kept) >= MOST_KEPT:
            _kept.clear()  # a handful of live campaigns refill it at once
        _kept[slug] = (version, campaign)
    return campaign


def _loaded():
    actions = ParliamentaryAction.objects.with_supporter_ids()
    return Campaign.objects.live().prefetch_related(
        "target_parliaments", "templates", Prefetch("actions", actions)
    )


def _content_version() -> str:
    """The current content version; "" (keep nothing) when it cannot be read."""
    global _failed_at  # one flag per process, by design
    if _failed_at is not None and time.monotonic() - _failed_at < STEP_ASIDE_SECONDS:
        return ""
    try:
        version = current_version_and(None)[0].value
    except Exception as error:  # noqa: BLE001 - any backend failure: redis, sockets
        logger.warning(
            "The content version could not be read (%s): campaigns loaded for each letter for %d s",
            type(error).__name__,
            STEP_ASIDE_SECONDS,
        )
        _failed_at = time.monotonic()
        return ""
    _failed_at = None
    return version
