"""Redis down is not the site down: limits fall back to each process, and nothing waits long.

Two kinds of outage: nothing listens on the port (connections refused at once), and a server
that accepts connections and never answers (each call waits for the socket timeout).
"""

import socket
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from campaigns.letters import open_campaigns
from campaigns.models import BookletOrder
from campaigns.views.booklets import BOOKLET_POST_LIMIT
from core import abuse, ratelimits
from core.publishing import Status
from core.workflow import item_transition
from staff import throttle
from tests.support.booklets import order_form
from tests.support.campaign_factories import make_area, make_campaign, make_member, make_share
from tests.support.factories import make_prayer_request, make_story
from tests.support.redis_servers import SilentRedis
from tests.support.workflow import member_of

pytestmark = pytest.mark.django_db

PASSWORD = "editor-password"
ATTACKER = "203.0.113.66"
QUICK = 1.5  # seconds: well under the 5 s a request waited before


def use_redis_at(settings, url):
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": settings.REDIS_OPTIONS,  # as production has them
    }
    settings.CACHES = {"default": redis, "pages": {**redis, "KEY_PREFIX": "pages"}}


@pytest.fixture(autouse=True)
def fresh_fallback(settings):
    """Each test starts with the shared cache trusted and an empty fallback."""
    ratelimits._shared_failed_at = None
    ratelimits._fallback.clear()
    yield
    ratelimits._shared_failed_at = None
    ratelimits._fallback.clear()
    caches["default"].close()
    caches["pages"].close()


@pytest.fixture(params=["refused", "silent"])
def redis_down(request, settings):
    if request.param == "refused":
        with socket.create_server(("127.0.0.1", 0)) as closed:
            port = closed.getsockname()[1]  # free now, and nothing listens after this
        use_redis_at(settings, f"redis://127.0.0.1:{port}/0")
        yield request.param
        return
    silent = SilentRedis()
    use_redis_at(settings, f"redis://127.0.0.1:{silent.port}/0")
    yield request.param
    silent.stop()


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def log_in(client, address, password=PASSWORD):
    data = {"username": "editor", "password": password, "next": "/admin/"}
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=address)


def test_i_prayed_still_counts_and_answers_quickly(client, redis_down):
    prayer = make_prayer_request(status=Status.PUBLISHED)
    url = reverse("stories:prayed", args=[prayer.slug])

    first, first_took = timed(lambda: client.post(url))
    second, second_took = timed(lambda: client.post(url))

    assert (first.status_code, second.status_code) == (302, 302)
    assert first_took < QUICK
    assert second_took < 0.5  # the shared cache is left alone after it failed
    prayer.refresh_from_db()
    assert prayer.prayed_count == 2


def test_public_limits_still_hold_in_each_process(client, redis_down):
    prayer = make_prayer_request(status=Status.PUBLISHED)
    url = reverse("stories:prayed", args=[prayer.slug])

    answers = [client.post(url).status_code for _ in range(abuse.PRAYED_LIMIT.most + 1)]

    assert answers[:-1] == [302] * abuse.PRAYED_LIMIT.most
    assert answers[-1] == 429


@pytest.mark.parametrize("kept", [False, True], ids=["loaded", "kept"])
def test_a_letter_is_still_written(client, redis_down, settings, kept, caplog):
    # Kept campaigns (production's default) read the content version, in Redis here: down,
    # they are loaded from the database instead, with one warning and one wait at most.
    settings.LETTER_CAMPAIGNS_KEPT = kept
    open_campaigns._kept.clear()
    open_campaigns._failed_at = None
    area = make_area(name="Cities of London and Westminster", code="E14001172")
    make_share("SW1A 0", area)
    mp = make_member(area, name="Rachel Blake", email="rachel.blake.mp@example.org")
    campaign = make_campaign(slug="stop-forced-returns")
    url = f"{reverse('campaigns:compose', args=[campaign.slug])}?postcode=SW1A+0AA&member={mp.pk}"
    page = client.get(url)
    key = page.content.decode().split('name="key" value="', 1)[1].split('"', 1)[0]
    data = {
        "key": key,
        "answer_1": "My grandmother fled a war, and strangers took her in.",
        "name": "Jane Doe",
        "email": "jane@example.org",
        "address": "1 High Street\nLondon",
        "subject_1": "Refugees",
        "body_1": "Dear Rachel Blake,\n\n{personal_paragraph}\n\n{supporter_name}",
        "delivery": "email_app",
    }

    with caplog.at_level("WARNING", logger=open_campaigns.__name__):
        response, took = timed(lambda: client.post(url, data))
        again, again_took = timed(lambda: client.post(url, data))

    assert response.status_code == 302, response.content[:500]
    assert took < QUICK
    assert again["Location"] == response["Location"]
    assert again_took < 0.5  # nothing waits for Redis any more
    warnings = [r for r in caplog.records if r.name == open_campaigns.__name__]
    assert len(warnings) == (1 if kept else 0)
    open_campaigns._failed_at = None


def test_a_booklet_is_still_ordered_and_floods_still_refused(client, redis_down):
    url = reverse("campaigns:booklet")
    response, took = timed(lambda: client.post(url, order_form()))

    assert response.status_code == 302, response.content[:500]
    assert took < QUICK
    assert BookletOrder.objects.count() == 1
    answers = [client.post(url, order_form()).status_code for _ in range(BOOKLET_POST_LIMIT.most)]
    assert answers[-1] == 429


def test_staff_log_in_while_redis_is_down(client, staff_user, redis_down):
    response, took = timed(lambda: log_in(client, "192.0.2.10"))

    assert response.status_code == 302
    assert took < QUICK


def test_the_address_under_attack_is_still_refused_and_others_are_not(staff_user, redis_down):
    for _ in range(throttle.FAILURES_PER_USER_AND_ADDRESS):
        log_in(Client(), ATTACKER, password="guess")

    refused = log_in(Client(), ATTACKER)  # even the right password
    elsewhere = log_in(Client(), "192.0.2.10")

    assert "Too many failed attempts" in refused.text
    assert elsewhere.status_code == 302


def test_the_home_page_does_not_wait_for_redis(client, redis_down):
    response, took = timed(lambda: client.get("/"))

    assert response.status_code == 200
    assert took < QUICK


def test_the_health_check_says_the_cache_is_down_quickly(client, redis_down):
    response, took = timed(lambda: client.get("/healthz"))

    assert response.status_code == 503
    assert took < QUICK


def test_an_outage_is_logged_once_as_a_warning(client, redis_down, caplog):
    prayer = make_prayer_request(status=Status.PUBLISHED)
    url = reverse("stories:prayed", args=[prayer.slug])

    with caplog.at_level("WARNING", logger="core.ratelimits"):
        client.post(url)
        client.post(url)

    warnings = [record for record in caplog.records if record.name == "core.ratelimits"]
    assert len(warnings) == 1
    assert "rate limits count in this process" in warnings[0].getMessage()


def test_the_shared_cache_is_tried_again_after_the_fallback_period(client, redis_down):
    prayer = make_prayer_request(status=Status.PUBLISHED)
    client.post(reverse("stories:prayed", args=[prayer.slug]))
    assert ratelimits._counting_cache() is ratelimits._fallback

    ratelimits._shared_failed_at -= ratelimits.FALLBACK_SECONDS

    assert ratelimits._counting_cache() is ratelimits.shared_cache


def test_public_pages_are_made_fresh_while_the_page_cache_is_down(client, redis_down, settings):
    settings.PAGE_CACHE_SECONDS = 60
    story = make_story(title="Shelter on the long road south")

    first, first_took = timed(lambda: client.get(story.get_absolute_url()))
    second, second_took = timed(lambda: client.get(story.get_absolute_url()))

    assert (first.status_code, second.status_code) == (200, 200)
    assert "Shelter on the long road south" in second.text
    assert first_took < QUICK
    assert second_took < 0.5  # the page cache stepped aside after it failed


def test_a_take_down_while_the_page_cache_is_down_still_takes_the_page_down(
    client, redis_down, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    story = make_story(title="Church raided at dawn")
    client.get(story.get_absolute_url())

    item_transition(story, step="take_down", by=member_of("Editors", "writer"))

    assert client.get(story.get_absolute_url()).status_code == 410


def test_an_outage_of_the_page_cache_is_logged_as_a_warning(client, redis_down, settings, caplog):
    settings.PAGE_CACHE_SECONDS = 60

    with caplog.at_level("WARNING", logger="advocacy.page_cache"):
        client.get("/")
        client.get("/")

    warnings = [record for record in caplog.records if record.name == "advocacy.page_cache"]
    assert len(warnings) == 1
    assert "pages are made fresh" in warnings[0].getMessage()
