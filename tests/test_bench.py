"""The benchmark scripts' own logic: the peer-sized content they build and how they judge.

bench/ holds scripts, not a package: they are loaded from their files here, as they import
one another by file name (bench/peers.py imports bench/pages.py).
"""

import importlib
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from stories.models import Spokesperson, Story

BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_script(name):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(name)


@pytest.fixture
def peer_sized(db):
    call_command("load_seeds", stdout=StringIO())
    return bench_script("content").seed()


def test_content_tops_the_seeds_up_to_the_peer_size(peer_sized):
    assert Story.objects.published().count() == 200
    assert Story.objects.exclude(hero_image="").count() >= 200 // 3
    assert Campaign.objects.published().count() == 20
    assert Spokesperson.objects.count() == 30
    assert Spokesperson.objects.filter(name_changed=True).count() == 15


def test_the_benchmarked_story_has_what_the_peer_story_has(peer_sized):
    story = Story.objects.published().first()

    assert peer_sized["story"] == story.get_absolute_url()
    assert story.hero_image
    assert story.spokespeople.filter(name_changed=True).exists()
    assert story.pull_quotes.count() >= 2
    assert story.prayer_request.points.count() >= 3
    assert Campaign.objects.published().first().stories.filter(pk=story.pk).exists()


def test_every_benchmarked_page_answers(peer_sized, client):
    for path in peer_sized.values():
        assert client.get(path).status_code == 200, path


def runner_result(path, rps, cpu_ms):
    """One path as the shared runner's JSON reports it."""
    return {
        "path": path,
        "bytes": 7000,
        "rps": rps,
        "server_cpu_ms_per_req": cpu_ms,
        "p50_ms": 10.0,
        "non_2xx": 0,
        "socket_errors": {},
        "other_cpu_s": 0.0,
    }


def one_round(uncached_cpu, cached_rps, cached_cpu):
    """A round where Wagtail costs 12 ms a page and the bare view serves 1,000 a second."""
    pages = ("story", "campaign", "home", "listing")
    return {
        "wagtail": {page: runner_result(f"/{page}/", 80, 12.0) for page in pages},
        "floor": {
            "static": runner_result("/static/story.html", 1500, 0.2),
            "bare": runner_result("/bare/story/", 1000, 0.3),
        },
        "uncached": {page: runner_result(f"/{page}/", 200, uncached_cpu) for page in pages},
        "cached": {page: runner_result(f"/{page}/", cached_rps, cached_cpu) for page in pages},
    }


def query_counts(warm):
    pages = ("story", "campaign", "home", "listing")
    counts = {page: {"warm": warm, "cold": warm + 1} for page in pages}
    return {"uncached": counts, "cached": counts}


def verdicts(rounds, warm_queries=6):
    peers = bench_script("peers")
    checks = peers.verdicts(peers.summarise(rounds), query_counts(warm_queries))
    return {target: verdict for target, _, verdict in checks}


def test_targets_pass_when_each_page_is_within_them():
    found = verdicts([one_round(3.9, 600, 0.4), one_round(3.9, 500, 0.45)])

    assert set(found.values()) == {"PASS"}
    assert len(found) == 16  # four targets for each of four pages


def test_cached_pages_fail_below_half_the_bare_view_or_at_half_a_millisecond():
    slow = verdicts([one_round(3.9, 400, 0.4)])
    costly = verdicts([one_round(3.9, 600, 0.5)])

    assert slow["cached story: req/s >= 0.5x bare view"] == "FAIL"
    assert costly["cached story: CPU < 0.5 ms/req"] == "FAIL"


def test_uncached_pages_fail_above_a_third_of_wagtails_cpu():
    found = verdicts([one_round(4.1, 600, 0.4)])

    assert found["uncached home: CPU <= 1/3 of Wagtail's (4.00 ms)"] == "FAIL"


def test_pages_fail_past_six_queries():
    found = verdicts([one_round(3.9, 600, 0.4)], warm_queries=7)

    assert found["uncached listing: at most 6 queries"] == "FAIL"
