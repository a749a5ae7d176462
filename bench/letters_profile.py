"""Where a letter POST's time goes: cProfile and the queries of N submissions, in-process.

    .venv/bin/python bench/letters_profile.py                  # 300 submissions
    .venv/bin/python bench/letters_profile.py --submissions 1000 --top 60 --sort tottime

The same scratch site as bench/letters.py (a PostgreSQL database on --postgres, production
settings, the page cache as the site's default), but no gunicorn and no client threads: this
process GETs each compose form through Django's WSGI handler, then POSTs every form under
cProfile, as bench/letters.py's "post only" run does. It prints the wall and CPU time per POST,
the queries of one POST (their SQL) and the profile's top functions, so each phase of the POST
(middleware, form validation, lookup, insert, count, redirect) can be read off by name.
"""

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from letters import POSTCODE, Form, inputs, letter_fields, live_campaign, scratch_database
from pages import ROOT, build_site, site_env


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--top", type=int, default=45, help="functions shown in the profile")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    return parser.parse_args()


def setup_django(env, scratch):
    os.environ.update(env)
    sys.path[:0] = [str(scratch), str(ROOT)]
    import django

    django.setup()


class Browser:
    """One supporter's requests through the WSGI handler, as gunicorn would pass them."""

    def __init__(self, address):
        from django.test import Client

        self.client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
        self.address = address

    def get(self, path):
        return self.client.get(path, HTTP_X_FORWARDED_FOR=self.address)

    def post(self, path, data):
        body, kind = urlencode(data), "application/x-www-form-urlencoded"  # as browsers send it
        return self.client.post(path, body, kind, HTTP_X_FORWARDED_FOR=self.address)


def member(slug):
    page = Browser("2001:db8::ffff").get(f"/campaigns/{slug}/write/?postcode={POSTCODE}")
    return next(f["value"] for f in inputs(page.content.decode()) if f.get("name") == "member")


def forms(path, count):
    """(browser, form fields) for ``count`` supporters, each with a compose form fetched."""
    made = []
    for number in range(count):
        browser = Browser(f"2001:db8::{number + 1:x}")
        fields = {
            f.get("name"): f.get("value", "") for f in inputs(browser.get(path).content.decode())
        }
        made.append((browser, fields))
    return made


def post(browser, path, fields, name):
    token, key = fields["csrfmiddlewaretoken"], fields["key"]  # the cookie is the client's
    form = Form(cookie="", token=token, key=key, address=browser.address)
    response = browser.post(path, letter_fields(form, name))
    if response.status_code != 302 or "/letters/" not in response.get("Location", ""):
        sys.exit(f"POST answered {response.status_code}: {response.content[:500]!r}")


def show_queries(path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser, fields = forms(path, 1)[0]
    with CaptureQueriesContext(connection) as captured:
        post(browser, path, fields, "Bench queries")
    print(f"\nqueries of one POST: {len(captured.captured_queries)}")
    for number, query in enumerate(captured.captured_queries, start=1):
        print(f"  {number:>2}. {query['sql'][:300]}")


def timed(path, count):
    """Wall and CPU ms per POST of ``count`` forms, without the profiler."""
    prepared = forms(path, count)
    wall, cpu = time.perf_counter(), time.process_time()
    for number, (browser, fields) in enumerate(prepared):
        post(browser, path, fields, f"Bench timed {number}")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"\n{count} POSTs: {1000 * wall / count:.2f} ms wall, {1000 * cpu / count:.2f} ms CPU "
        "each (this process, the test client's own work included; no profiler)"
    )


def profile(args, path):
    prepared = forms(path, args.submissions)
    profiler = cProfile.Profile()
    wall, cpu = time.perf_counter(), time.process_time()
    profiler.enable()
    for number, (browser, fields) in enumerate(prepared):
        post(browser, path, fields, f"Bench profile {number}")
    profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    count = len(prepared)
    print(
        f"\n{count} POSTs: {1000 * wall / count:.2f} ms wall, {1000 * cpu / count:.2f} ms CPU "
        "each (this process; under cProfile, which adds its own cost)"
    )
    stats = pstats.Stats(profiler).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    # The view's phases: the campaign, the lookup, the drafts, the form, the letters' insert.
    stats.print_callees(r"\(compose\)|\(_submit\)|\(letters_create\)")


def main():
    args = parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-letters-profile-"))
    try:
        with scratch_database(args.postgres, prefix="bench_letters_profile") as database_url:
            env = site_env(scratch) | {"DATABASE_URL": database_url, "TRUSTED_PROXY_COUNT": "1"}
            build_site(env)
            slug = live_campaign(env)
            setup_django(env, scratch)
            query = urlencode({"postcode": POSTCODE, "member": member(slug)})
            path = f"/campaigns/{slug}/write/letter/?{query}"
            timed(path, 20)  # warm-up: imports, the connection, the templates
            show_queries(path)
            timed(path, args.submissions)
            profile(args, path)
            from django.db import connections

            connections.close_all()  # before the database is dropped
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
