"""Which sites may show a campaign's embedded postcode step in a frame (CSP frame-ancestors).

Staff list https origins, one a line; a blank list lets any site embed it. Only the embed page
reads this: every other page keeps ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

ANY_SITE = ["*"]
NO_SITE = ["'none'"]
HOST = re.compile(r"(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]([a-z0-9-]*[a-z0-9])?")


def origin(line: str) -> str | None:
    """``https://host[:port]`` from a line, lowercased and tidied; None if it is not one."""
    line = line.strip().rstrip("/")
    if not line or any(char.isspace() or char in ";,'\"" for char in line):
        return None
    try:
        parts = urlsplit(line)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme != "https" or parts.username or parts.password or parts.path:
        return None
    if parts.query or parts.fragment or "#" in line or "?" in line or not HOST.fullmatch(host):
        return None
    return f"https://{host}" + (f":{port}" if port and port != 443 else "")


def origin_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def validate_origins(text: str) -> None:
    """Refuse a list with a line that is not an https origin, naming each such line."""
    bad = [line for line in origin_lines(text) if origin(line) is None]
    if bad:
        raise ValidationError(
            "Give one site a line, as https://www.example.org (https, no path): not %(lines)s.",
            code="invalid_origin",
            params={"lines": ", ".join(f"“{line}”" for line in bad)},
        )


def frame_ancestors(text: str) -> list[str]:
    """The embed page's frame-ancestors sources: the listed origins, or any site if none."""
    lines = origin_lines(text)
    if not lines:
        return ANY_SITE
    # A line that slipped past validation (an edit in the shell) is left out, never widened.
    return sorted({found for line in lines if (found := origin(line))}) or NO_SITE
