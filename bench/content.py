"""Top a seeded database up to the Wagtail peer's size, for benchmarks only.

    DJANGO_SETTINGS_MODULE=advocacy.settings.dev .venv/bin/python bench/content.py

Run after `migrate` and `load_seeds`: adds generated placeholder content until the site shows
200 stories (a drawn hero picture on every third) and 20 campaigns, and has 30 spokespeople (half
with `name_changed`), as the peer's `seed_bench` does. The newest story is the one to benchmark:
a hero picture, a spokesperson whose name was changed, pull quotes and a prayer request with
points. The newest campaign links it. Everything is deterministic (seed 2026) and all text is
placeholder written here; no person or place in it is real. Prints the paths to benchmark as
JSON on its last line. Never run it on a real site's database: it publishes what it makes.
"""

import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

import django

# A script, not a module of the site: Django is set up before the models are imported.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.dev")
django.setup()

from django.core.files.storage import default_storage  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from campaigns.models import Campaign, LetterTemplate, Parliament  # noqa: E402
from campaigns.models.parliaments import COMMONS  # noqa: E402
from core.publishing import Status  # noqa: E402
from images.illustrations import illustration  # noqa: E402
from stories.models import (  # noqa: E402
    Country,
    PrayerPoint,
    PrayerRequest,
    PullQuote,
    Spokesperson,
    Story,
)

STORIES, CAMPAIGNS, SPOKESPEOPLE = 200, 20, 30
PICTURES = 24  # drawn once each and shared, as the peer shares its 24 images
SEED = 2026
WORDS = [
    "church",
    "village",
    "border",
    "family",
    "harvest",
    "river",
    "market",
    "school",
    "prayer",
    "hope",
    "courage",
    "night",
    "letter",
    "friend",
    "pastor",
    "road",
    "winter",
    "bread",
    "song",
    "welcome",
    "shelter",
    "journey",
    "promise",
    "neighbour",
    "congregation",
    "hillside",
    "well",
    "mother",
    "father",
    "daughter",
    "son",
    "field",
    "lamp",
    "door",
    "table",
]
SCENES = ("border", "village", "city", "plain")


def sentence(rng: random.Random, words: int = 12) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def body(rng: random.Random) -> str:
    parts = []
    for number in range(1, 4):
        parts.append(f"<h2>Part {number}: {sentence(rng, 4)[:-1]}</h2>")
        parts += [f"<p>{paragraph(rng)}</p>" for _ in range(2)]
    return "\n".join(parts)


def top_up_spokespeople(rng, now):
    people = list(Spokesperson.objects.all())
    first, changed = len(people), sum(person.name_changed for person in people)
    for number in range(first, SPOKESPEOPLE):
        # Every other new one, until half of them all have a changed name.
        name_changed = (number - first) % 2 == 0 and changed < SPOKESPEOPLE // 2
        changed += name_changed
        people.append(
            Spokesperson.objects.create(
                name=f"Bench Speaker {number:02}",
                slug=f"bench-speaker-{number:02}",
                name_changed=name_changed,
                role=sentence(rng, 5)[:-1],
                biography=paragraph(rng, 3),
                status=Status.PUBLISHED,
                published_at=now - timedelta(days=400 + number),
            )
        )
    return people


def drawn_pictures():
    """(file name, width, height) of PICTURES drawn landscapes, saved once each."""

    pictures = []
    for number in range(PICTURES):
        drawn = illustration(f"bench-{number}", SCENES[number % len(SCENES)])
        name = default_storage.save(f"stories/bench-{number:02}.jpg", drawn)
        with default_storage.open(name) as saved:
            width, height = Image.open(saved).size
        pictures.append((name, width, height))
    return pictures


def prayer_request(rng, now, countries):

    prayer = PrayerRequest.objects.create(
        title="Pray for the bench village church",
        slug="bench-prayer",
        introduction=paragraph(rng, 2),
        status=Status.PUBLISHED,
        published_at=now - timedelta(days=1),
    )
    prayer.countries.set(countries[:1])
    for position in range(1, 5):
        PrayerPoint.objects.create(prayer_request=prayer, text=sentence(rng), position=position)
    return prayer


def top_up_stories(rng, now, people, countries, prayer):
    """New stories, newest first from the benchmarked one at number 0."""

    existing = Story.objects.published().count()  # the peer has 200 public ones
    pictures = drawn_pictures()
    changed = [person for person in people if person.name_changed]
    for number in range(STORIES - existing):
        picture = pictures[number // 3 % PICTURES] if number % 3 == 0 else ("", None, None)
        story = Story.objects.create(
            title=f"{sentence(rng, 6)[:-1]} {number:03}",
            slug=f"bench-story-{number:03}",
            standfirst=paragraph(rng, 2),
            body=body(rng),
            hero_image=picture[0],
            hero_width=picture[1],
            hero_height=picture[2],
            hero_alt=sentence(rng, 6) if picture[0] else "",
            hero_caption=sentence(rng, 8) if picture[0] else "",
            hero_credit="Drawn for the benchmark" if picture[0] else "",
            prayer_request=prayer if number == 0 else None,
            status=Status.PUBLISHED,
            # The seeds' stories are older than a year; these are the newest.
            published_at=now - timedelta(hours=1 + number * 7),
        )
        speaker = changed[0] if number == 0 else people[number % len(people)]
        story.spokespeople.set([speaker])
        story.countries.set([countries[number % len(countries)]])
        for position in range(1, 3 if number == 0 else 1):
            PullQuote.objects.create(
                story=story, text=sentence(rng), spokesperson=speaker, position=position
            )


def top_up_campaigns(rng, now, people, prayer):
    """New campaigns for MPs, the newest linking the benchmarked story."""

    commons = Parliament.objects.get(slug=COMMONS)
    stories = list(Story.objects.filter(slug__startswith="bench-story-").order_by("slug")[:20])
    for number in range(CAMPAIGNS - Campaign.objects.published().count()):
        campaign = Campaign.objects.create(
            title=f"Ask your MP to {sentence(rng, 5)[:-1].lower()} {number:02}",
            slug=f"bench-campaign-{number:02}",
            summary=paragraph(rng, 2),
            ask=sentence(rng, 20),
            why_it_matters="\n\n".join(paragraph(rng) for _ in range(3)),
            goal=2000,
            letter_count=rng.randint(0, 1500),
            thank_you_text=paragraph(rng, 2),
            share_text=sentence(rng, 10),
            prayer_request=prayer if number == 0 else None,
            spokesperson=people[number % len(people)],
            status=Status.PUBLISHED,
            published_at=now - timedelta(minutes=30 + number * 60 * 24),
        )
        campaign.target_parliaments.set([commons])
        campaign.stories.set(stories[number : number + 1])
        LetterTemplate.objects.create(
            campaign=campaign,
            parliament=commons,
            subject="Please act: {representative_name}",
            body="{salutation},\n\n" + paragraph(rng, 2) + "\n\n{personal_paragraph}\n\n"
            "Yours sincerely,\n{supporter_name}",
            prompts="Why does this matter to you?",
        )


def seed():
    """Top up in one transaction; return the paths of the pages to benchmark."""

    rng, now = random.Random(SEED), timezone.now()
    with transaction.atomic():
        countries = list(Country.objects.published().order_by("slug")[:20])
        people = top_up_spokespeople(rng, now)
        prayer = prayer_request(rng, now, countries)
        top_up_stories(rng, now, people, countries, prayer)
        top_up_campaigns(rng, now, people, prayer)
    story, campaign = Story.objects.published().first(), Campaign.objects.published().first()
    return {
        "story": story.get_absolute_url(),
        "campaign": campaign.get_absolute_url(),
        "home": "/",
        "listing": "/stories/",
    }


def main():
    print(json.dumps(seed()))


if __name__ == "__main__":
    main()
