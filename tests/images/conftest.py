"""An S3 service for the media tests: moto in server mode, over HTTP on 127.0.0.1."""

import logging
import os
import uuid

import environ
import pytest

from advocacy.settings.media import media_storages
from tests.support.s3 import MediaBuckets, s3_client


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3, started once on a free port and stopped after the run.

    Skipped when moto cannot start here; in CI (CI=true) that fails instead.
    """
    try:
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
    except Exception as error:  # noqa: BLE001 - whatever stops it, say so
        if os.environ.get("CI") == "true":
            pytest.fail(f"moto's S3 server could not start: {error!r}")
        pytest.skip(
            f"moto's S3 server could not start, so the S3 media tests cannot run: {error!r}"
        )
    # One line per request from werkzeug would bury a failing test's own output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_media(settings, monkeypatch, s3_endpoint):
    """Media on two fresh buckets, configured as production reads the environment.

    The public bucket grants public-read per object, as on providers where objects are private
    unless their ACL says otherwise (moto refuses anonymous reads of any other object).
    """
    suffix = uuid.uuid4().hex[:12]
    buckets = MediaBuckets(
        endpoint=s3_endpoint, public=f"media-{suffix}", private=f"withdrawn-{suffix}"
    )
    environment = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": buckets.public,
        "AWS_WITHDRAWN_BUCKET_NAME": buckets.private,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "moto-test-key",
        "AWS_SECRET_ACCESS_KEY": "moto-test-secret",  # noqa: S105 - moto accepts any
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_S3_CUSTOM_DOMAIN": buckets.media_domain,
        "AWS_S3_URL_PROTOCOL": "http:",
        "AWS_DEFAULT_ACL": "public-read",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = s3_client(s3_endpoint)
    for name in (buckets.public, buckets.private):
        client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **media_storages(environ.Env(), cache_seconds=settings.PUBLIC_CACHE_SECONDS),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    yield buckets
    for name in (buckets.public, buckets.private):
        for key in buckets.keys(name):
            client.delete_object(Bucket=name, Key=key)
        client.delete_bucket(Bucket=name)
