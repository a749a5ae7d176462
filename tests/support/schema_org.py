"""Read a page's JSON-LD and check it against schema.org types' required and recommended
properties, as Google's structured-data documentation lists them (written down here, so a
test never fetches anything)."""

import json

from tests.support.html import select

# Per type: properties a search engine needs (required) and those it uses when present
# (recommended). Our pages give both.
PROPERTIES = {
    "NewsArticle": {
        "required": {"headline", "image", "datePublished"},
        "recommended": {"dateModified", "author", "publisher", "description", "mainEntityOfPage"},
    },
    "Organization": {"required": {"name", "url"}, "recommended": {"logo"}},
    "WebSite": {"required": {"name", "url"}, "recommended": {"potentialAction"}},
    "SearchAction": {"required": {"target", "query-input"}, "recommended": set()},
    "ImageObject": {"required": {"url"}, "recommended": {"width", "height"}},
    "BreadcrumbList": {"required": {"itemListElement"}, "recommended": set()},
    "ListItem": {"required": {"position", "name"}, "recommended": {"item"}},
}


def json_ld(html):
    """Every JSON-LD block on the page, parsed; nodes of an @graph are listed one by one."""
    nodes = []
    for script in select(html, 'script[type="application/ld+json"]'):
        data = json.loads(script.string)
        assert data.get("@context") == "https://schema.org", data
        nodes.extend(data.get("@graph", [data]))
    return nodes


def of_type(html, kind):
    return [node for node in json_ld(html) if node.get("@type") == kind]


def problems(node, path="") -> list[str]:
    """What a node (and every typed node inside it) lacks, as readable lines; [] if none."""
    found = []
    kind = node.get("@type")
    if kind in PROPERTIES:
        wanted = PROPERTIES[kind]["required"] | PROPERTIES[kind]["recommended"]
        found += [f"{path}{kind} lacks {name}" for name in sorted(wanted) if not node.get(name)]
    for name, value in node.items():
        for each in value if isinstance(value, list) else [value]:
            if isinstance(each, dict):  # a reference ({"@id": ...}) has no type to check
                found += problems(each, f"{path}{name}.")
    return found
