"""The two media buckets of a test, read as the outside world reads them."""

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

import boto3
from botocore.config import Config


def s3_client(endpoint: str):
    """A boto3 client of moto's S3 (any key is accepted), giving up after 5 s."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="moto-test-key",
        aws_secret_access_key="moto-test-secret",  # noqa: S106 - moto accepts any
        config=Config(connect_timeout=5, read_timeout=5, s3={"addressing_style": "path"}),
    )


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    cache_control: str
    body: bytes


def fetch(url: str) -> Answer:
    """GET url as a browser would, with no credentials."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - http to moto
            headers = response.headers
            body, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        headers, body, status = error.headers, error.read(), error.code
    return Answer(status, headers.get("Content-Type", ""), headers.get("Cache-Control", ""), body)


@dataclass(frozen=True)
class MediaBuckets:
    endpoint: str
    public: str
    private: str

    @property
    def media_domain(self) -> str:
        """The media "domain" pages name: moto's host and the bucket's path."""
        return f"{urlsplit(self.endpoint).netloc}/{self.public}"

    @property
    def media_url(self) -> str:
        return f"http://{self.media_domain}/"

    def keys(self, bucket: str) -> list[str]:
        """Every object's name in the bucket, listed through the S3 API."""
        pages = s3_client(self.endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(each["Key"] for page in pages for each in page.get("Contents", []))

    def public_keys(self) -> list[str]:
        return self.keys(self.public)

    def private_keys(self) -> list[str]:
        return self.keys(self.private)
