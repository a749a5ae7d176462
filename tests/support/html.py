"""Read pages the way a user or a browser does: tags, attributes and visible text."""

import re
from html.parser import HTMLParser

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attrs) in document order
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def content(response):
    return response.content.decode()


def tags(html, name):
    """The attributes of every ``<name>`` start tag."""
    return [attrs for tag, attrs in _parse(html).elements if tag == name]


def elements(html):
    """Every start tag as (tag, attrs)."""
    return _parse(html).elements


def text(html):
    """The visible text, whitespace collapsed, character references decoded."""
    return " ".join("".join(_parse(html).text).split())


def inner_html(html, tag, css_class):
    """The markup inside the first ``<tag class="... css_class ...">``, or None."""
    opening = re.search(
        rf'<{tag}\b[^>]*\bclass="(?:[^"]*\s)?{re.escape(css_class)}(?:\s[^"]*)?"[^>]*>', html
    )
    if not opening:
        return None
    depth, position = 1, opening.end()
    tag_pattern = re.compile(rf"<(/?){tag}\b[^>]*>")
    for match in tag_pattern.finditer(html, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html[position : match.start()]
    return html[position:]


def links(html):
    return [attrs.get("href", "") for attrs in tags(html, "a")]


class _FormReader(HTMLParser):
    """The values a browser would submit for a form, before the user changes anything."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = {}
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input" and attrs.get("type") not in {"submit", "file", "checkbox", "radio"}:
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and "checked" in attrs:
            self.fields[attrs["name"]] = attrs.get("value", "on")
        elif tag == "select":
            # A browser sends nothing for a multiple select with nothing chosen.
            self.select = None if "multiple" in attrs else attrs["name"]
        elif tag == "option" and self.select:
            # ... and the first option of a single select unless another is selected.
            if "selected" in attrs or self.select not in self.fields:
                self.fields[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            # A browser drops the newline that follows <textarea>.
            value = self.fields[self.textarea] + data
            self.fields[self.textarea] = value.removeprefix("\n")


def form_fields(html, form_id):
    """Name -> value for every field of the form with this id, as first rendered."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    return reader.fields


def page_text(client, url, **params):
    """The visible text of a page that must answer 200."""
    response = client.get(url, params)
    assert response.status_code == 200, url
    return text(content(response))


def card_titles(html):
    """The titles of the story cards on a page, in order."""
    titles = re.findall(r'<h([23]) class="card-title">(.*?)</h\1>', html)
    return [text(title) for _, title in titles]
