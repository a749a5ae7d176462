"""SQL queries and bytes of public pages, in-process, as bench/peers.py reports them.

    DJANGO_SETTINGS_MODULE=advocacy.settings.dev .venv/bin/python bench/page_queries.py / /stories/

Each path is requested three times, each time by a fresh django.test.Client (no cookies, like
wrk), inside CaptureQueriesContext, as the Wagtail peer's `page_stats` does: "cold" is the first
request in this process, "warm" the third. Prints JSON; exits with a message naming the path if
any answers other than 200.
"""

import json
import os
import sys
from pathlib import Path

import django

# A script, not a module of the site: Django is set up before the test client is imported.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.dev")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

HOST = "127.0.0.1"  # in ALLOWED_HOSTS of the benchmark's settings
REQUESTS = 3


def page_stats(path: str) -> dict:
    counts = []
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as queries:
            response = Client(HTTP_HOST=HOST).get(path)
        if response.status_code != 200:
            sys.exit(f"error: {path} answered {response.status_code}, not 200")
        counts.append(len(queries))
    return {"path": path, "bytes": len(response.content), "cold": counts[0], "warm": counts[-1]}


def main():
    print(json.dumps({path: page_stats(path) for path in sys.argv[1:]}))


if __name__ == "__main__":
    main()
