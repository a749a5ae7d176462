"""A campaign's results page in the admin at growing numbers of letters: queries and time.

    .venv/bin/python bench/results_page.py 10 1000 10000 100000

Builds a throwaway database (a temporary SQLite file unless DATABASE_URL names another: it is
migrated and filled, so never point it at one you keep), one Commons campaign with 650 MPs,
letters spread over them and over a year, then requests the page five times for each count and
prints JSON: the queries (the same at every count: campaigns.results aggregates in the
database) and the median milliseconds.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/results-bench.sqlite3")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

REQUESTS = 5
START = datetime(2026, 1, 1, 9, tzinfo=UTC)


def setup():
    call_command("migrate", verbosity=0)
    call_command("import_representatives", verbosity=0)
    from campaigns.models import Campaign, Parliament
    from campaigns.models.parliaments import COMMONS

    campaign = Campaign.objects.create(title="Bench", slug="bench", goal=1000)
    campaign.target_parliaments.add(Parliament.objects.get(slug=COMMONS))
    user = get_user_model().objects.create_superuser("bench", "bench@example.org")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return campaign, client


def add_letters(campaign, start, count):
    from campaigns.models import Letter, Representative

    members = list(
        Representative.objects.current()
        .filter(area__parliament__slug="house-of-commons")
        .select_related("area")
    )
    replies = ["", Letter.Reply.YES, Letter.Reply.NO, Letter.Reply.NOT_YET]
    batch = []
    for n in range(start, start + count):
        member = members[(n * 7) % len(members)]
        letter = Letter(
            campaign=campaign,
            parliament_id=member.area.parliament_id,
            representative=member,
            recipient_name=member.name,
            recipient_title="MP",
            constituency=member.area.name,
            area_code=member.area.code,
            variant="ask",
            subject="Bench",
            body="Please act.",
            personal_percent=30,
            supporter_name="Bench",
            supporter_email=f"b{n}@example.org",
            email_key=f"b{n}@example.org",
            supporter_address="1 Street",
            supporter_postcode="LS1 1AA",
            delivery=Letter.Delivery.EMAIL_APP,
            source=("church", "youth", "")[n % 3],
            reply=replies[n % 4],
            reference=f"B{n:08d}",
            idempotency_key=f"b-{n}",
        )
        letter.created_at = START + timedelta(minutes=(n * 37) % (365 * 24 * 60))
        batch.append(letter)
    Letter.objects.bulk_create(batch, batch_size=2000)


def measure(client, url):
    times, queries = [], []
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
        queries.append(len(captured))
    return {"queries": queries[-1], "median_ms": round(statistics.median(times), 1)}


def main():
    campaign, client = setup()
    url = reverse("admin:campaigns_campaign_results", args=[campaign.pk])
    figures, have = {}, 0
    for count in sorted(int(arg) for arg in sys.argv[1:] or ["10", "1000", "10000"]):
        add_letters(campaign, have, count - have)
        have = count
        figures[count] = measure(client, url)
    print(json.dumps({"database": connection.vendor, "letters": figures}))


if __name__ == "__main__":
    main()
