"""Site search over whatever the apps register, knowing none of them.

Each app registers a ``SearchSource`` in its ``AppConfig.ready()`` (stories: stories, prayer
requests, countries, spokespeople; campaigns: campaigns), naming only fields it declared
public to the withheld-names guard. ``search()`` runs one query over them all: each source's
``published()`` rows that match, as (kind, slug, title, text, rank, date) rows in one UNION,
ranked, so a results page costs a count and a page whatever the sources or the results.

On PostgreSQL the match is full-text search on a stored, generated ``search_vector`` column
with a GIN index (added by each app's migration, on PostgreSQL only, so the database keeps it
up to date on every save); elsewhere (SQLite) every word must appear in one of the fields.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat
from django.utils.html import escape, format_html, format_html_join

MAX_QUERY_LENGTH = 200  # characters; a longer query is refused before anything runs
SEARCH_CONFIG = "english"  # the text search configuration of every search_vector column
SNIPPET_WORDS = 30
# Above full-text ranks (under 1) and the fallback's ranks for a query of a word or two.
EXACT_TITLE_BONUS = 10.0


@dataclass(frozen=True)
class SearchSource:
    """One kind of public item the search finds.

    ``published`` gives the queryset the public may see; ``title`` and ``text`` name public
    fields (declared to the guard); ``url`` builds the item's address from its slug.
    """

    kind: str
    label: str
    published: Callable[[], models.QuerySet]
    title: str
    text: tuple[str, ...]
    url: Callable[[str], str]
    date: str | None = "published_at"
    name_changed: str | None = None  # a boolean field: the title is a name changed for safety


_sources: dict[str, SearchSource] = {}
# The columns of every source's rows, in the order the UNION lines them up.
COLUMNS = (
    "item_kind",
    "item_slug",
    "item_title",
    "item_text",
    "rank",
    "item_date",
    "item_name_changed",
)


def register_search_source(source: SearchSource) -> None:
    """Called from an AppConfig.ready(); registering a kind again replaces it."""
    _sources[source.kind] = source


def search_sources() -> list[SearchSource]:
    return list(_sources.values())


@dataclass(frozen=True)
class Result:
    kind: str
    label: str
    title: str
    url: str
    snippet: str
    date: object
    name_changed: bool = False


def search(query: str) -> models.QuerySet:
    """One UNION of every source's matching published rows, best first (unevaluated)."""
    parts = [_matches(source, query) for source in _sources.values()]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-rank", F("item_date").desc(nulls_last=True), "item_title")


def results(rows, query: str) -> list[Result]:
    """The page's rows as results, each with a snippet that marks the words searched for."""
    terms = query_terms(query)
    found = []
    for kind, slug, title, text, _rank, date, name_changed in rows:
        source = _sources[kind]
        shown = snippet(text, terms)
        found.append(Result(kind, source.label, title, source.url(slug), shown, date, name_changed))
    return found


def _matches(source: SearchSource, query: str) -> models.QuerySet:
    queryset = source.published().order_by()
    if connection.vendor == "postgresql":
        queryset, rank = _full_text(queryset, query)
    else:
        queryset, rank = _contains(queryset, source, query)
    # A title that is the whole query (a country's or a person's name) comes first.
    exact = When(**{f"{source.title}__iexact": query.strip()}, then=Value(EXACT_TITLE_BONUS))
    rank = Cast(rank, models.FloatField()) + Case(exact, default=Value(0.0))
    date = F(source.date) if source.date else Cast(Value(None), models.DateTimeField())
    changed = F(source.name_changed) if source.name_changed else Value(False)
    return queryset.annotate(
        item_kind=Value(source.kind),
        item_slug=F("slug"),
        item_title=F(source.title),
        item_text=Concat(*_spaced(source.text), output_field=models.TextField()),
        rank=rank,
        item_date=date,
        item_name_changed=Cast(changed, models.BooleanField()),
    ).values_list(*COLUMNS)


def _full_text(queryset, query):
    """The stored search_vector (see the apps' migrations) against a web-style query."""
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    column = f"{table}.search_vector"  # a column the model does not know (see the migrations)
    vector = RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611 - our table
    parsed = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    queryset = queryset.annotate(search_vector=vector).filter(search_vector=parsed)
    return queryset, SearchRank(vector, parsed)


def _contains(queryset, source, query):
    """The fallback: every word in some field; a word in the title counts double."""
    fields = (source.title, *source.text)
    terms = query_terms(query)
    for term in terms:
        queryset = queryset.filter(_any_contains(fields, term))
    rank = sum(
        (
            Case(When(**{f"{field}__icontains": term}, then=Value(weight)), default=Value(0))
            for term in terms
            for field, weight in ((source.title, 2), *((text, 1) for text in source.text))
        ),
        Value(0),
    )
    return queryset, rank


def _any_contains(fields, term):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": term})
    return condition


def _spaced(fields):
    """Each field then a space, so a snippet never runs two fields together."""
    parts = []
    for field in fields:
        parts += [F(field), Value(" ")]
    return parts


TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # rich text's tags, left out of snippets
WORD = re.compile(r"\w+", re.UNICODE)
SEARCH_OPERATORS = {"or", "and", "not"}


def query_terms(query: str) -> list[str]:
    """The words searched for, without websearch's operators."""
    return [word for word in WORD.findall(query) if word.casefold() not in SEARCH_OPERATORS]


def snippet(text: str, terms: list[str]) -> str:
    """About SNIPPET_WORDS words of ``text`` around the first word searched for, each word
    searched for in <mark>; everything else escaped."""
    words = html.unescape(TAG.sub(" ", text)).split()
    pattern = _terms_pattern(terms)
    first = next((i for i, word in enumerate(words) if pattern and pattern.search(word)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    shown = words[start : start + SNIPPET_WORDS]
    marked = format_html_join(" ", "{}", ((_mark(word, pattern),) for word in shown))
    before = "… " if start else ""
    after = " …" if start + SNIPPET_WORDS < len(words) else ""
    return format_html("{}{}{}", before, marked, after)


def _terms_pattern(terms):
    """Words starting with a term (so "church" marks "churches", as stemming finds it)."""
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def _mark(word, pattern):
    """The word escaped, its matching part in <mark>."""
    if pattern is None:
        return escape(word)
    pieces, last = [], 0
    for match in pattern.finditer(word):
        pieces.append(word[last : match.start()])
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    pieces.append(word[last:])
    return format_html_join("", "{}", ((piece,) for piece in pieces))
