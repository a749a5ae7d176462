"""Reads whose SQL the ORM compiles once per process and database, then run on a plain cursor.

Building and compiling a queryset costs 0.3-0.5 ms of Python a query, running its SQL about
0.05 ms: on a public page of 4-6 queries the ORM's compiling was a third of the CPU. A
``Prepared`` read keeps the queryset as its definition (a function of named parameters, so
``published()`` stays the one rule), compiles it the first time it is used on a database with
stand-in values for the parameters, and from then on runs the same SQL with each request's
values put where the stand-ins were, adapted for the database as the ORM adapts them
(a datetime becomes text on SQLite). Rows come back as the ORM would give them: its own
converters (dates, booleans, decimals on SQLite), then model instances, dicts or tuples.

Nothing read is kept: every call runs its query. What is kept per process is SQL text and
how to read its rows, keyed by database alias and vendor (tests switch databases).

Parameters: a ``datetime``, ``date``, ``int`` or ``str`` is a value in the SQL; a list or tuple
of them is compiled once per length (an IN list), and longer than ``MAX_LIST`` the query is
simply run by the ORM; ``True``, ``False`` and ``None`` change the query's shape and are
compiled once each. A definition must not slice with a parameter: ``rows(limit=, offset=)``
adds LIMIT and OFFSET as parameters.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)

# IN lists longer than this are not compiled (one SQL text per length): the ORM runs them.
MAX_LIST = 20


def _stand_in(sample: Any, number: int) -> Any:
    """A value the compiled parameters cannot otherwise hold, of the sample's type."""
    if isinstance(sample, datetime):
        moment = datetime(2999, 12, 31, 23, 59, tzinfo=UTC) - timedelta(microseconds=number)
        return moment if sample.tzinfo else moment.replace(tzinfo=None)
    if isinstance(sample, date):
        return date(2999, 12, 31) - timedelta(days=number)
    if isinstance(sample, int):
        return -987_654_321_000 - number
    if isinstance(sample, str):
        # With LIKE's special characters: a lookup that escapes them (iexact on SQLite,
        # contains) changes the stand-in, and the compile refuses it.
        return f"\ue000prepared-{number}%_\\\ue000"
    raise TypeError(f"A prepared read takes no {type(sample).__name__} parameter.")


def _adapt(value: Any, connection) -> Any:
    """A parameter as the ORM hands it to the database (the compile checks it agrees)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass
class _Compiled:
    sql: str | None  # None: the definition can match nothing (the ORM runs no query)
    params: list  # the stand-ins' places hold None
    slots: list[tuple[int, str, int | None]]  # (place, parameter, index in its list)
    converters: dict
    read: Callable  # rows (converted) -> what the ORM's iterable would give
    sliced: bool = False  # the definition has its own LIMIT


def _reader(queryset: QuerySet, compiler) -> Callable:
    """How the queryset's own iterable class turns rows into results, without running it."""
    kind = queryset._iterable_class
    if kind is ModelIterable:
        return _model_reader(queryset, compiler)
    if kind is ValuesIterable:
        query = queryset.query  # names as ValuesIterable finds them
        names = list(query.selected or (*query.values_select, *query.annotation_select))
        return lambda rows: [dict(zip(names, row, strict=True)) for row in rows]
    if kind is ValuesListIterable:
        return lambda rows: [tuple(row) for row in rows]
    if kind is FlatValuesListIterable:
        return lambda rows: [row[0] for row in rows]
    raise TypeError(f"A prepared read cannot read {kind.__name__} rows.")


def _model_reader(queryset: QuerySet, compiler) -> Callable:
    """ModelIterable's loop: instances with their select_related rows and annotations."""
    select, klass_info = compiler.select, compiler.klass_info
    model, db = klass_info["model"], queryset.db
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, db)
    annotations = compiler.annotation_col_map.items()

    def read(rows):
        objects = []
        for row in rows:
            obj = model.from_db(db, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, place in annotations:
                setattr(obj, name, row[place])
            objects.append(obj)
        return objects

    return read


class Prepared:
    """A read defined by ``build(**parameters) -> QuerySet``, compiled once per database.

    ``counting``: the read gives the number of the definition's rows instead of the rows."""

    def __init__(
        self, build: Callable[..., QuerySet], using: str = DEFAULT_DB_ALIAS, counting=False
    ):
        self.build = build
        self.using = using
        self.counting = counting
        self._compiled: dict[tuple, _Compiled] = {}
        self._counter: Prepared | None = None

    def rows(self, *, limit: int | None = None, offset: int = 0, **parameters) -> list:
        """What ``list(build(**parameters)[offset:offset + limit])`` gives, on a cursor."""
        if any(_not_compiled(value) for value in parameters.values()):
            return self._by_orm(parameters, limit, offset)
        connection = connections[self.using]
        compiled = self._compile(connection, parameters)
        if compiled.sql is None:
            return compiled.read([])
        params = list(compiled.params)
        for place, name, index in compiled.slots:
            value = parameters[name] if index is None else parameters[name][index]
            params[place] = _adapt(value, connection)
        sql = compiled.sql
        if limit is not None and compiled.sliced:
            raise ValueError("This read's definition is sliced: it takes no limit.")
        if limit is not None:  # as the ORM's slice compiles on SQLite and PostgreSQL
            sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return compiled.read(_converted(rows, compiled.converters, connection))

    def count(self, **parameters) -> int:
        """How many rows ``build(**parameters)`` has (its count compiled once too)."""
        if self._counter is None:
            self._counter = Prepared(self.build, self.using, counting=True)
        return self._counter.rows(**parameters)

    def first(self, **parameters):
        """The first row, or None (the definition orders the rows)."""
        found = self.rows(limit=1, **parameters)
        return found[0] if found else None

    def _by_orm(self, parameters: dict, limit: int | None, offset: int):
        queryset = self.build(**parameters).using(self.using)
        if self.counting:
            return queryset.count()
        if limit is not None:
            queryset = queryset[offset : offset + limit]
        return list(queryset)

    def _compile(self, connection, parameters: dict) -> _Compiled:
        key = (connection.alias, connection.vendor, *_shape(parameters))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile_new(connection, parameters)
        return compiled

    def _compile_new(self, connection, parameters: dict) -> _Compiled:
        stand_ins, places = _stand_ins(parameters, connection)
        queryset = self.build(**stand_ins).using(connection.alias)
        if self.counting:
            queryset = queryset.order_by().values("pk")
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, compiled_params = compiler.as_sql()
        except EmptyResultSet:  # e.g. an IN of no values in the definition itself
            return _Compiled(None, [], [], {}, _nothing_counted if self.counting else list)
        params, slots = list(compiled_params), []
        for place, value in enumerate(compiled_params):
            if _hashable(value) and value in places:
                slots.append((place, *places[value]))
                params[place] = None
        # A stand-in the ORM adapted unlike _adapt would stay in the SQL's parameters: refuse.
        # (A parameter may be missing altogether: a shape, e.g. staff's, may not use it.)
        if any(_stand_in_left(value) for value in params):
            raise ValueError(f"A parameter was adapted unlike core.prepared._adapt: {params}")
        if self.counting:  # the ORM's own SQL, its values kept apart as parameters
            counted = f"SELECT COUNT(*) FROM ({sql}) counted"  # noqa: S608
            return _Compiled(counted, params, slots, {}, _first_value)
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        reader = _reader(queryset, compiler)
        return _Compiled(sql, params, slots, converters, reader, queryset.query.is_sliced)


def _stand_ins(parameters: dict, connection) -> tuple[dict, dict]:
    """The values to compile with, and where each stand-in (adapted) came from."""
    numbers = itertools.count(1)
    stand_ins, places = {}, {}
    for name, value in parameters.items():
        if value is None or isinstance(value, bool):
            stand_ins[name] = value  # part of the shape: compiled as it is
        elif isinstance(value, list | tuple):
            stand_ins[name] = [_stand_in(item, next(numbers)) for item in value]
            for index, item in enumerate(stand_ins[name]):
                places[_adapt(item, connection)] = (name, index)
        else:
            stand_ins[name] = _stand_in(value, next(numbers))
            places[_adapt(stand_ins[name], connection)] = (name, None)
    return stand_ins, places


def _converted(rows: list, converters: dict, connection) -> list:
    """The ORM's converters applied, as SQLCompiler.apply_converters does."""
    if not converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for place, (functions, expression) in converters.items():
            value = row[place]
            for function in functions:
                value = function(value, expression, connection)
            row[place] = value
        converted.append(row)
    return converted


STAND_IN_MARKS = ("2999-", "\ue000prepared-", "-98765432")


def _stand_in_left(value: Any) -> bool:
    return value is not None and any(mark in str(value) for mark in STAND_IN_MARKS)


def _first_value(rows: list):
    return rows[0][0]


def _nothing_counted(rows: list) -> int:
    return 0


def _shape(parameters: dict) -> list:
    """What tells one compiled SQL from another: lengths of lists, True/False/None values."""
    shape = []
    for name, value in sorted(parameters.items()):
        if isinstance(value, list | tuple):
            shape.append((name, len(value)))
        elif value is None or isinstance(value, bool):
            shape.append((name, value))
    return shape


def _not_compiled(value: Any) -> bool:
    """An IN list that is empty (no query) or long (one SQL text a length): the ORM runs it."""
    return isinstance(value, list | tuple) and not 0 < len(value) <= MAX_LIST


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class Pages:
    """A prepared read's rows as Django's Paginator takes them: counted, then one page read."""

    def __init__(self, read: Prepared, **parameters):
        self.read = read
        self.parameters = parameters

    def count(self) -> int:
        return self.read.count(**self.parameters)

    def __getitem__(self, window: slice) -> list:
        if window.stop <= window.start:  # an empty page: no query, as the ORM's slice
            return []
        limit = window.stop - window.start
        return self.read.rows(limit=limit, offset=window.start, **self.parameters)


def prefetched(instance, name: str, rows: list) -> None:
    """``rows`` as ``instance.<name>.all()`` gives them, as prefetch_related leaves them:
    read by the view, a template's loop over them makes no query."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(name, None)
    # The manager's own queryset (its filter on the instance deferred, so cheap): a .filter()
    # on what .all() gives stays within the instance's rows, as after prefetch_related.
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    cache[name] = queryset
