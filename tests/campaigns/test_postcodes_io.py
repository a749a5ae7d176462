import logging
import socket
import time

import pytest

from campaigns.lookup import postcodes_io
from campaigns.lookup.backends import PostcodesIoBackend
from campaigns.lookup.postcodes_io import (
    PostcodeNotFound,
    PostcodesIoClient,
    PostcodesIoUnavailable,
    client_from_settings,
)
from campaigns.lookup.service import lookup_postcode
from campaigns.models.parliaments import COMMONS, HOLYROOD, SENEDD
from tests.support.campaign_factories import (
    make_area,
    make_member,
    make_scottish_seat,
    make_share,
    make_welsh_seat,
)
from tests.support.fake_postcodes_io import SLOW_SECONDS, fake_postcodes_io
from tests.support.queries import LOOKUP_MAX_QUERIES


@pytest.fixture(scope="module")
def server():
    with fake_postcodes_io() as running:
        yield running


@pytest.fixture
def client(server):
    return PostcodesIoClient(base_url=server.url, timeout=1.0)


@pytest.fixture
def online(settings, server):
    settings.POSTCODE_LOOKUP_BACKEND = "postcodes.io"
    settings.POSTCODES_IO_URL = server.url
    settings.POSTCODES_IO_TIMEOUT = 0.5
    return server


def by_slug(result):
    return {item.parliament.slug: item for item in result.parliaments}


def names(seat):
    return [member.name for member in seat.members]


def test_a_postcode_record_carries_the_country_and_constituency_codes(client, server):
    record = client.postcode("SW1A 0AA")

    assert record.postcode == "SW1A 0AA"
    assert record.country == "England"
    assert record.codes["parliamentary_constituency"] == "E14001172"
    assert record.area_codes(["parliamentary_constituency", "senedd_constituency"]) == ["E14001172"]
    assert server.requests[-1] == "/postcodes/SW1A 0AA"


def test_a_scottish_record_carries_the_holyrood_code(client, server):
    record = client.scottish_postcode("EH99 1SP")

    assert record.codes == {"scottish_parliamentary_constituency": "S16000182"}
    assert server.requests[-1] == "/scotland/postcodes/EH99 1SP"


def test_an_unknown_postcode_is_not_found_with_the_api_message(client):
    with pytest.raises(PostcodeNotFound, match="Invalid postcode"):
        client.postcode("ZZ99 9ZZ")


def test_a_server_error_is_unavailable(client):
    with pytest.raises(PostcodesIoUnavailable, match="HTTP 500"):
        client.postcode("BROKEN")


def test_a_body_that_is_not_json_is_unavailable(client):
    with pytest.raises(PostcodesIoUnavailable, match="other than JSON"):
        client.postcode("GARBLED")


def test_a_slow_answer_times_out(server):
    client = PostcodesIoClient(base_url=server.url, timeout=0.2)
    started = time.monotonic()

    with pytest.raises(PostcodesIoUnavailable, match="did not answer"):
        client.postcode("SLOW")

    assert time.monotonic() - started < SLOW_SECONDS / 2


def test_a_refused_connection_is_unavailable():
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = PostcodesIoClient(base_url=f"http://127.0.0.1:{port}", timeout=0.5)

    with pytest.raises(PostcodesIoUnavailable):
        client.postcode("SW1A 0AA")


def test_only_http_urls_are_accepted():
    with pytest.raises(ValueError, match="http"):
        PostcodesIoClient(base_url="file:///etc/passwd", timeout=1)


def test_the_client_is_built_from_settings_when_first_needed(settings):
    settings.POSTCODES_IO_URL = "http://127.0.0.1:9/"
    settings.POSTCODES_IO_TIMEOUT = 1.5

    backend = PostcodesIoBackend()
    client = client_from_settings()

    assert backend._client is None  # nothing built until a lookup needs it
    assert (client.base_url, client.timeout) == ("http://127.0.0.1:9", 1.5)
    assert not any(isinstance(value, PostcodesIoClient) for value in vars(postcodes_io).values())


@pytest.mark.django_db
def test_online_lookup_uses_the_exact_constituency_over_a_split_sector(online):
    westminster = make_area(code="E14001172", name="Cities of London and Westminster")
    make_member(westminster, name="Rachel Blake")
    make_share("SW1A 0", westminster, share="0.6")
    make_share("SW1A 0", make_area(name="Neighbour"), share="0.4")

    item = by_slug(lookup_postcode(postcode="sw1a0aa"))[COMMONS]

    assert not item.needs_choice
    assert names(item.constituency) == ["Rachel Blake"]
    assert item.candidates[0].basis == "exact"


@pytest.mark.django_db
def test_online_lookup_asks_scotland_for_the_holyrood_constituency(
    online, django_assert_max_num_queries
):
    make_scottish_seat(sector="EH98 1")  # the offline tables cannot answer for EH99 1

    with django_assert_max_num_queries(LOOKUP_MAX_QUERIES):
        result = by_slug(lookup_postcode(postcode="EH99 1SP"))

    assert names(result[COMMONS].constituency) == ["Chris Murray"]
    assert names(result[HOLYROOD].constituency) == ["Lorna Slater"]
    assert len(result[HOLYROOD].region.members) == 7
    assert online.requests[-2:] == ["/postcodes/EH99 1SP", "/scotland/postcodes/EH99 1SP"]


@pytest.mark.django_db
def test_online_lookup_reads_a_holyrood_code_in_the_main_record(online):
    make_scottish_seat(sector="EH98 1")

    result = by_slug(lookup_postcode(postcode="EH99 1AB"))

    assert names(result[HOLYROOD].constituency) == ["Lorna Slater"]
    assert online.requests[-1] == "/postcodes/EH99 1AB"


@pytest.mark.django_db
def test_online_lookup_takes_the_senedd_from_the_offline_table(
    online, django_assert_max_num_queries
):
    make_welsh_seat()

    with django_assert_max_num_queries(LOOKUP_MAX_QUERIES):
        result = by_slug(lookup_postcode(postcode="CF99 1SN"))

    assert names(result[COMMONS].constituency) == ["Stephen Doughty"]
    assert result[COMMONS].candidates[0].basis == "exact"
    assert len(result[SENEDD].constituency.members) == 6
    assert result[SENEDD].candidates[0].basis == "sector"


@pytest.mark.django_db
def test_online_lookup_finds_northern_ireland_constituencies(online):
    make_member(make_area(code="N05000001", name="Belfast East"), name="Gavin Robinson")

    result = lookup_postcode(postcode="BT4 3XX")

    assert names(by_slug(result)[COMMONS].constituency) == ["Gavin Robinson"]


@pytest.mark.django_db
def test_a_postcode_the_api_does_not_know_offers_the_list(online):
    make_area(code="E14001172")

    result = lookup_postcode(postcode="ZZ99 9ZZ")

    assert not result.covered
    assert len(result.choices) == 1


@pytest.mark.django_db
def test_when_the_api_fails_the_offline_tables_answer(online, caplog):
    area = make_area(code="E14001172")
    make_member(area, name="Rachel Blake")
    make_share("SW1A 0", area)
    online.down = True

    try:
        with caplog.at_level(logging.WARNING, logger="campaigns.lookup.backends"):
            result = lookup_postcode(postcode="SW1A 0AA")
    finally:
        online.down = False

    assert names(by_slug(result)[COMMONS].constituency) == ["Rachel Blake"]
    assert "using the offline tables" in caplog.text
