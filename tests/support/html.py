"""Read pages the way a user or a browser does: tags, attributes and visible text.

Every helper parses with beautifulsoup4 (Python's own ``html.parser`` underneath, so a page
is read as the standard library reads it). Attribute values stay strings, ``class`` too, and
an attribute written without a value reads as "".
"""

import re
from functools import lru_cache

from bs4 import BeautifulSoup, CData, Comment, Declaration, Doctype, ProcessingInstruction, Tag

# Strings that are markup, not text: a browser shows none of them.
_NOT_TEXT = (CData, Comment, Declaration, Doctype, ProcessingInstruction)


@lru_cache(maxsize=32)
def soup(html):
    """The parsed page. Cached, and shared between calls: read it, never change it."""
    return BeautifulSoup(html, "html.parser", multi_valued_attributes=None)


def select(html, selector):
    """Every element matching the CSS selector, in document order."""
    return soup(html).select(selector)


def select_one(html, selector):
    """The first element matching the CSS selector, or None."""
    return soup(html).select_one(selector)


def content(response):
    return response.content.decode()


def tags(html, name):
    """The attributes of every ``<name>`` start tag."""
    return [dict(element.attrs) for element in soup(html).find_all(name)]


def elements(html):
    """Every start tag as (tag, attrs)."""
    return [(element.name, dict(element.attrs)) for element in soup(html).find_all(True)]


def _strings(node):
    return "".join(
        string for string in node.find_all(string=True) if not isinstance(string, _NOT_TEXT)
    )


def text(html):
    """The visible text, whitespace collapsed, character references decoded."""
    return " ".join(_strings(soup(html)).split())


def element_text(element):
    """The text of one element, as ``text`` reads a page."""
    return " ".join(_strings(element).split())


def inner_html(html, tag, css_class):
    """The markup inside the first ``<tag class="... css_class ...">``, or None."""
    element = soup(html).find(tag, attrs={"class": _has_class(css_class)})
    return None if element is None else element.decode_contents()


def _has_class(css_class):
    return lambda value: value is not None and css_class in value.split()


def links(html):
    return [attrs.get("href", "") for attrs in tags(html, "a")]


def form_fields(html, form_id):
    """Name -> value for every field of the form with this id, as first rendered."""
    fields = {}
    for form in soup(html).find_all("form", id=form_id):
        for field in form.find_all(["input", "select", "textarea"]):
            if "name" not in field.attrs:
                continue
            name, kind = field["name"], field.get("type")
            if field.name == "input" and kind not in {"submit", "file", "checkbox", "radio"}:
                fields[name] = field.get("value", "")
            elif field.name == "input" and "checked" in field.attrs:
                fields[name] = field.get("value", "on")
            elif field.name == "select" and "multiple" not in field.attrs:
                # A browser sends nothing for a multiple select with nothing chosen, and for a
                # single select the first option unless another is selected.
                for option in field.find_all("option"):
                    if "selected" in option.attrs or name not in fields:
                        fields[name] = option.get("value", "")
            elif field.name == "textarea":
                # A browser drops the newline that follows <textarea>.
                fields[name] = _strings(field).removeprefix("\n")
    return fields


def page_text(client, url, **params):
    """The visible text of a page that must answer 200."""
    response = client.get(url, params)
    assert response.status_code == 200, url
    return text(content(response))


def card_titles(html):
    """The titles of the story cards on a page, in order."""
    return [element_text(title) for title in select(html, "h2.card-title, h3.card-title")]


def markup_tree(html):
    """The page as the parser reads it, for comparing two renderings of one page: (tag,
    attributes, children) nested, each text with its runs of whitespace written as one space
    and whitespace alone between tags dropped. Character references are read as the
    characters they stand for, so ``&#39;`` and ``&#x27;``, ``&#34;`` and ``&quot;`` are one."""
    return _tree(BeautifulSoup(html, "html.parser", multi_valued_attributes=None))


def _tree(node):
    children, text = [], ""
    for child in node.children:
        if isinstance(child, Tag):
            if " ".join(text.split()):
                children.append(_spaced(text))
            text = ""
            children.append(_tree(child))
        elif isinstance(child, _NOT_TEXT):
            children.append((type(child).__name__, str(child)))
        else:
            text += str(child)
    if " ".join(text.split()):
        children.append(_spaced(text))
    return (node.name, sorted(node.attrs.items()), children)


def _spaced(text):
    return re.sub(r"\s+", " ", text)
