"""Postcode lookups per second, with the open data imported.

    .venv/bin/python bench/lookup.py                 # a fresh temporary SQLite database
    .venv/bin/python bench/lookup.py --db /tmp/x.sqlite3 --seconds 10
    .venv/bin/python bench/lookup.py --database-url postgres://postgres@127.0.0.1:5432/bench

Sets Django up itself (advocacy.settings.dev, DEBUG off), migrates the database and runs
import_representatives into it (timing both the first import and a re-run), then times
lookup_postcode() on postcodes drawn from every sector in the tables (plus some unknown and
Northern Ireland ones), and the public page rendered in-process (no HTTP server).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the last two places of a postcode


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="SQLite file to use (created if missing)")
    where.add_argument("--database-url", help="any DATABASE_URL, e.g. PostgreSQL")
    parser.add_argument("--seconds", type=float, default=5.0, help="time per measurement")
    parser.add_argument("--seed", type=int, default=2026, help="random seed for the sample")
    return parser.parse_args()


def set_up_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.dev")
    os.environ.setdefault("DEBUG", "False")  # no query log: time what production runs
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def prepare_database():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    first = timed(lambda: call_command("import_representatives", verbosity=0))
    again = timed(lambda: call_command("import_representatives", verbosity=0))
    print(f"import_representatives: {first:.2f} s (this run), re-run with no changes {again:.2f} s")


def sample_postcodes(rng, count):
    """Real sectors with made-up units, plus unknown and Northern Ireland postcodes."""
    from campaigns.models import PostcodeShare

    sectors = list(
        PostcodeShare.objects.filter(granularity="sector").values_list("prefix", flat=True)
    )
    sectors = sorted(set(sectors))
    postcodes = [
        f"{rng.choice(sectors)}{rng.choice(UNIT_LETTERS)}{rng.choice(UNIT_LETTERS)}"
        for _ in range(count)
    ]
    for index in range(0, count, 20):  # one in twenty not in the tables
        postcodes[index] = rng.choice(["ZZ99 9ZZ", "BT4 3XX", "BT7 1NN"])
    return postcodes, len(sectors)


def rate(function, postcodes, seconds):
    """Calls per second of function(postcode), cycling through the sample for ``seconds``."""
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        function(postcodes[done % len(postcodes)])
        done += 1
    return done / elapsed, done


def query_counts(postcodes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaigns.lookup.service import lookup_postcode

    counts = []
    for postcode in postcodes:
        with CaptureQueriesContext(connection) as context:
            lookup_postcode(postcode=postcode)
        counts.append(len(context))
    return counts


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        sqlite = f"sqlite:///{args.db or Path(scratch) / 'bench.sqlite3'}"
        set_up_django(args.database_url or sqlite)
        from django.db import connection
        from django.test import Client

        from campaigns.lookup.service import lookup_postcode

        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        prepare_database()
        rng = random.Random(args.seed)
        postcodes, sector_count = sample_postcodes(rng, 2000)
        print(f"sample: {len(postcodes)} postcodes from {sector_count} sectors")

        counts = query_counts(postcodes)
        print(
            f"queries per lookup: max {max(counts)}, mean {statistics.mean(counts):.2f} (budget 3)"
        )
        lookups, done = rate(lambda pc: lookup_postcode(postcode=pc), postcodes, args.seconds)
        print(f"lookup_postcode(): {lookups:,.0f} lookups/s ({done} in {args.seconds:.0f} s)")

        client = Client(HTTP_HOST="localhost")
        pages, done = rate(
            lambda pc: client.get("/representatives/", {"postcode": pc}), postcodes, args.seconds
        )
        print(
            f"/representatives/ in-process: {pages:,.0f} pages/s ({done} in {args.seconds:.0f} s)"
        )


if __name__ == "__main__":
    main()
