"""Response headers of public pages: caching for anonymous readers, and the CSP."""

import base64
import hashlib

import pytest

from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
    make_watch_list,
)
from tests.support.html import content, select

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls():
    country = make_country()
    make_watch_list(2025, 3, countries=[country, make_country(), make_country()])
    person = make_spokesperson()
    story = make_story(countries=[country], spokespeople=[person])
    return {
        "home": "/",
        "story list": "/stories/",
        "story": story.get_absolute_url(),
        "spokesperson": person.get_absolute_url(),
        "prayer list": "/pray/",
        "watch list": "/world-watch-list/",
        "country": country.get_absolute_url(),
    }


def test_anonymous_pages_are_publicly_cacheable_and_script_free(client, public_urls):
    for name, url in public_urls.items():
        response = client.get(url)

        assert response.status_code == 200, name
        assert "public" in response["Cache-Control"], name
        assert "max-age=300" in response["Cache-Control"], name
        assert "Cookie" in response["Vary"], name
        # No script that runs: the only <script> elements are JSON-LD data blocks, inline.
        scripts = select(content(response), "script")
        assert all(s.get("type") == "application/ld+json" for s in scripts), name
        assert not any(s.get("src") for s in scripts), name
        assert not response.cookies, name


def test_the_prayer_page_with_its_form_is_not_publicly_cacheable(client):
    response = client.get(make_prayer_request().get_absolute_url())

    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" in content(response)
    assert "<script" not in content(response).lower()


def test_staff_pages_are_private(staff_client, public_urls):
    for name, url in public_urls.items():
        cache_control = staff_client.get(url)["Cache-Control"]

        assert "private" in cache_control and "public" not in cache_control, name


def test_every_page_carries_a_strict_content_security_policy(client, public_urls):
    for name, url in [*public_urls.items(), ("missing", "/stories/nope/")]:
        policy = client.get(url)["Content-Security-Policy"]

        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", name
        assert directives["object-src"] == "'none'", name
        assert directives["frame-ancestors"] == "'none'", name


def test_the_policy_built_once_is_the_one_django_csp_builds_and_follows_the_settings(
    client, settings
):
    from csp.utils import build_policy

    assert client.get("/")["Content-Security-Policy"] == build_policy()

    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], **{"img-src": ["'self'"]})
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    policy = client.get("/")["Content-Security-Policy"]

    assert policy == build_policy()
    assert "img-src 'self';" in policy + ";"
    assert "data:" not in policy


def test_the_admin_allows_only_its_editor_import_map_by_hash(admin_client):
    response = admin_client.get("/admin/stories/story/add/")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    scripts = select(content(response), 'script[type="importmap"]')
    (import_map,) = [script.string for script in scripts]
    digest = base64.b64encode(hashlib.sha256(import_map.encode()).digest()).decode()

    assert f"'sha256-{digest}'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]


def test_a_page_that_has_not_changed_revalidates_with_304(client):
    story = make_story()
    first = client.get(story.get_absolute_url())

    again = client.get(story.get_absolute_url(), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""


def test_every_page_carries_the_security_headers(client, admin_client, public_urls):
    pages = [*public_urls.values(), "/stories/nope/", "/admin/login/", "/healthz"]
    for url in pages:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert (
            "'unsafe-inline'"
            not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
        ), url
    admin = admin_client.get("/admin/")
    assert admin["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in admin["Content-Security-Policy"]
