"""Building service addresses for settings."""

from urllib.parse import urlencode, urlsplit, urlunsplit


def url_with_query(url: str, options: dict) -> str:
    """The URL with ``options`` added to its query string (redis-py reads its timeouts there)."""
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(options)]))
    return urlunsplit(parts._replace(query=query))
