"""The Redis the page cache's tests use: a database of their own, skipped where Redis is not
running, except in CI (``CI=true``), where a missing Redis fails them."""

import os

import pytest
from django.core.cache.backends.redis import RedisCache

PAGES_REDIS_URL = os.environ.get("TEST_PAGES_REDIS_URL", "redis://127.0.0.1:6379/11")
IN_CI = os.environ.get("CI", "").lower() in {"true", "1"}


def redis_answers(url: str = PAGES_REDIS_URL) -> bool:
    try:
        return RedisCache(url, {}).get("ping", "pong") == "pong"
    except Exception:  # noqa: BLE001 - any failure means there is no Redis to test against
        return False


def redis_or_skip(url: str = PAGES_REDIS_URL) -> None:
    if redis_answers(url):
        return
    if IN_CI:
        pytest.fail(f"CI needs Redis at {url}", pytrace=False)
    pytest.skip(f"no Redis at {url}: start one (redis-server) to run this test")
