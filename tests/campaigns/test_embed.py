"""The embeddable postcode step: what it shows, and that only it may be framed, by whom."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.reach.origins import frame_ancestors, origin, validate_origins
from core.cache_version import content_version
from core.publishing import Status
from tests.support.campaign_factories import make_campaign
from tests.support.html import content, form_fields, select, select_one, text
from tests.support.queries import EMBED_QUERIES

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(directive.strip().split(" ", 1) for directive in header.split(";"))


def embed_url(campaign, query=""):
    return f"/campaigns/{campaign.slug}/embed/{query}"


@pytest.fixture
def campaign():
    return make_campaign(title="Stop the forced returns", slug="stop-forced-returns")


def test_the_embed_shows_the_title_a_postcode_field_and_a_link_to_the_page(
    client, campaign, settings
):
    html = content(client.get(embed_url(campaign, "?source=St-Marks")))

    assert select_one(html, "h1").get_text(strip=True) == "Stop the forced returns"
    form = select_one(html, "form.postcode-form")
    assert (form["method"], form["action"], form["target"]) == (
        "get",
        f"/campaigns/{campaign.slug}/write/",
        "_top",
    )
    label = select_one(html, "label[for=id_postcode]")
    assert label.get_text(strip=True) == "Your postcode"
    assert select_one(html, "input[name=source]")["value"] == "st-marks"
    full = select_one(html, ".embed-links a")
    page = f"{campaign.get_absolute_url()}?source=st-marks"
    assert (full["href"], full["target"]) == (page, "_top")
    assert f"A campaign by {settings.SITE_NAME}" in text(html)
    assert not select(html, "script, nav, header, footer, input[name=csrfmiddlewaretoken]")


def test_an_embed_without_a_code_counts_as_embed(client, campaign):
    html = content(client.get(embed_url(campaign)))

    assert select_one(html, "input[name=source]")["value"] == "embed"


def test_the_embed_sets_no_cookie_and_is_publicly_cacheable(client, campaign):
    response = client.get(embed_url(campaign))

    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_the_embed_makes_one_query(client, campaign, django_assert_num_queries):
    with django_assert_num_queries(EMBED_QUERIES):
        assert client.get(embed_url(campaign)).status_code == 200


def test_any_site_may_frame_the_embed_when_staff_list_none(client, campaign):
    response = client.get(embed_url(campaign))

    assert "X-Frame-Options" not in response
    directives = policy(response)
    assert directives["frame-ancestors"] == "*"
    assert directives["script-src"] == "'self'"  # the rest of the policy stays strict
    assert directives["form-action"] == "'self'"


def test_only_the_listed_sites_may_frame_it(client, campaign):
    campaign.embed_origins = "https://www.stmarks.example.org\nhttps://Partner.example.net:8443/"
    campaign.save()

    directives = policy(client.get(embed_url(campaign)))

    assert directives["frame-ancestors"] == (
        "https://partner.example.net:8443 https://www.stmarks.example.org"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/campaigns/",
        "/campaigns/stop-forced-returns/",
        "/campaigns/stop-forced-returns/write/?postcode=SW1A+0AA",
        "/campaigns/stop-forced-returns/thank-you/",
        "/campaigns/stop-forced-returns/embed/nope/",  # not the embed: a 404
    ],
)
def test_every_other_page_still_refuses_every_frame(client, campaign, url):
    response = client.get(url)

    assert response["X-Frame-Options"] == "DENY"
    assert policy(response)["frame-ancestors"] == "'none'"


def test_a_cached_embed_keeps_its_own_frame_policy(client, campaign, settings):
    settings.PAGE_CACHE_SECONDS = 60
    content_version()
    first = client.get(embed_url(campaign))
    campaign_page = client.get(campaign.get_absolute_url())

    again = client.get(embed_url(campaign))
    page_again = client.get(campaign.get_absolute_url())

    assert again.content == first.content
    assert policy(again)["frame-ancestors"] == "*" and "X-Frame-Options" not in again
    assert policy(page_again)["frame-ancestors"] == "'none'"
    assert page_again["X-Frame-Options"] == campaign_page["X-Frame-Options"] == "DENY"
    caches["pages"].clear()


def saved_in_the_admin(superuser_client, campaign, origins):
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    data = form_fields(content(superuser_client.get(url)), "campaign_form")
    data["target_parliaments"] = [p.pk for p in campaign.target_parliaments.all()]
    return superuser_client.post(url, {**data, "embed_origins": origins})


def test_a_change_to_the_list_in_the_admin_reaches_the_cached_embed(
    client, superuser_client, campaign, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    content_version()
    client.get(embed_url(campaign))

    response = saved_in_the_admin(superuser_client, campaign, "https://www.stmarks.example.org")

    assert response.status_code == 302
    assert policy(client.get(embed_url(campaign)))["frame-ancestors"] == (
        "https://www.stmarks.example.org"
    )
    caches["pages"].clear()


def test_the_admin_refuses_a_list_with_a_bad_line_and_keeps_what_was_typed(
    superuser_client, campaign
):
    typed = "https://www.stmarks.example.org\nhttp://plain.example.org"

    response = saved_in_the_admin(superuser_client, campaign, typed)

    assert response.status_code == 200
    html = content(response)
    assert "“http://plain.example.org”" in select_one(html, ".field-embed_origins").get_text()
    assert select_one(html, "textarea[name=embed_origins]").get_text().strip() == typed
    campaign.refresh_from_db()
    assert campaign.embed_origins == ""


def test_a_closed_campaign_says_so_in_the_frame(client, campaign):
    campaign.closes_at = timezone.now() - timedelta(minutes=1)
    campaign.save()

    html = content(client.get(embed_url(campaign)))

    assert "This campaign has closed" in text(html)
    assert not select(html, "form")


def test_an_unpublished_campaign_has_no_embed(client):
    draft = make_campaign(status=Status.DRAFT)

    assert client.get(embed_url(draft)).status_code == 404


# The staff-set list


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("https://www.example.org", "https://www.example.org"),
        ("https://WWW.Example.org/", "https://www.example.org"),
        ("https://example.org:443", "https://example.org"),
        ("https://example.org:8443", "https://example.org:8443"),
        ("https://*.example.org", "https://*.example.org"),
        ("http://example.org", None),  # https only
        ("https://example.org/page", None),
        ("https://example.org?x=1", None),
        ("https://user@example.org", None),
        ("example.org", None),
        ("https://localhost", None),
        ("https://example.org; script-src *", None),
        ("https://exa mple.org", None),
        ("'self'", None),
    ],
)
def test_a_listed_site_is_an_https_origin(line, kept):
    assert origin(line) == kept


def test_the_list_names_each_line_that_is_not_a_site():
    with pytest.raises(ValidationError) as raised:
        validate_origins("https://good.example.org\nhttp://plain.example.org\nnot a site")

    message = " ".join(raised.value.messages)
    assert "http://plain.example.org" in message and "not a site" in message
    assert "good.example.org" not in message


def test_a_list_with_nothing_valid_left_frames_nowhere():
    assert frame_ancestors("http://old.example.org") == ["'none'"]
    assert frame_ancestors("  \n ") == ["*"]
