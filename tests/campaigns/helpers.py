from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def at_most_queries(limit):
    """Fail, printing every statement, if the block runs more than ``limit`` queries."""
    with CaptureQueriesContext(connection) as context:
        yield context
    if len(context) > limit:
        statements = "\n".join(
            f"{number}. {query['sql']}" for number, query in enumerate(context, start=1)
        )
        raise AssertionError(f"{len(context)} queries, at most {limit} allowed:\n{statements}")
