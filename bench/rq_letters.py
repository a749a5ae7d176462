"""Letters per second that RQ workers (TASKS_BACKEND=rq) send, to Django's file mail backend.

    .venv/bin/python bench/rq_letters.py                       # 500 letters, 1 then 2 workers
    .venv/bin/python bench/rq_letters.py --letters 1000 --workers 1 2 4

Builds a scratch PostgreSQL database (bench_rq_<pid> on --postgres, trust auth; migrate) and
empties the Redis database --redis (13 by default: use one nothing else uses) before and after.
For each worker count: N confirmed letters are queued in Redis, then that many
`manage.py rqworker --burst --job-class django_tasks_rq.Job` processes (forking a work horse
per job, as deployed) drain the queue. Each letter is two mails: the letter to the member (the
test recipient) and the supporter's copy, written under a temporary EMAIL_FILE_PATH.

Figures: "letters/s" is letters over the sending window (first claim to last sent_at, from the
database), "with start-up" over the wall time from starting the workers to the last one
exiting (Django's start-up included). The check after each run is the correctness figure:
every letter sent, once (attempts == 1), and two mails per letter. The workers share the
cores with PostgreSQL, Redis and this script: read the rates against each other, on the same
machine, rather than as capacity.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from letters import scratch_database

ROOT = Path(__file__).resolve().parent.parent
OWN_WORDS = "My grandmother fled a war and strangers took her in; I pray for these refugees daily."


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument(
        "--worker-class",
        default="rq.worker.Worker",
        help="rq.worker.SimpleWorker runs each job in the worker itself, without forking",
    )
    return parser.parse_args()


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def queue_letters(count):
    """``count`` supporters' letters to one MP, confirmed: ``count`` jobs in Redis."""
    from campaigns.delivery.confirmation import new_token
    from campaigns.delivery.sending import letters_confirm
    from campaigns.letters.drafts import drafts_for
    from campaigns.letters.services import Supporter, Written, letters_create
    from campaigns.models import Letter
    from tests.support.campaign_factories import make_area, make_campaign, make_member, make_share

    area = make_area(name=f"Area {uuid.uuid4().hex[:8]}", code=uuid.uuid4().hex[:9])
    make_share(f"Z{uuid.uuid4().hex[:3].upper()}", area)
    member = make_member(area, name="Rachel Blake", email="rachel.blake.mp@example.org")
    # Unpaced (every hour, the highest rate): this measures the workers, not the pacing.
    campaign = make_campaign(
        slug=f"bench-{uuid.uuid4().hex[:8]}",
        min_personal_percent=10,
        letters_per_hour=500,
        office_opens=0,
        office_closes=24,
        send_at_weekends=True,
    )
    (draft,) = drafts_for(campaign, [member])
    written = [Written(draft=draft, subject=draft.subject, body=draft.body)]
    letters = []
    for n in range(count):
        supporter = Supporter(
            name=f"Supporter {n}",
            email=f"supporter{n}-{uuid.uuid4().hex[:6]}@example.org",
            address="1 High Street\nLondon",
            postcode="SW1A 0AA",
        )
        made, _ = letters_create(
            campaign=campaign,
            written=written,
            supporter=supporter,
            personal_paragraph=OWN_WORDS,
            delivery=Letter.Delivery.SEND_FOR_ME,
            key=uuid.uuid4().hex,
            confirmation_hash=new_token()[1],
        )
        letters.extend(made)
    letters_confirm(letters)
    return campaign


def drain(workers, env, worker_class):
    command = [sys.executable, "manage.py", "rqworker", "--burst", "--verbosity=0"]
    command += ["--job-class", "django_tasks_rq.Job", "--worker-class", worker_class]
    started = time.monotonic()
    processes = [
        subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})  # noqa: S603
        for _ in range(workers)
    ]
    try:
        for process in processes:
            if process.wait(timeout=3600) != 0:
                raise SystemExit(f"a worker exited with {process.returncode}")
    finally:
        for process in processes:
            process.kill()
    return time.monotonic() - started


def report(campaign, workers, wall, mail_dir, count):
    from django.db.models import Max, Min

    from campaigns.models import Letter

    letters = Letter.objects.filter(campaign=campaign)
    window = letters.aggregate(first=Min("claimed_at"), last=Max("sent_at"))
    seconds = (window["last"] - window["first"]).total_seconds()
    sent_once = letters.filter(state=Letter.State.SENT, attempts=1).count()
    # Django's file backend ends each message with a line of 79 dashes; two messages in the
    # same second may share a file.
    mails = sum(path.read_text().count("\n" + "-" * 79 + "\n") for path in Path(mail_dir).iterdir())
    print(
        f"{workers} worker(s): {count} letters in {seconds:.1f} s = {count / seconds:.0f} letters/s"
        f" ({count / wall:.0f}/s with start-up, {wall:.1f} s); sent once: {sent_once}/{count};"
        f" mails: {mails} (expected {2 * count})"
    )
    if sent_once != count or mails != 2 * count:
        raise SystemExit("not every letter was sent exactly once")


def main():
    args = parse_args()
    import redis

    queue = redis.Redis.from_url(args.redis)
    queue.flushdb()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores;", end=" ")
    print(f"{args.worker_class}")
    with (
        scratch_database(args.postgres, prefix="bench_rq") as database,
        tempfile.TemporaryDirectory() as mail,
    ):
        env = {
            "DJANGO_SETTINGS_MODULE": "advocacy.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": database,
            "TASKS_BACKEND": "rq",
            "REDIS_URL": args.redis,
            "LOG_LEVEL": "WARNING",
        }
        setup_django(env)
        try:
            for workers in args.workers:
                mail_dir = Path(mail) / f"workers-{workers}"
                mail_dir.mkdir()
                env["EMAIL_FILE_PATH"] = str(mail_dir)
                campaign = queue_letters(args.letters)
                wall = drain(workers, env, args.worker_class)
                report(campaign, workers, wall, mail_dir, args.letters)
        finally:
            queue.flushdb()


if __name__ == "__main__":
    main()
