"""With REDIS_URL set the cache is Redis, shared by every process: rate limits hold across them.

Runs against the Redis on 127.0.0.1:6379 (CI starts one); elsewhere it is skipped, except in
CI, where a missing Redis is a failure.
"""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from campaigns.delivery.limits import LIMITS, count_submission

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")  # a database of its own


def redis_answers():
    try:
        return RedisCache(REDIS_URL, {}).get("ping", "pong") == "pong"
    except Exception:  # noqa: BLE001 - any failure means there is no Redis to test against
        return False


if not redis_answers():
    if os.environ.get("CI"):
        pytest.fail(f"CI needs Redis at {REDIS_URL}", pytrace=False)
    pytest.skip(f"no Redis at {REDIS_URL}", allow_module_level=True)


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    return caches["default"]


def in_another_process(code):
    """Run Python in a fresh process with the dev settings and REDIS_URL; its stdout."""
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "advocacy.settings.dev",
        "SECRET_KEY": settings.SECRET_KEY,  # app servers share it, and with it the cache keys
    }
    program = f"import django; django.setup(); {code}"
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_settings_choose_redis_when_redis_url_is_set():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    assert in_another_process(code) == "django.core.cache.backends.redis.RedisCache"


def test_rate_limits_hold_across_processes_sharing_redis(redis_cache):
    run = uuid.uuid4().hex  # Redis outlives the run: counts from earlier or parallel runs stay
    email = f"{run}@example.org"
    burst = next(limit for limit in LIMITS if limit.kind == "address")
    for number in range(burst.most):
        assert count_submission(network=f"{run}-{number}", email_key=email) == ""
    # Another app server, with its own connection to the same Redis, sees the same count.
    code = (
        "from campaigns.delivery.limits import count_submission; "
        f"print(count_submission(network='{run}-other', email_key='{email}'))"
    )
    assert "from one email address" in in_another_process(code)


@pytest.mark.django_db
def test_the_health_check_uses_redis(client, redis_cache):
    assert client.get("/healthz").status_code == 200
