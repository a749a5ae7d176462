"""No public page, feed, sitemap or address of the seeded site shows a withheld name.

The walk looks for the seeds' made-up withheld name (Timothy Cho's) in any case, accent or
hyphenation, in the bytes of each response, its headers and every address it reaches. It
does not use the guard's hashes, so a bug in the guard cannot hide a sighting.
"""

import html
import json
import re
import shutil
import unicodedata
from collections import deque
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import CommandError, call_command

from advocacy.models import WithheldName
from advocacy.seed_files import SeedError
from advocacy.seeding import SEEDS_DIR, UNCHANGED, load_seeds
from advocacy.withheld import published_faults
from campaigns.models import Campaign, Representative
from stories.models import PrayerRequest, Spokesperson, Story
from stories.querysets import Status
from tests.campaigns.factories import make_scottish_seat
from tests.factories import make_story

SEED_NAME = "Pyo Eun-gyeol"  # made up: see seeds/README.md
SEED_STORY = "china-returns-600-north-korean-refugees"
SEED_PRAYER = "north-korean-refugees-returned-from-china"
POSTCODE = "EH99 1AA"  # make_scottish_seat's
FIXED_URLS = [
    "/",
    "/stories/",
    "/pray/",
    "/world-watch-list/",
    "/campaigns/",
    "/representatives/",
    "/about/data/",
    "/robots.txt",
    "/stories/feed/",
    "/sitemap.xml",
]
NOT_PAGES = ("/admin/", "/static/", "/media/", "/health/")
ADDRESSES = re.compile(r'(?:href|src)="([^"]*)"|<loc>([^<]*)</loc>|<link>([^<]*)</link>')


def words(text):
    """Case-folded, accent-free words, as a reader would read them past any markup."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.findall(r"[^\W_]+", plain)


NAME_WORDS = words(SEED_NAME)


def shows_name(text):
    text = html.unescape(text)
    for reading in (text, re.sub(r"<[^>]*>", " ", text), re.sub(r"<[^>]*>", "", text)):
        found = words(reading)
        if any(found[i : i + len(NAME_WORDS)] == NAME_WORDS for i in range(len(found))):
            return True
    return False


def start_urls():
    make_scottish_seat()
    members = "&".join(f"member={pk}" for pk in Representative.objects.values_list("pk", flat=True))
    campaigns = [
        url
        for campaign in Campaign.objects.published()
        for url in (
            campaign.get_absolute_url(),
            f"/campaigns/{campaign.slug}/write/?postcode={POSTCODE}",
            f"/campaigns/{campaign.slug}/write/letter/?postcode={POSTCODE}&{members}",
            f"/campaigns/{campaign.slug}/thank-you/",
        )
    ]
    published = [
        *Story.objects.published(),
        *Spokesperson.objects.published(),
        *PrayerRequest.objects.published(),
    ]
    return [*FIXED_URLS, *campaigns, *(item.get_absolute_url() for item in published)]


def internal_addresses(body):
    for match in ADDRESSES.finditer(body):
        address = html.unescape(next(group for group in match.groups() if group is not None))
        parts = urlsplit(urldefrag(address)[0])
        if parts.netloc in ("", "testserver") and parts.path.startswith("/"):
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not path.startswith(NOT_PAGES):
                yield path


def sightings(client):
    """Walk every public page from the start URLs; where the name shows, and how many pages."""
    to_visit = deque(start_urls())
    seen, found = set(to_visit), []
    while to_visit:
        url = to_visit.popleft()
        response = client.get(url)
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"
        body = response.content.decode()
        headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
        if shows_name(url) or shows_name(body) or shows_name(headers):
            found.append(url)
        for address in internal_addresses(body + "\n" + response.get("Location", "")):
            if address not in seen:
                seen.add(address)
                to_visit.append(address)
    return found, len(seen)


@pytest.fixture
def seeded(db):
    call_command("load_seeds", stdout=StringIO())


def test_the_seeds_record_the_made_up_name_as_a_hash_only(seeded):
    timothy = Spokesperson.objects.get(slug="timothy-cho")

    assert WithheldName.objects.for_owner(timothy).count() == 1
    assert not shows_name(str(list(WithheldName.objects.values())))


def test_loading_the_seeds_again_records_nothing_new(seeded):
    report = load_seeds()

    assert (UNCHANGED, Spokesperson, "timothy-cho") in report.changes
    assert WithheldName.objects.count() == 1


def test_seeds_that_publish_a_withheld_name_are_refused(db, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    people = seeds / "content" / "spokespeople.json"
    data = json.loads(people.read_text())
    data[0]["biography"] += f" His name is {SEED_NAME}."  # Timothy's own, recorded after him
    people.write_text(json.dumps(data))

    with pytest.raises(SeedError, match="spokesperson 'timothy-cho': biography: Biography con"):
        load_seeds(seeds)
    assert not Spokesperson.objects.exists()


def test_no_public_page_shows_a_withheld_name(seeded, client):
    found, pages = sightings(client)

    assert found == []
    assert pages > 80  # the whole site: 50 countries, the stories, campaigns and letters


@pytest.mark.parametrize(
    "text", [SEED_NAME, "PYO EUN GYEOL", "Pyō Eŭn-Gyeol", "pyo-eun_gyeol", "Pyo<b>Eun</b>-gyeol"]
)
def test_the_walk_recognises_every_spelling_of_the_name(text):
    assert shows_name(f"<p>A photo of {text} at home.</p>")


def test_a_name_in_a_draft_is_not_seen(seeded, client):
    make_story(status=Status.DRAFT, hero_caption=f"{SEED_NAME} at home", slug="pyo-eun-gyeol-draft")

    found, _ = sightings(client)

    assert found == []


def test_the_walk_finds_a_name_forced_past_the_guard(seeded, client):
    # update() skips clean(): this is how a name could reach a page if the guard had a gap.
    Story.objects.filter(slug=SEED_STORY).update(hero_caption=f"{SEED_NAME} at the border")

    found, _ = sightings(client)

    assert f"/stories/{SEED_STORY}/" in found
    assert "/stories/feed/" not in found  # the feed shows no caption
    assert [str(fault) for fault in published_faults()] == [f"story '{SEED_STORY}': hero_caption"]
    with pytest.raises(CommandError):
        call_command("check_withheld_names", stdout=StringIO())


def test_the_walk_finds_a_name_in_an_address(seeded, client):
    PrayerRequest.objects.filter(slug=SEED_PRAYER).update(slug="pray-for-pyo-eun-gyeol")

    found, _ = sightings(client)

    assert "/pray/pray-for-pyo-eun-gyeol/" in found
    assert "/pray/" in found  # the list links to it
