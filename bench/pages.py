"""Public pages per second under gunicorn, against the same page served as a static file.

    .venv/bin/python bench/pages.py                  # 2,000 requests per page and per copy
    .venv/bin/python bench/pages.py --quick          # 200 requests: a try in seconds
    .venv/bin/python bench/pages.py --requests 5000 --concurrency 16

Builds a scratch site in a temporary directory: a SQLite database (migrate, load_seeds,
import_representatives) and collectstatic into a temporary STATIC_ROOT. STATIC_ROOT is fixed in
advocacy/settings/base.py, so the server runs a two-line settings module written into the
temporary directory: advocacy.settings.production with only STATIC_ROOT changed (whitenoise's
CompressedManifestStaticFilesStorage, DEBUG off, the production middleware).

Each public page is fetched once from a short-lived gunicorn and its bytes saved as
<STATIC_ROOT>/bench/<name>.html (the exact bytes the server sends, not a re-render; whitenoise
only serves files present when it starts). Then gunicorn (sync workers, as deployed) is started
again and each page and its copy get the same bounded load from client threads, each on one
HTTP connection to 127.0.0.1, kept alive when the server allows it.

Reading the figures: "dynamic/s" is how many times per second the server renders the page;
"static/s" how many times per second the same server, through the same WSGI stack and
whitenoise, sends the same bytes with no view, template or query behind them: the ceiling of
this server on this machine. "x slower" is static/s divided by dynamic/s: near 1, Django adds
little; large, the page is where a cache or CDN pays. Latencies are per request as the client
saw them, queueing included. The client shares the cores with the server, and so does any other
work on the machine (the load average is printed): compare pages with each other and with their
copies rather than reading the absolute rates as capacity.
"""

import argparse
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PAGES = {
    "home": "/",
    "stories": "/stories/",
    "story": "/stories/china-returns-600-north-korean-refugees/",
    "world-watch-list": "/world-watch-list/",
    "pray": "/pray/",
    "representatives": "/representatives/?postcode=SW1A+0AA",
}
SETTINGS_SHIM = "from advocacy.settings.production import *  # noqa\nSTATIC_ROOT = {root!r}\n"
STARTUP_SECONDS = 30
SHOWN_HEADERS = ("Cache-Control", "Vary", "ETag", "Content-Encoding", "Set-Cookie")


@dataclass
class Load:
    """The outcome of one bounded load on one URL."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    closed: int = 0  # responses after which the server closed the connection

    @property
    def rate(self):
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share):
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per page and copy")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--quick", action="store_true", help="200 requests per page")
    args = parser.parse_args()
    if args.quick:
        args.requests = 200
    return args


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(scratch: Path):
    """Environment for manage.py and gunicorn: production settings on scratch files."""
    (scratch / "bench_pages_settings.py").write_text(
        SETTINGS_SHIM.format(root=str(scratch / "static"))
    )
    env = dict(os.environ)
    env.pop("REDIS_URL", None)  # the local-memory cache, as on one machine without Redis
    env.update(
        DJANGO_SETTINGS_MODULE="bench_pages_settings",
        PYTHONPATH=os.pathsep.join([str(scratch), str(ROOT)]),
        SECRET_KEY="bench-only-key-" + os.urandom(8).hex(),
        WITHHELD_NAMES_KEY="bench-only-names-key-" + os.urandom(8).hex(),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{scratch / 'bench.sqlite3'}",
        SECURE_SSL_REDIRECT="false",
        MEDIA_ROOT=str(scratch / "media"),
    )
    return env


def manage(env, *args):
    done = subprocess.run(
        [VENV_BIN / "python", "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def build_site(env):
    started = time.perf_counter()
    manage(env, "migrate", "--noinput")
    manage(env, "load_seeds")
    manage(env, "import_representatives")
    manage(env, "collectstatic", "--noinput")
    print(
        f"set-up (migrate, load_seeds, import_representatives, collectstatic): "
        f"{time.perf_counter() - started:.1f} s"
    )


@contextmanager
def gunicorn(env, workers, log: Path):
    """A running gunicorn on a free port; stopped on leaving, whatever happened."""
    port = free_port()
    command = [VENV_BIN / "gunicorn", "advocacy.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers)]
    with log.open("ab") as output:
        # Its own session, so a Ctrl-C reaches only us and the finally below stops it.
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )
    try:
        wait_until_healthy(server, port, log)
        yield port
    finally:
        stop(server)


def wait_until_healthy(server, port, log):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if get(port, "/health/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"gunicorn did not answer /health/ in {STARTUP_SECONDS} s:\n{log.read_text()[-2000:]}")


def stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def get(port, path):
    """One request on a fresh connection: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def save_copies(port, static_root: Path):
    """Save each page's bytes for whitenoise; return each page's response headers."""
    folder = static_root / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    headers = {}
    for name, path in PAGES.items():
        status, headers[name], body = get(port, path)
        if status != 200:
            sys.exit(f"error: {path} answered {status}; cannot make its static copy")
        (folder / f"{name}.html").write_bytes(body)
    return headers


def client(port, path, count, load, lock, stop_event):
    """One thread: ``count`` GETs on one keep-alive connection (reopened if the server closes)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, statuses, closed = [], Counter(), 0
    for _ in range(count):
        if stop_event.is_set():
            break
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            statuses[response.status] += 1
            closed += response.will_close
        except (OSError, http.client.HTTPException) as error:
            statuses[type(error).__name__] += 1
            connection.close()
        latencies.append(time.perf_counter() - started)
    connection.close()
    with lock:
        load.latencies += latencies
        load.statuses += statuses
        load.closed += closed


def run_load(port, path, requests, concurrency, stop_event):
    load, lock = Load(), threading.Lock()
    shares = [requests // concurrency + (i < requests % concurrency) for i in range(concurrency)]
    threads = [
        threading.Thread(target=client, args=(port, path, n, load, lock, stop_event), daemon=True)
        for n in shares
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - started
    return load


def measure(port, path, args, stop_event):
    """A short unmeasured warm-up (templates compiled, connections open), then the load."""
    run_load(port, path, args.concurrency * 4, args.concurrency, stop_event)
    return run_load(port, path, args.requests, args.concurrency, stop_event)


def statuses_text(load):
    return ", ".join(
        f"{status} x{count}" for status, count in sorted(load.statuses.items(), key=str)
    )


def print_row(name, size, dynamic, static):
    ratio = static.rate / dynamic.rate if dynamic.rate else float("inf")
    print(
        f"{name:<17}{size:>8,}{dynamic.rate:>11,.0f}{static.rate:>10,.0f}{ratio:>9.1f}x"
        f"{dynamic.percentile(0.5):>8.1f}{dynamic.percentile(0.95):>7.1f}"
        f"{static.percentile(0.5):>8.1f}{static.percentile(0.95):>7.1f}"
    )
    for kind, load in (("page", dynamic), ("copy", static)):
        if set(load.statuses) != {200}:
            print(f"  error: {name} {kind} answered {statuses_text(load)}")


def print_header(args):
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"cores: {cores}; gunicorn: {args.workers} sync workers; client: {args.concurrency} "
        f"threads on the same machine; {args.requests:,} requests per page and per copy"
    )
    print("settings: advocacy.settings.production, STATIC_ROOT in a temporary directory")
    # Other work on the machine shares the cores: figures from a busy machine vary by run.
    print("load average before the run: {:.2f} {:.2f} {:.2f}\n".format(*os.getloadavg()))
    print(
        f"{'page':<17}{'bytes':>8}{'dynamic/s':>11}{'static/s':>10}{'x slower':>10}"
        f"{'dyn p50':>8}{'p95':>7}{'st p50':>8}{'p95':>7}   (latencies in ms)"
    )


def print_headers(headers, loads):
    print("\nheaders of the dynamic pages (as fetched for the copies):")
    for name, found in headers.items():
        shown = [f"{header}: {found.get(header, '-')}" for header in SHOWN_HEADERS]
        print(f"  {name:<17}" + "; ".join(shown))
    closed = sum(load.closed for pair in loads.values() for load in pair)
    total = sum(len(load.latencies) for pair in loads.values() for load in pair)
    print(
        f"keep-alive: the server closed the connection after {closed:,} of {total:,} responses "
        "(gunicorn's sync workers do not keep connections open; the client reconnects)"
    )


def benchmark(args, scratch: Path):
    env = site_env(scratch)
    build_site(env)
    log = scratch / "gunicorn.log"
    with gunicorn(env, args.workers, log) as port:
        headers = save_copies(port, scratch / "static")
    stop_event, loads = threading.Event(), {}
    try:
        with gunicorn(env, args.workers, log) as port:
            print_header(args)
            for name, path in PAGES.items():
                dynamic = measure(port, path, args, stop_event)
                static = measure(port, f"/static/bench/{name}.html", args, stop_event)
                loads[name] = dynamic, static
                size = (scratch / "static" / "bench" / f"{name}.html").stat().st_size
                print_row(name, size, dynamic, static)
    finally:
        stop_event.set()  # client threads stop at their next request
    print_headers(headers, loads)


def interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    args = parse_args()
    # A plain kill (SIGTERM) unwinds like Ctrl-C, so the finally blocks stop gunicorn.
    signal.signal(signal.SIGTERM, interrupt)
    scratch = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    started = time.perf_counter()
    try:
        benchmark(args, scratch)
    except KeyboardInterrupt:
        print("\ninterrupted; gunicorn stopped")
        sys.exit(130)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\ntotal: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
