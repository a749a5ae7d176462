"""Where uploaded pictures live: a folder by default, or two S3-compatible buckets.

``MEDIA_STORAGE=s3`` (the default once ``AWS_STORAGE_BUCKET_NAME`` is set) serves pictures from
a public bucket on its own domain and keeps the pictures of items taken down in a second,
private bucket that no URL of ours names (images/withdrawal.py). docs/deploy.md says how to
set up both.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3 = "storages.backends.s3.S3Storage"


def media_storage_kind(env: environ.Env) -> str:
    """ "s3" or "filesystem"; a bucket name alone is enough to choose s3."""
    default = "s3" if env("AWS_STORAGE_BUCKET_NAME", default="") else "filesystem"
    kind = env("MEDIA_STORAGE", default=default)
    if kind not in ("s3", "filesystem"):
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be s3 or filesystem, not {kind!r}.")
    return kind


def media_storages(env: environ.Env, *, cache_seconds: int) -> dict:
    """``STORAGES["default"]`` and, on S3, ``STORAGES["withdrawn"]``.

    On the file system the withdrawn pictures go to ``WITHDRAWN_MEDIA_ROOT`` instead.
    """
    if media_storage_kind(env) == "filesystem":
        return {"default": FILE_SYSTEM}
    public, private = _bucket_names(env)
    connection = _connection_options(env)
    return {
        "default": {
            "BACKEND": S3,
            "OPTIONS": {
                **connection,
                "bucket_name": public,
                # Plain URLs on the media domain, built without a call to S3 or a signature.
                "custom_domain": _media_domain(env),
                "url_protocol": env("AWS_S3_URL_PROTOCOL", default="https:"),
                "querystring_auth": False,
                # None: the bucket's policy makes it readable (AWS with ACLs disabled). Set
                # public-read where objects are private unless their ACL says otherwise.
                "default_acl": env("AWS_DEFAULT_ACL", default="") or None,
                # Names are random and never reused, but a picture taken down must leave a CDN
                # as soon as the pages that showed it do.
                "object_parameters": {"CacheControl": f"public, max-age={cache_seconds}"},
            },
        },
        "withdrawn": {
            "BACKEND": S3,
            "OPTIONS": {
                **connection,
                "bucket_name": private,
                # No ACL, no media domain and no signed URLs: url() gives an address the
                # private bucket refuses, so no link of ours can reach a withdrawn picture.
                "custom_domain": None,
                "querystring_auth": False,
                "default_acl": None,
                "object_parameters": {"CacheControl": "private, no-store"},
            },
        },
    }


def media_origin(storages: dict) -> str | None:
    """The scheme and host pictures are served from, for the CSP's img-src; None if ours."""
    options = storages["default"].get("OPTIONS", {})
    if not options.get("custom_domain"):
        return None
    host = options["custom_domain"].split("/", 1)[0]
    return f"{options['url_protocol']}//{host}"


def _bucket_names(env: environ.Env) -> tuple[str, str]:
    public = env("AWS_STORAGE_BUCKET_NAME", default="") or _required("AWS_STORAGE_BUCKET_NAME")
    private = env("AWS_WITHDRAWN_BUCKET_NAME", default="") or _required("AWS_WITHDRAWN_BUCKET_NAME")
    if private == public:
        raise ImproperlyConfigured(
            "AWS_WITHDRAWN_BUCKET_NAME must name a private bucket, not the public media bucket."
        )
    return public, private


def _media_domain(env: environ.Env) -> str:
    """The host (and path, for a path-style endpoint) pictures are served from."""
    return env("AWS_S3_CUSTOM_DOMAIN", default="") or _required("AWS_S3_CUSTOM_DOMAIN")


def _connection_options(env: environ.Env) -> dict:
    """What both buckets share: where S3 is, who we are, and how long a call may take."""
    from botocore.config import Config  # only when S3 is chosen

    timeout = env.float("AWS_S3_TIMEOUT", default=5.0)
    return {
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        # None: boto3 finds them itself (an instance role, ~/.aws, the AWS_* variables).
        "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
        # A picture is never written over: a name taken gets another (renditions.py keeps one).
        "file_overwrite": False,
        "client_config": Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"max_attempts": 3, "mode": "standard"},
            s3={"addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="auto")},
        ),
    }


def _required(name: str):
    raise ImproperlyConfigured(f"MEDIA_STORAGE=s3 needs the environment variable {name}.")
