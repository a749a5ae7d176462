"""Where a postcode's areas come from: the offline tables (default) or postcodes.io.

Each backend answers one question, ``candidates(postcode)``: every area the postcode may lie
in, for every parliament, with the share of the postcode's sector that lies in it. Each makes
at most two queries.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from campaigns.lookup import postcodes_io
from campaigns.lookup.postcodes import Postcode
from campaigns.models import Area, PostcodeShare

logger = logging.getLogger(__name__)

WHOLE = Decimal("1")


@dataclass(frozen=True)
class Candidate:
    """An area the postcode may lie in, and the share of its sector that does."""

    area: Area
    share: Decimal | None  # None when the supporter picked the area from a list
    basis: str = "sector"  # sector, district, exact (postcodes.io) or picked


class Backend(Protocol):
    def candidates(self, postcode: Postcode) -> list[Candidate]: ...


class OfflineBackend:
    """The open-data tables: by sector, or by district where no table knows the sector.

    The level is chosen once for all parliaments: a sector missing from the Senedd's table
    but present in Westminster's lies wholly outside Wales, so it must not fall back to the
    district (which may straddle the border).
    """

    def candidates(self, postcode: Postcode, *, skip_parliaments=()) -> list[Candidate]:
        if postcode.in_northern_ireland:
            return []  # the tables come from Code-Point Open, which covers Great Britain only
        rows = list(
            PostcodeShare.objects.filter(
                prefix__in=[postcode.sector, postcode.district]
            ).select_related("area__parliament", "area__parent")
        )
        sector = [row for row in rows if row.granularity == PostcodeShare.Granularity.SECTOR]
        found = [
            Candidate(area=row.area, share=row.share, basis=row.granularity)
            for row in (sector or rows)
            if row.area.parliament_id not in skip_parliaments
        ]
        return sorted(found, key=lambda candidate: (-candidate.share, candidate.area.name))


class PostcodesIoBackend:
    """Exact areas from postcodes.io; the offline tables for any parliament it does not name.

    If postcodes.io cannot be reached, the whole lookup falls back to the offline tables.
    """

    AREA_CODE_KEYS = (
        "parliamentary_constituency_2024",
        "parliamentary_constituency",
        "scottish_parliamentary_constituency",
        "senedd_constituency",
    )

    def __init__(self, client=None, offline=None):
        self._client = client
        self.offline = offline or OfflineBackend()

    @property
    def client(self):
        if self._client is None:
            self._client = postcodes_io.client_from_settings()
        return self._client

    def candidates(self, postcode: Postcode) -> list[Candidate]:
        try:
            record = self.client.postcode(str(postcode))
        except postcodes_io.PostcodeNotFound:
            return []
        except postcodes_io.PostcodesIoError as error:
            logger.warning("postcodes.io failed (%s); using the offline tables", error)
            return self.offline.candidates(postcode)
        codes = record.area_codes(self.AREA_CODE_KEYS)
        if record.country == "Scotland" and not record.codes.get(
            "scottish_parliamentary_constituency"
        ):
            codes += self._scottish_codes(postcode)
        areas = list(Area.objects.filter(code__in=codes).select_related("parliament", "parent"))
        named = {area.parliament_id for area in areas}
        found = [Candidate(area=area, share=WHOLE, basis="exact") for area in areas]
        return found + self.offline.candidates(postcode, skip_parliaments=named)

    def _scottish_codes(self, postcode):
        try:
            record = self.client.scottish_postcode(str(postcode))
        except postcodes_io.PostcodesIoError as error:
            logger.info("postcodes.io has no Scottish record (%s); using the offline table", error)
            return []
        return record.area_codes(self.AREA_CODE_KEYS)


BACKENDS = {"offline": OfflineBackend, "postcodes.io": PostcodesIoBackend}


def get_backend() -> Backend:
    """The backend the ``POSTCODE_LOOKUP_BACKEND`` setting names."""
    name = settings.POSTCODE_LOOKUP_BACKEND
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ImproperlyConfigured(
            f"POSTCODE_LOOKUP_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}."
        ) from None
