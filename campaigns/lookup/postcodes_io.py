"""A small client for postcodes.io, the free UK postcode API.

One module, its own exceptions, a timeout on every call, no client built at import time.
"""

import http.client
import json
from dataclasses import dataclass, field
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings

MAX_RESPONSE_BYTES = 256 * 1024  # a postcode record is a few kB


class PostcodesIoError(Exception):
    """Any failure to get an answer from postcodes.io."""


class PostcodeNotFound(PostcodesIoError):
    """postcodes.io does not know the postcode (HTTP 404)."""


class PostcodesIoUnavailable(PostcodesIoError):
    """No usable answer: a timeout, a network failure, a server error or an unexpected body."""


@dataclass(frozen=True)
class PostcodeRecord:
    postcode: str
    country: str
    codes: dict[str, str] = field(default_factory=dict)

    def area_codes(self, keys):
        """The official codes under ``keys`` in the record's ``codes``, skipping empty ones."""
        return [self.codes[key] for key in keys if self.codes.get(key)]


class PostcodesIoClient:
    def __init__(self, *, base_url: str, timeout: float):
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError(f"postcodes.io URL must be http(s): {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def postcode(self, postcode: str) -> PostcodeRecord:
        """``GET /postcodes/<postcode>``: Westminster and other codes for any UK postcode."""
        return self._record(self._get(f"/postcodes/{quote(postcode)}"))

    def scottish_postcode(self, postcode: str) -> PostcodeRecord:
        """``GET /scotland/postcodes/<postcode>``: the Scottish Parliament constituency."""
        return self._record(self._get(f"/scotland/postcodes/{quote(postcode)}"))

    def _get(self, path: str) -> dict:
        request = Request(  # noqa: S310 - the scheme is checked in __init__
            self.base_url + path, headers={"Accept": "application/json"}
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - as above
                body = response.read(MAX_RESPONSE_BYTES)
        except HTTPError as error:
            if error.code == 404:
                raise PostcodeNotFound(_error_message(error)) from error
            raise PostcodesIoUnavailable(f"postcodes.io answered HTTP {error.code}") from error
        except (URLError, OSError, http.client.HTTPException) as error:
            # OSError covers TimeoutError and refused or reset connections.
            raise PostcodesIoUnavailable(f"postcodes.io did not answer: {error}") from error
        return _result(body)

    @staticmethod
    def _record(result: dict) -> PostcodeRecord:
        codes = result.get("codes") or {}
        return PostcodeRecord(
            postcode=str(result.get("postcode", "")),
            country=str(result.get("country") or ""),
            codes={str(key): str(value) for key, value in codes.items() if value},
        )


def _result(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except ValueError as error:
        raise PostcodesIoUnavailable(
            "postcodes.io answered with something other than JSON"
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("result"), dict):
        raise PostcodesIoUnavailable("postcodes.io answered without a result")
    if not isinstance(data["result"].get("codes", {}), dict):
        raise PostcodesIoUnavailable("postcodes.io answered with malformed codes")
    return data["result"]


def _error_message(error: HTTPError) -> str:
    try:
        return str(json.loads(error.read(MAX_RESPONSE_BYTES)).get("error") or "Not found")
    except (ValueError, AttributeError, OSError):
        return "Not found"


def client_from_settings() -> PostcodesIoClient:
    return PostcodesIoClient(
        base_url=settings.POSTCODES_IO_URL, timeout=settings.POSTCODES_IO_TIMEOUT
    )
