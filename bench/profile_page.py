"""Where an uncached page's time goes: each page rendered in-process through the WSGI handler.

    .venv/bin/python bench/profile_page.py                    # a scratch site, 200 requests a page
    .venv/bin/python bench/profile_page.py --profile story    # cProfile's top costs for one page
    .venv/bin/python bench/profile_page.py --site /tmp/site   # build once, keep, reuse
    .venv/bin/python bench/profile_page.py --calls            # Python calls a request

Builds (or reuses, with --site) the scratch site bench/peers.py measures: production settings,
SQLite, 200 stories, collected static files; the page cache off. Then each page is requested
through Django's WSGI handler, as gunicorn calls it, by a client with no cookies, and the CPU
ms a request is printed beside how much of it went to SQL (executing and reading rows) and to
templates (every Template.render, Django's or Jinja2's, nested ones counted once; a query a
template runs lazily is built there, so its ORM work counts as templates). No network, no
server: figures are lower than gunicorn's, but changes show in them within a few seconds.

On a shared machine CPU ms swing by a third from run to run; ``--calls`` prints the Python
function calls a request instead, the same on every run, to compare two versions of the code.
"""

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PAGES = ("story", "campaign", "home", "listing")
PATHS_FILE = "paths.json"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="scratch site folder (built if empty)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests a page")
    parser.add_argument("--profile", choices=PAGES, help="print cProfile's top costs of a page")
    parser.add_argument(
        "--calls", action="store_true", help="Python calls a request: steady under load"
    )
    parser.add_argument("--top", type=int, default=35, help="rows of the profile")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    parser.add_argument(
        "--settings", help="a settings module in the site folder instead of the benchmark's"
    )
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=PAGES)
    return parser.parse_args()


def site_environment(folder: Path) -> dict:
    """Build the scratch site in ``folder`` unless it is there; its environment."""
    sys.path.insert(0, str(ROOT / "bench"))
    from pages import manage, site_env

    env = site_env(folder)
    keys = folder / "keys.json"  # the site's keys, so a reused site reads its own names
    if keys.exists():
        env.update(json.loads(keys.read_text()))
    if not (folder / PATHS_FILE).exists():
        keys.write_text(json.dumps({n: env[n] for n in ("SECRET_KEY", "WITHHELD_NAMES_KEY")}))
        manage(env, "migrate", "--noinput")
        manage(env, "load_seeds")
        command = [VENV_PYTHON, ROOT / "bench" / "content.py"]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"bench/content.py failed:\n{done.stderr[-3000:]}")
        (folder / PATHS_FILE).write_text(done.stdout.splitlines()[-1])
        manage(env, "collectstatic", "--noinput")
    return env | {"PAGE_CACHE_SECONDS": "0"}


class Phases:
    """CPU seconds inside SQL and inside templates, counted once however deeply nested."""

    def __init__(self):
        self.sql = self.templates = 0.0
        self._depth = 0

    def sql_wrapper(self, execute, sql, params, many, context):
        started = time.process_time()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.process_time() - started
            self.sql += spent
            if self._depth:  # a lazy query run by a template: SQL, not template work
                self.templates -= spent

    def wrap_templates(self):
        """Time Django's templates and the Jinja2 ones the public pages use."""
        from django.template.backends.jinja2 import Template as JinjaTemplate
        from django.template.base import Template

        for template_class in (Template, JinjaTemplate):
            template_class.render = self._timed(template_class.render)

    def _timed(self, render):
        phases = self

        def timed_render(template, *args, **kwargs):
            phases._depth += 1
            started = time.process_time()
            try:
                return render(template, *args, **kwargs)
            finally:
                phases._depth -= 1
                if not phases._depth:
                    phases.templates += time.process_time() - started

        return timed_render


def request(handler, path: str) -> int:
    """One GET of ``path`` through the WSGI handler, its body read; the status code."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": StringIO(),
        "wsgi.errors": sys.stderr,
    }
    status = []
    body = handler(environ, lambda code, headers, *_: status.append(code))
    b"".join(body)
    body.close()
    return int(status[0].split()[0])


def measure(handler, phases, path: str, count: int) -> dict:
    for _ in range(5):  # warm: first-use imports, template compilation, static manifest
        if request(handler, path) != 200:
            sys.exit(f"error: {path} did not answer 200")
    phases.sql = phases.templates = 0.0
    started = time.process_time()
    for _ in range(count):
        request(handler, path)
    total = time.process_time() - started
    per = 1000 / count
    return {
        "cpu_ms": total * per,
        "sql_ms": phases.sql * per,
        "templates_ms": phases.templates * per,
    }


def profiled(handler, path: str, count: int) -> cProfile.Profile:
    """``count`` requests for the path under cProfile, after five to warm up."""
    for _ in range(5):
        request(handler, path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        request(handler, path)
    profiler.disable()
    return profiler


def profile(handler, path: str, count: int, sort: str, top: int) -> None:
    pstats.Stats(profiled(handler, path, count)).sort_stats(sort).print_stats(top)


def calls(handler, path: str, count: int) -> float:
    """Python function calls a request (cProfile's count): no timing, so no noise."""
    return pstats.Stats(profiled(handler, path, count)).total_calls / count


def main():
    args = parse_args()
    folder = args.site or Path(tempfile.mkdtemp(prefix="profile-page-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.update(site_environment(folder))
    if args.settings:
        os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    sys.path[:0] = [str(folder), str(ROOT)]
    paths = json.loads((folder / PATHS_FILE).read_text())

    import django
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    django.setup()
    handler, phases = WSGIHandler(), Phases()
    if args.profile:
        profile(handler, paths[args.profile], args.requests, args.sort, args.top)
        return
    if args.calls:
        print("| page | Python calls a request |\n|---|---:|")
        for name in args.pages:
            print(f"| {name} | {calls(handler, paths[name], min(args.requests, 20)):,.0f} |")
        return
    phases.wrap_templates()
    with connection.execute_wrapper(phases.sql_wrapper):
        print(f"{args.requests} requests a page, in-process, CPU ms a request")
        print("| page | total | SQL | templates | rest |\n|---|---:|---:|---:|---:|")
        for name in args.pages:
            found = measure(handler, phases, paths[name], args.requests)
            rest = found["cpu_ms"] - found["sql_ms"] - found["templates_ms"]
            print(
                f"| {name} | {found['cpu_ms']:.2f} | {found['sql_ms']:.2f} "
                f"| {found['templates_ms']:.2f} | {rest:.2f} |"
            )


if __name__ == "__main__":
    main()
