"""One allowlist for rich text: the admin editor, the stored value and the rendered page."""

import re

import nh3

RICH_TEXT_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "h2", "h3", "ul", "ol", "li", "blockquote", "hr", "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)


def sanitize_html(html: str) -> str:
    """Strip every tag, attribute and URL scheme outside the allowlist."""
    return _cleaner.clean(html or "")


def split_at_headings(html: str) -> list[str]:
    """Sanitised rich text cut before each <h2>, each part sanitised again to balance its tags."""
    parts = re.split(r"(?=<h2>)", sanitize_html(html))
    return [sanitize_html(part) for part in parts if part.strip()]
