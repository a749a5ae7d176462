"""Media storage is chosen by the environment: a folder by default, two buckets on S3."""

import json

import pytest

from tests.support.processes import run

S3_ENV = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "advocacy-media",
    "AWS_WITHDRAWN_BUCKET_NAME": "advocacy-withdrawn",
    "AWS_S3_CUSTOM_DOMAIN": "media.advocacy.example.org",
    "AWS_S3_REGION_NAME": "eu-west-2",
}
PRINT_MEDIA = (
    "import json, django; django.setup(); from django.conf import settings; "
    "from django.core.files.storage import storages; "
    "print(json.dumps({'backends': {k: v['BACKEND'] for k, v in settings.STORAGES.items()}, "
    "'img_src': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
    "'url': storages['default'].url('renditions/0a1b-480.webp'), "
    "'withdrawn_url': 'withdrawn' in settings.STORAGES "
    "and storages['withdrawn'].url('stories/0a1b.jpg')}))"
)
S3 = "storages.backends.s3.S3Storage"


def media_settings(settings_module, **environment):
    result = run(["-c", PRINT_MEDIA], settings_module, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_media_stay_on_the_file_system_with_no_environment():
    media = media_settings("advocacy.settings.dev")

    assert media["backends"]["default"] == "django.core.files.storage.FileSystemStorage"
    assert "withdrawn" not in media["backends"]
    assert media["img_src"] == ["'self'", "data:"]


@pytest.mark.parametrize("choice", [{"MEDIA_STORAGE": "s3"}, {"MEDIA_STORAGE": ""}])
def test_production_serves_media_from_the_public_bucket_on_its_own_domain(production_env, choice):
    """A bucket name alone chooses S3; URLs are plain (no signature) on the media domain."""
    environment = {**production_env, **S3_ENV, **choice}
    environment = {name: value for name, value in environment.items() if value}

    media = media_settings("advocacy.settings.production", **environment)

    assert media["backends"]["default"] == media["backends"]["withdrawn"] == S3
    assert media["backends"]["staticfiles"].startswith("whitenoise.")
    assert media["url"] == "https://media.advocacy.example.org/renditions/0a1b-480.webp"
    assert media["img_src"] == ["'self'", "data:", "https://media.advocacy.example.org"]


def test_the_withdrawn_bucket_gives_no_signed_or_media_domain_address(production_env):
    media = media_settings("advocacy.settings.production", **production_env, **S3_ENV)

    url = media["withdrawn_url"]
    assert "advocacy-withdrawn" in url and "media.advocacy.example.org" not in url
    assert "Signature" not in url and "X-Amz" not in url


@pytest.mark.parametrize(
    "change, message",
    [
        ({"AWS_WITHDRAWN_BUCKET_NAME": ""}, "needs the environment variable AWS_WITHDRAWN_BUCKET"),
        ({"AWS_S3_CUSTOM_DOMAIN": ""}, "needs the environment variable AWS_S3_CUSTOM_DOMAIN"),
        ({"AWS_WITHDRAWN_BUCKET_NAME": "advocacy-media"}, "not the public media bucket"),
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be s3 or filesystem"),
    ],
)
def test_s3_refuses_to_start_without_a_separate_private_bucket_and_a_media_domain(
    production_env, change, message
):
    environment = {**production_env, **S3_ENV, **change}

    result = run(["-c", PRINT_MEDIA], "advocacy.settings.production", **environment)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
