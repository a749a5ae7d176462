"""Our public pages beside the Wagtail peer and the floor, in one session, against the targets.

    .venv/bin/python bench/peers.py                          # 2 rounds, ~8 minutes
    .venv/bin/python bench/peers.py --rounds 1 --duration 3 --warmup 1   # a try in 2 minutes
    .venv/bin/python bench/peers.py --peer-bench /tmp/peer-bench --out results/

Builds a scratch site in a temporary directory, of about the peer's size: a SQLite database
(migrate, load_seeds, then bench/content.py tops it up to 200 stories, 20 campaigns and 30
spokespeople) and collectstatic into a temporary STATIC_ROOT, on the settings shim of
bench/pages.py (advocacy.settings.production, DEBUG off). Then, ROUNDS times, in an order that
alternates, it runs the shared runner (`run_peer.sh run`: gunicorn with 2 sync workers, wrk
-t2 -c16, server CPU from /proc) on: the Wagtail peer's story, campaign, home and listing; the
floor's static file and bare view; and ours with the page cache off ("uncached") and on
("cached"). It prints medians, same-round ratios and each target with PASS or FAIL, and
writes results.json and results.md to --out (default: a new temporary directory).

The peer benchmark lives in a copy of shared/bench (read-only where it is found): --peer-bench
names the copy; if it has no run_peer.sh, the shared folder is copied there and its setup.sh
run (about a minute, with PyPI and Debian's registry).
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pages import ROOT, VENV_BIN, interrupt, manage, site_env

# The environment variable that turns the page cache off (0) for "uncached"; "cached" leaves
# the site's default. One name, so a change of setting is a change here alone.
PAGE_CACHE_ENV = "PAGE_CACHE_SECONDS"
PAGES = ("story", "campaign", "home", "listing")
FLOOR = {"static": "/static/story.html", "bare": "/bare/story/"}
# Issue 15's targets.
CACHED_SHARE_OF_BARE = 0.5  # cached req/s at least this share of the bare view's
CACHED_CPU_MS = 0.5  # cached server CPU ms per request under this
UNCACHED_SHARE_OF_WAGTAIL = 1 / 3  # uncached CPU ms per request at most this share of Wagtail's
QUERY_BUDGET = 6
BUSY_SHARE = 0.2  # other processes above this share of the cores: the run says so
RUNNER_SLACK_SECONDS = 120  # gunicorn start and stop per app, beyond the wrk time
KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")  # nothing else reaches the runner
# What bench/pages.py's site_env() sets for our site: passed to our gunicorn with --env.
SITE_ENV = (
    "DJANGO_SETTINGS_MODULE",
    "PYTHONPATH",
    "SECRET_KEY",
    "WITHHELD_NAMES_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "MEDIA_ROOT",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds per page")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per page")
    parser.add_argument(
        "--peer-bench", type=Path, default=Path(tempfile.gettempdir()) / "peer-bench"
    )
    parser.add_argument("--out", type=Path, help="results folder (default: a temporary one)")
    return parser.parse_args()


def shared_bench() -> Path:
    """shared/bench beside the project or any folder above it (CI lays shared/ beside it)."""
    for folder in ROOT.parents:
        if (folder / "shared" / "bench" / "run_peer.sh").exists():
            return folder / "shared" / "bench"
    sys.exit("error: no shared/bench found above the project; pass --peer-bench to a copy")


def ensure_peer_bench(folder: Path) -> None:
    """Copy shared/bench to ``folder`` and build it, unless a copy is there already."""
    if (folder / "run_peer.sh").exists():
        return
    print(f"copying {shared_bench()} to {folder} and running its setup.sh", flush=True)
    shutil.copytree(shared_bench(), folder)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)  # the shared folder is read-only
    done = subprocess.run(["./setup.sh"], cwd=folder, env=clean_env(), text=True)
    if done.returncode:
        sys.exit(f"error: {folder}/setup.sh failed ({done.returncode})")


def clean_env() -> dict:
    """The runner and the peers get no settings of ours (the peer reads DATABASE_URL too)."""
    return {name: os.environ[name] for name in KEPT_ENV if name in os.environ}


def build_site(env, scratch: Path) -> dict:
    """The scratch site of the peer's size; returns our pages' paths by name."""
    started = time.perf_counter()
    manage(env, "migrate", "--noinput")
    manage(env, "load_seeds")
    paths = json.loads(script(env, "content.py").splitlines()[-1])
    manage(env, "collectstatic", "--noinput")
    print(f"our site: 200 stories, 20 campaigns, 30 spokespeople in {scratch}", end="")
    print(f" ({time.perf_counter() - started:.0f} s)", flush=True)
    return paths


def script(env, name, *args) -> str:
    """Run bench/<name> in the scratch site's environment; its output, or exit with its error."""
    command = [VENV_BIN / "python", ROOT / "bench" / name, *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"bench/{name} failed:\n{done.stdout}{done.stderr[-3000:]}")
    return done.stdout


def wagtail_stats(peer: Path) -> dict:
    """The peer's paths, query counts and sizes (its own page_stats; rewrites the floor file)."""
    site = peer / "peers" / "wagtail_site"
    floor = peer / "peers" / "floor" / "static" / "story.html"
    command = [peer / ".venv-wagtail" / "bin" / "python", "manage.py", "page_stats", "--json"]
    command += ["--write-floor", str(floor)]
    done = subprocess.run(command, cwd=site, env=clean_env(), capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"error: the Wagtail peer's page_stats failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def our_queries(env, paths: dict, cache_seconds=None) -> dict:
    """Our pages' query counts and sizes in-process; with the page cache off if 0 is given."""
    if cache_seconds is not None:
        env = env | {PAGE_CACHE_ENV: str(cache_seconds)}
    found = json.loads(script(env, "page_queries.py", *paths.values()))
    return {name: found[path] for name, path in paths.items()}


def our_apps(env, paths: dict) -> dict:
    """Our two runs' runner arguments: the same site with the page cache off and on."""
    passed = {name: env[name] for name in SITE_ENV}
    common = ["--gunicorn", str(VENV_BIN / "gunicorn"), "--chdir", str(ROOT)]
    common += ["--wsgi", "advocacy.wsgi:application"]
    with_env = [f"--env={name}={value}" for name, value in sorted(passed.items())]
    return {
        "uncached": [*common, *with_env, f"--env={PAGE_CACHE_ENV}=0", *paths.values()],
        "cached": [*common, *with_env, *paths.values()],
    }


def peer_apps(wagtail: dict) -> dict:
    paths = [wagtail[name]["path"] for name in PAGES]
    return {
        "wagtail": ["--wsgi", "config.wsgi:application", "--chdir", "peers/wagtail_site", *paths],
        "floor": ["--wsgi", "floor_site.wsgi:application", "--chdir", "peers/floor"]
        + list(FLOOR.values()),
    }


def run_app(peer: Path, name: str, arguments: list, args, out: Path) -> list:
    """One app through the shared runner; its per-path results (the runner's JSON)."""
    results = out / f"raw-{name}-{time.strftime('%H%M%S')}.json"
    command = ["./run_peer.sh", "run", "--name", name, "--json", str(results)]
    command += ["--duration", str(args.duration), "--warmup", str(args.warmup), *arguments]
    paths = len([a for a in arguments if a.startswith("/")])
    timeout = paths * (args.duration + args.warmup + 40) + RUNNER_SLACK_SECONDS
    runner = subprocess.Popen(command, cwd=peer, env=clean_env(), stderr=subprocess.PIPE, text=True)
    try:
        _, errors = runner.communicate(timeout=timeout)
    finally:
        if runner.poll() is None:  # interrupted or timed out: the runner stops its gunicorn
            runner.send_signal(signal.SIGTERM)
            runner.wait(timeout=60)
    if runner.returncode:
        reason = [line for line in errors.splitlines() if "answered" in line or "Error" in line]
        sys.exit(f"error: the runner failed on {name}: {(reason or [errors[-2000:]])[-1]}")
    return json.loads(results.read_text())


def one_round(number: int, apps: dict, peer: Path, args, out: Path) -> dict:
    """Every app once, in an order that turns round each round; results by app and page."""
    order = list(apps) if number % 2 == 0 else list(reversed(apps))
    print(f"round {number + 1}/{args.rounds}: {' then '.join(order)}", flush=True)
    found = {}
    for name in order:
        results = run_app(peer, name, apps[name], args, out)
        names = FLOOR if name == "floor" else PAGES
        found[name] = dict(zip(names, results, strict=True))
    return found


def median(values):
    return statistics.median(values)


def summarise(rounds: list) -> dict:
    """Medians over rounds of each figure, and of each same-round ratio."""
    summary = {}
    for app, pages in rounds[0].items():
        for page in pages:
            runs = [found[app][page] for found in rounds]
            summary[f"{app} {page}"] = {
                "path": runs[0]["path"],
                "bytes": runs[0]["bytes"],
                "rps": median([run["rps"] for run in runs]),
                "cpu_ms": median([run["server_cpu_ms_per_req"] for run in runs]),
                "p50_ms": median([run["p50_ms"] for run in runs]),
                "errors": sum(run["non_2xx"] + sum(run["socket_errors"].values()) for run in runs),
                "other_cpu_s_max": max(run["other_cpu_s"] for run in runs),
            }
    for ours in ("uncached", "cached"):
        for page in PAGES:
            row = summary[f"{ours} {page}"]
            row["cpu_vs_wagtail"] = median([ratio_cpu(found, ours, page) for found in rounds])
            row["rps_vs_bare"] = median([ratio_rps(found, ours, page) for found in rounds])
    return summary


def ratio_cpu(found, ours, page):
    return (
        found[ours][page]["server_cpu_ms_per_req"] / found["wagtail"][page]["server_cpu_ms_per_req"]
    )


def ratio_rps(found, ours, page):
    return found[ours][page]["rps"] / found["floor"]["bare"]["rps"]


def verdicts(summary: dict, queries: dict) -> list:
    """(target, figure, PASS or FAIL) for each of issue 15's targets on each page."""
    checks = []
    for page in PAGES:
        cached, uncached = summary[f"cached {page}"], summary[f"uncached {page}"]
        wagtail = summary[f"wagtail {page}"]["cpu_ms"]
        counted = queries["uncached"][page]
        checks += [
            (
                f"cached {page}: req/s >= {CACHED_SHARE_OF_BARE}x bare view",
                f"{cached['rps_vs_bare']:.2f}x",
                cached["rps_vs_bare"] >= CACHED_SHARE_OF_BARE,
            ),
            (
                f"cached {page}: CPU < {CACHED_CPU_MS} ms/req",
                f"{cached['cpu_ms']:.2f} ms",
                cached["cpu_ms"] < CACHED_CPU_MS,
            ),
            (
                f"uncached {page}: CPU <= 1/3 of Wagtail's ({wagtail / 3:.2f} ms)",
                f"{uncached['cpu_ms']:.2f} ms ({uncached['cpu_vs_wagtail']:.2f}x)",
                uncached["cpu_vs_wagtail"] <= UNCACHED_SHARE_OF_WAGTAIL,
            ),
            (
                f"uncached {page}: at most {QUERY_BUDGET} queries",
                f"{counted['warm']} warm, {counted['cold']} cold",
                counted["warm"] <= QUERY_BUDGET,
            ),
        ]
    return [(target, figure, "PASS" if ok else "FAIL") for target, figure, ok in checks]


def table(summary: dict, queries: dict, wagtail: dict) -> list:
    lines = [
        "| page | path | bytes | queries warm/cold | req/s | CPU ms/req | ours ÷ Wagtail CPU "
        "| ours ÷ bare view req/s | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, row in summary.items():
        app, page = label.split()
        counts = queries.get(app, {}).get(page) or (
            {"warm": wagtail[page]["queries_warm"], "cold": wagtail[page]["queries_cold"]}
            if app == "wagtail"
            else {"warm": 0, "cold": 0}
        )
        versus_wagtail = f"{row['cpu_vs_wagtail']:.2f}" if "cpu_vs_wagtail" in row else ""
        versus_bare = f"{row['rps_vs_bare']:.3f}" if "rps_vs_bare" in row else ""
        lines.append(
            f"| {label} | {row['path'][:40]} | {row['bytes']} | {counts['warm']}/{counts['cold']} "
            f"| {row['rps']:.0f} | {row['cpu_ms']:.2f} | {versus_wagtail} | {versus_bare} "
            f"| {row['errors']} |"
        )
    return lines


def report(summary, queries, wagtail, checks, args) -> str:
    noise = max(row["other_cpu_s_max"] for row in summary.values())
    lines = [
        f"gunicorn 2 sync workers; wrk -t2 -c16 -d{args.duration}s after {args.warmup} s; "
        f"{args.rounds} round(s), medians; SQLite; production settings; "
        f"uncached = {PAGE_CACHE_ENV}=0, cached = the site's default.",
        "",
        *table(summary, queries, wagtail),
        "",
        "| target (issue 15) | figure | verdict |",
        "|---|---|---|",
        *(f"| {target} | {figure} | {verdict} |" for target, figure, verdict in checks),
        "",
        f"Noise: at most {noise:.1f} CPU-s of other processes in any {args.duration} s window "
        f"(the window offers {os.cpu_count()} x that).",
    ]
    if noise > BUSY_SHARE * args.duration * os.cpu_count():
        lines.append(
            "WARNING: other work took a large share of the cores during this run: the ratios "
            "within a round hold better than the absolute figures; run again on a quiet machine."
        )
    return "\n".join(lines) + "\n"


def benchmark(args, scratch: Path, out: Path) -> bool:
    ensure_peer_bench(args.peer_bench)
    env = site_env(scratch)
    paths = build_site(env, scratch)
    queries = {
        "uncached": our_queries(env, paths, cache_seconds=0),
        "cached": our_queries(env, paths),
    }
    wagtail = wagtail_stats(args.peer_bench)
    apps = peer_apps(wagtail) | our_apps(env, paths)
    rounds = [one_round(number, apps, args.peer_bench, args, out) for number in range(args.rounds)]
    summary = summarise(rounds)
    checks = verdicts(summary, queries)
    text = report(summary, queries, wagtail, checks, args)
    record = {"summary": summary, "queries": queries, "wagtail_stats": wagtail, "rounds": rounds}
    (out / "results.json").write_text(json.dumps(record | {"targets": checks}, indent=2))
    (out / "results.md").write_text(text)
    print("\n" + text)
    print(f"raw results: {out}")
    return all(verdict == "PASS" for _, _, verdict in checks)


def main():
    args = parse_args()
    # A plain kill (SIGTERM) unwinds like Ctrl-C, so the runner is stopped and stops gunicorn.
    signal.signal(signal.SIGTERM, interrupt)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-peers-results-"))
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-peers-"))
    started = time.perf_counter()
    try:
        passed = benchmark(args, scratch, out)
    except KeyboardInterrupt:
        print("\ninterrupted; servers stopped")
        sys.exit(130)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"total: {time.perf_counter() - started:.0f} s; every target met: {passed}")


if __name__ == "__main__":
    main()
