"""Letter submissions per second on PostgreSQL under gunicorn, with the database checked after.

    .venv/bin/python bench/letters.py                  # 2,000 submissions per run
    .venv/bin/python bench/letters.py --quick          # 200 submissions: a try in a minute
    .venv/bin/python bench/letters.py --submissions 5000 --concurrency 16 --workers 8

Builds a scratch PostgreSQL database (bench_letters_<pid> on --postgres, trust auth; migrate,
load_seeds, import_representatives, and a live House of Commons campaign if the seeds have
none) and collectstatic into a temporary STATIC_ROOT, then starts gunicorn (sync workers, as
deployed) on the settings shim bench/pages.py writes: advocacy.settings.production with only
STATIC_ROOT changed (DEBUG off, SECURE_SSL_REDIRECT off through its environment variable).
The database is dropped and gunicorn stopped on leaving, Ctrl-C and errors included.

Client threads on the same machine play supporters writing to the MP for SW1A 0AA: GET the
compose page (its CSRF cookie, csrfmiddlewaretoken and idempotency key), then POST the letter
with a name of its own; a 302 to the letters' page is a success, anything else an error. The
redirect is not followed. Three runs, after an unmeasured warm-up:

- "get+post": each thread fetches a form and posts it, again and again, as supporters do;
- "post only": every form is fetched first, then all are posted: the write path alone;
- "duplicates": every form is posted twice at the same moment by two threads (a barrier
  holds both until each is ready), as a double-click or a retry does.

Reading the figures: "letters/s" is successful submissions per second of the run, GET time
included for get+post; "posts/s" is POST responses per second. Latencies (ms) are per request as
the client saw it, queueing included. Each POST makes one letter and adds one to the campaign's
letter_count in one transaction, so all submissions contend for the same campaign row: the
rate is bounded by that row's lock as much as by the workers. The database check after each
run is the correctness figure: new Letter rows and the letter_count increase must both equal
the successful distinct submissions, and for duplicates the number of forms, not of posts.
The client shares the cores with gunicorn and PostgreSQL, and so does any other work on the
machine (the load average is printed): read the rates against each other and against
bench/pages.py on the same machine rather than as capacity.
"""

import argparse
import http.client
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from pages import ROOT, VENV_BIN, build_site, gunicorn, interrupt, site_env
from peers import PAGE_CACHE_ENV
from psycopg import sql

POSTCODE = "SW1A 0AA"
TARGET_PER_SECOND = 100  # issue 15: submissions a second, every one accounted for
# Each supporter posts from an address of their own, as many do behind one proxy: the letter
# form's limit of 20 POSTs a minute per network would otherwise refuse the bench's one client.
# Addresses from the IPv6 documentation prefix, in a header only: nothing is sent to them.
ADDRESSES = (f"2001:db8::{number:x}" for number in itertools.count(1))
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'(?<![\w-])(name|value)="([^"]*)"')
MERGING = threading.Lock()
LETTER_BODY = (
    "Dear {representative_name},\n\nPlease raise this in Parliament.\n\n{personal_paragraph}\n\n"
    "Yours sincerely,\n{supporter_name}\n{supporter_address}"
)
# Run in the scratch database after load_seeds: the slug of a live campaign with a letter for
# MPs, made here if the seeds have none.
CAMPAIGN_SCRIPT = """
from django.utils import timezone
from campaigns.models import Campaign, LetterTemplate, Parliament
from campaigns.models.parliaments import COMMONS
live = Campaign.objects.live().filter(
    target_parliaments__slug=COMMONS, templates__parliament__slug=COMMONS
).first()
if live is None:
    commons = Parliament.objects.get(slug=COMMONS)
    live = Campaign.objects.create(
        title="Write to your MP", slug="house-of-commons", summary="Ask your MP to act.",
        ask="Raise it in Parliament.", why_it_matters="Lives are at stake.",
        thank_you_text="Thank you.", share_text="I wrote to my MP.", status="published",
        published_at=timezone.now(),
    )
    live.target_parliaments.add(commons)
    LetterTemplate.objects.create(
        campaign=live, parliament=commons, subject="Please act: {representative_name}",
        body="{salutation},\\n\\n{personal_paragraph}\\n\\n{supporter_name}",
        prompts="Why does this matter to you?",
    )
print(live.slug)
"""


@dataclass(frozen=True)
class Form:
    """A compose page as a browser holds it: its cookies, CSRF token and idempotency key."""

    cookie: str
    token: str
    key: str
    address: str  # the supporter's, in X-Forwarded-For as the trusted proxy would add it


@dataclass
class Run:
    """The outcome of one run (or one thread's part of it): latencies in seconds, answers."""

    name: str
    forms: int = 0
    copies: int = 1  # how many times each form is posted
    seconds: float = 0.0
    gets: list[float] = field(default_factory=list)
    posts: list[float] = field(default_factory=list)
    pairs: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)  # each POST's answer, each failed GET
    samples: dict = field(default_factory=dict)  # the first unexpected answer of each kind
    server_cpu: float = 0.0  # CPU seconds of gunicorn's processes while the POSTs ran
    database_cpu: float = 0.0  # CPU seconds of PostgreSQL's backends for the scratch database
    machine_busy: float = 0.0  # CPU seconds of the whole machine (all cores) meanwhile

    @property
    def ok(self):
        return self.statuses["302"]

    @property
    def submitted(self):
        """Forms successfully posted: the letters the database should hold for this run."""
        return self.ok // self.copies

    @property
    def errors(self):
        return sum(self.statuses.values()) - self.ok

    def timed(self, kind, action, *args):
        """Run ``action``; its latency goes to ``kind``; None if the server refused it."""
        started = time.perf_counter()
        result = None
        try:
            result = action(*args)
            if kind == "posts":
                self.statuses["302"] += 1
        except Refused as refused:
            self.statuses[refused.kind] += 1
            self.samples.setdefault(refused.kind, refused.sample)
        getattr(self, kind).append(time.perf_counter() - started)
        return result

    def merge(self, part):
        with MERGING:
            self.gets += part.gets
            self.posts += part.posts
            self.pairs += part.pairs
            self.statuses += part.statuses
            self.samples = part.samples | self.samples


class Refused(Exception):
    """The server answered something other than what a supporter's browser expects."""

    def __init__(self, kind, sample=""):
        super().__init__(kind)
        self.kind, self.sample = kind, sample


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=2000, help="letters per run")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument(
        "--workers", type=int, default=2 * cores() + 1, help="gunicorn workers (2 x cores + 1)"
    )
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="server for the scratch db"
    )
    parser.add_argument("--quick", action="store_true", help="200 submissions per run")
    parser.add_argument(
        "--page-cache",
        choices=("on", "off", "both"),
        default="on",
        help=f"on: the site's default; off: {PAGE_CACHE_ENV}=0; both: one after the other",
    )
    args = parser.parse_args()
    if args.quick:
        args.submissions = 200
    args.concurrency = max(2, args.concurrency)  # duplicates need pairs of threads
    return args


def cores():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


@contextmanager
def scratch_database(server, prefix="bench_letters"):
    """A new, empty database on the server; dropped on leaving, whatever happened."""
    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(drop.format(sql.Identifier(name)))


def live_campaign(env):
    done = subprocess.run(
        [VENV_BIN / "python", "manage.py", "shell", "-c", CAMPAIGN_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"could not find or make a campaign:\n{done.stdout}{done.stderr}")
    return done.stdout.split()[-1]


def request(connection, method, path, body=None, headers=None):
    """One request on the thread's connection (reopened when gunicorn has closed it)."""
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        raise Refused(type(error).__name__, str(error)) from error


def inputs(html):
    """The name and value of each <input> on the page, in order."""
    return [dict(ATTRIBUTE.findall(tag)) for tag in INPUT.findall(html)]


def fetch_form(connection, path):
    status, headers, body = request(connection, "GET", path)
    if status != 200:
        raise Refused(f"GET {status}", body[:300])
    cookies = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    fields = {field.get("name"): field.get("value", "") for field in inputs(body.decode())}
    if "key" not in fields or "csrfmiddlewaretoken" not in fields:
        raise Refused("GET without the form", body[:300])
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
    token, key = fields["csrfmiddlewaretoken"], fields["key"]
    return Form(cookie=cookie, token=token, key=key, address=next(ADDRESSES))


def letter_fields(form, name):
    return {
        "csrfmiddlewaretoken": form.token,
        "key": form.key,
        "answer_1": "My church prays for them every week, and so do I.",
        "name": name,
        "email": f"{name.lower().replace(' ', '.')}@example.org",
        "address": "1 High Street\nLondon",
        "subject_1": "Please act: {representative_name}",
        "body_1": LETTER_BODY,
        "delivery": "post",
    }


def post_letter(connection, path, form, name):
    headers = {"Cookie": form.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    headers["X-Forwarded-For"] = form.address
    body = urlencode(letter_fields(form, name))
    status, answer, text = request(connection, "POST", path, body, headers)
    if status != 302 or "/letters/" not in answer.get("Location", ""):
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', text.decode(), re.S)
        raise Refused(f"POST {status}", " ".join(errors)[:300] or text[:300])


@dataclass(frozen=True)
class Site:
    """Where the client threads send their requests, and the signal to stop early."""

    port: int
    path: str  # the compose page, postcode and member in its query
    stop: threading.Event
    database: str  # the scratch database's name, in its PostgreSQL backends' process titles

    def connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)


def write_letters(site, run, thread, count):
    """One supporter after another: GET the form, POST it."""
    connection, mine = site.connect(), Run(run.name)
    for number in range(count):
        if site.stop.is_set():
            break
        started = time.perf_counter()
        if form := mine.timed("gets", fetch_form, connection, site.path):
            name = f"Bench {run.name} {thread}-{number}"
            mine.timed("posts", post_letter, connection, site.path, form, name)
            mine.pairs.append(time.perf_counter() - started)
    connection.close()
    run.merge(mine)


def fetch_forms(site, run, forms, count):
    connection, mine = site.connect(), Run(run.name)
    for _ in range(count):
        if site.stop.is_set():
            break
        if form := mine.timed("gets", fetch_form, connection, site.path):
            forms.append(form)
    connection.close()
    run.merge(mine)


def post_forms(site, run, forms, thread, barrier):
    """POST each form; with a barrier, only once the other threads posting it are ready too."""
    connection, mine = site.connect(), Run(run.name)
    for number, form in enumerate(forms):
        if site.stop.is_set():
            break
        if barrier:
            barrier.wait(timeout=60)
        name = f"Bench {run.name} {thread}-{number}"  # the same for every copy of a form
        mine.timed("posts", post_letter, connection, site.path, form, name)
    connection.close()
    run.merge(mine)


def shares(total, threads):
    return [total // threads + (i < total % threads) for i in range(threads)]


def in_threads(target, jobs):
    """Run target(*job) in one thread per job; return the seconds until all have finished."""
    threads = [threading.Thread(target=target, args=job, daemon=True) for job in jobs]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def run_pairs(site, name, submissions, concurrency):
    run = Run(name, forms=submissions)
    jobs = [(site, run, thread, n) for thread, n in enumerate(shares(submissions, concurrency))]
    run.seconds = in_threads(write_letters, jobs)
    return run


def run_posts(site, name, count, concurrency, copies=1):
    """Fetch ``count`` forms, then POST each ``copies`` times at the same moment; time the POSTs."""
    run = Run(name, forms=count, copies=copies)
    lists = [[] for _ in range(concurrency // copies)]
    sizes = shares(count, len(lists))
    in_threads(fetch_forms, [(site, run, forms, n) for forms, n in zip(lists, sizes, strict=True)])
    jobs = []
    for thread, forms in enumerate(lists):
        barrier = threading.Barrier(copies) if copies > 1 else None
        jobs += [(site, run, forms, thread, barrier)] * copies
    # gunicorn's processes name their address; PostgreSQL's backends their database (a
    # backend that closes during the run takes its CPU with it: CONN_MAX_AGE is 60 s).
    gunicorn, database = f"127.0.0.1:{site.port}", f" {site.database} "
    before = processes_cpu(gunicorn), processes_cpu(database), machine_busy()
    run.seconds = in_threads(post_forms, jobs)
    run.server_cpu = cpu_since(before[0], processes_cpu(gunicorn))
    run.database_cpu = cpu_since(before[1], processes_cpu(database))
    run.machine_busy = machine_busy() - before[2]
    return run


def processes_cpu(marker):
    """{pid: CPU seconds used so far} of the processes whose command line holds ``marker``."""
    found, marker = {}, marker.encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker in Path(f"/proc/{pid}/cmdline").read_bytes():
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                found[pid] = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:  # gone meanwhile
            continue
    return found


def cpu_since(before, after):
    """CPU seconds the processes alive at the end used since ``before`` (new ones: all)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def machine_busy():
    """CPU seconds the machine's cores have been busy (user, nice, system, irq, softirq)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split()[1:8]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def counts(database_url, slug, name=None):
    """(Letter rows, letter_count) for the campaign; rows only of one run if ``name`` is given."""
    pattern = f"Bench {name} %" if name else "%"
    with psycopg.connect(database_url) as connection:
        letters = connection.execute(
            "SELECT count(*) FROM campaigns_letter l JOIN campaigns_campaign c "
            "ON c.id = l.campaign_id WHERE c.slug = %s AND l.supporter_name LIKE %s",
            (slug, pattern),
        ).fetchone()[0]
        count = connection.execute(
            "SELECT letter_count FROM campaigns_campaign WHERE slug = %s", (slug,)
        ).fetchone()[0]
    return letters, count


def percentiles(latencies):
    ordered = sorted(latencies)
    if not ordered:
        return "-"
    shown = (
        ordered[min(len(ordered) - 1, int(share * len(ordered)))] for share in (0.5, 0.95, 0.99)
    )
    return " ".join(f"{value * 1000:>6.1f}" for value in shown)


def print_header(args, slug, member, page_cache):
    print(
        f"\ncores: {cores()}; gunicorn: {args.workers} sync workers; client: {args.concurrency} "
        f"threads on the same machine; {args.submissions:,} submissions per run"
    )
    print(
        "settings: advocacy.settings.production on PostgreSQL (a scratch database); page cache "
        + ("off (" + PAGE_CACHE_ENV + "=0)" if page_cache == "off" else "as the site's default")
    )
    print(f"letters to: representative {member} for {POSTCODE}, campaign {slug!r}")
    # Other work on the machine shares the cores: figures from a busy machine vary by run.
    print("load average before the runs: {:.2f} {:.2f} {:.2f}\n".format(*os.getloadavg()))
    print(
        f"{'run':<12}{'forms':>7}{'posts':>7}{'302s':>7}{'errors':>7}{'letters/s':>10}"
        f"{'posts/s':>9}   POST p50    p95    p99 (ms)"
    )


def print_run(run):
    posts = len(run.posts)
    letters = run.submitted
    print(
        f"{run.name:<12}{run.forms:>7,}{posts:>7,}{run.ok:>7,}{run.errors:>7,}"
        f"{letters / run.seconds:>10,.0f}{posts / run.seconds:>9,.0f}   {percentiles(run.posts)}"
    )
    for kind, sample in run.samples.items():
        print(f"  error: {kind} x{run.statuses[kind]}: {sample!r}")
    if run.server_cpu and posts:
        print_cpu(run, posts)


def print_cpu(run, posts):
    """Where the time went: cores near full mean CPU bounds the rate; idle ones, a wait (the
    campaign row's lock). The ceiling is what the cores allow at this CPU per POST, whatever
    else ran meanwhile; the client's own CPU is left out."""
    app, database = 1000 * run.server_cpu / posts, 1000 * run.database_cpu / posts
    print(
        f"  CPU per POST: gunicorn {app:.1f} ms, PostgreSQL {database:.1f} ms: at most "
        f"{1000 * cores() / (app + database):.0f}/s on {cores()} cores; cores busy "
        f"{run.machine_busy / run.seconds:.2f} of {cores()}, of which gunicorn "
        f"{run.server_cpu / run.seconds:.2f}, PostgreSQL {run.database_cpu / run.seconds:.2f}"
    )


def print_latencies(runs):
    print("\nlatencies (ms)                  p50    p95    p99")
    for run in runs:
        for kind in ("gets", "posts", "pairs"):
            found = getattr(run, kind)
            if found:
                label = {"gets": "GET compose", "posts": "POST letter", "pairs": "GET+POST"}[kind]
                print(f"  {run.name + ': ' + label:<28}{percentiles(found)}")


def check(run, before, after):
    """Print the database's count of the run's letters; True if it is what the run expects."""
    letters, added = after[0], after[1] - before[1]
    expected = run.submitted
    ok = letters == added == expected and run.errors == 0
    print(
        f"  {run.name:<12}{run.ok:>6,} successful posts of {run.forms:,} forms -> {letters:,} "
        f"letters, letter_count +{added:,}; expected {expected:,}: {'ok' if ok else 'WRONG'}"
    )
    return ok


def benchmark(args, scratch: Path, database_url, page_cache):
    """True if every run's letters are accounted for and "post only" reached the target."""
    env = site_env(scratch) | {"DATABASE_URL": database_url, "TRUSTED_PROXY_COUNT": "1"}
    if page_cache == "off":
        env[PAGE_CACHE_ENV] = "0"
    build_site(env)
    slug = live_campaign(env)
    with gunicorn(env, args.workers, scratch / "gunicorn.log") as port:
        member = member_for(port, slug)
        query = urlencode({"postcode": POSTCODE, "member": member})
        path = f"/campaigns/{slug}/write/letter/?{query}"
        site = Site(port, path, threading.Event(), database_url.rsplit("/", 1)[-1])
        print_header(args, slug, member, page_cache)
        try:
            return verdict(*measure(args, site, database_url, slug))
        finally:
            site.stop.set()  # client threads stop at their next request


def member_for(port, slug):
    """The representative the members' page offers for the postcode."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    query = urlencode({"postcode": POSTCODE})
    status, _, body = request(connection, "GET", f"/campaigns/{slug}/write/?{query}")
    connection.close()
    members = [field["value"] for field in inputs(body.decode()) if field.get("name") == "member"]
    if status != 200 or not members:
        sys.exit(f"error: the members' page for {POSTCODE} answered {status} with no member")
    return members[0]


def measure(args, site, database_url, slug):
    """Warm up, then the three runs, each followed by the database's count of its letters."""
    total, threads = args.submissions, args.concurrency
    run_pairs(site, "warm-up", threads * 4, threads)  # every worker connected, templates loaded
    runs, ok = [], True
    for name, start in (
        ("get+post", lambda: run_pairs(site, "get+post", total, threads)),
        ("post only", lambda: run_posts(site, "post only", total, threads)),
        ("duplicates", lambda: run_posts(site, "duplicates", total // 2, threads, copies=2)),
    ):
        before = counts(database_url, slug)
        run = start()
        runs.append((run, before, counts(database_url, slug, name)))
        print_run(run)
    print_latencies([run for run, _, _ in runs])
    print("\ndatabase check (PostgreSQL, after each run):")
    for run, before, after in runs:
        ok &= check(run, before, after)
    letters, count = counts(database_url, slug)
    print(f"  all runs and the warm-up: {letters:,} Letter rows, campaign.letter_count {count:,}")
    return ok and letters == count, runs[1][0]


def verdict(accounted: bool, posts: Run) -> bool:
    """The issue's target: submissions a second on the write path, every one accounted for."""
    rate = posts.submitted / posts.seconds
    passed = accounted and rate >= TARGET_PER_SECOND
    print(
        f'\ntarget: at least {TARGET_PER_SECOND} submissions/s ("post only"), every one '
        f"accounted for: {rate:.0f}/s, {'all' if accounted else 'NOT all'} accounted for: "
        + ("PASS" if passed else "FAIL")
    )
    return passed


def main():
    args = parse_args()
    # A plain kill (SIGTERM) unwinds like Ctrl-C, so the finally blocks stop gunicorn and drop
    # the database.
    signal.signal(signal.SIGTERM, interrupt)
    started, passed = time.perf_counter(), True
    for page_cache in ("on", "off") if args.page_cache == "both" else (args.page_cache,):
        passed &= one_site(args, page_cache)
    print(f"\ntotal: {time.perf_counter() - started:.0f} s")
    if not passed:
        sys.exit("error: below the target, or letters not accounted for (see above)")


def one_site(args, page_cache):
    """A scratch site and database of its own for each setting of the page cache."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-letters-"))
    try:
        with scratch_database(args.postgres) as database_url:
            return benchmark(args, scratch, database_url, page_cache)
    except KeyboardInterrupt:
        print("\ninterrupted; gunicorn stopped, scratch database dropped")
        sys.exit(130)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
