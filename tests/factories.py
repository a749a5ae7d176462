"""Small factories: each builds one saved object with sensible defaults and takes overrides."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from stories.models import (
    Country,
    PrayerPoint,
    PrayerRequest,
    PullQuote,
    Spokesperson,
    Story,
    WatchListEntry,
)
from stories.querysets import Status

_sequence = itertools.count(1)

EXIF_ORIENTATION = 0x0112
EXIF_MAKE = 0x010F
EXIF_GPS_IFD = 0x8825


def _next():
    return next(_sequence)


def _iso_code(number):
    """A unique two-letter code per number (AA, AB, ...), for up to 676 countries."""
    first, second = divmod(number % 676, 26)
    return chr(65 + first) + chr(65 + second)


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


def make_country(**overrides):
    number = _next()
    fields = {
        "name": f"Country {number}",
        "slug": f"country-{number}",
        "iso_code": _iso_code(number),
        "summary": f"Summary of country {number}.",
    }
    return Country.objects.create(**{**fields, **overrides})


def make_spokesperson(**overrides):
    number = _next()
    fields = {
        "name": f"Speaker {number}",
        "slug": f"speaker-{number}",
        "role": f"Pastor of church {number}",
        "biography": f"Biography of speaker {number}.",
        "status": Status.PUBLISHED,
        "published_at": an_hour_ago(),
    }
    return Spokesperson.objects.create(**{**fields, **overrides})


def make_prayer_request(
    points=("Pray for courage.", "Pray for safety."), countries=(), **overrides
):
    number = _next()
    fields = {
        "title": f"Prayer request {number}",
        "slug": f"prayer-{number}",
        "introduction": f"Introduction to prayer request {number}.",
        "status": Status.PUBLISHED,
        "published_at": an_hour_ago(),
    }
    prayer_request = PrayerRequest.objects.create(**{**fields, **overrides})
    for position, text in enumerate(points):
        PrayerPoint.objects.create(prayer_request=prayer_request, text=text, position=position)
    prayer_request.countries.set(countries)
    return prayer_request


def make_story(countries=(), spokespeople=(), pull_quotes=(), **overrides):
    """A published story; ``pull_quotes`` are texts or (text, spokesperson) pairs."""
    number = _next()
    fields = {
        "title": f"Story {number}",
        "slug": f"story-{number}",
        "standfirst": f"Standfirst of story {number}.",
        "body": f"<h2>Part {number}</h2><p>Body of story {number}.</p>",
        "status": Status.PUBLISHED,
        "published_at": an_hour_ago(),
    }
    story = Story.objects.create(**{**fields, **overrides})
    story.countries.set(countries)
    story.spokespeople.set(spokespeople)
    for position, quote in enumerate(pull_quotes):
        text, spokesperson = quote if isinstance(quote, tuple) else (quote, None)
        PullQuote.objects.create(
            story=story,
            text=text,
            spokesperson=spokesperson,
            attribution="" if spokesperson else "A church member",
            position=position,
        )
    return story


def make_watch_list(year, n, countries=None):
    """Ranks 1..n of one year's list, for the given countries or new ones."""
    countries = list(countries) if countries is not None else [make_country() for _ in range(n)]
    levels = [WatchListEntry.Level.EXTREME, WatchListEntry.Level.VERY_HIGH]
    return [
        WatchListEntry.objects.create(
            country=country,
            year=year,
            rank=rank,
            score=100 - rank,
            level=levels[rank % 2],
        )
        for rank, country in enumerate(countries[:n], start=1)
    ]


def image_bytes(size=(20, 10), image_format="PNG", exif=None, colour="teal"):
    """An encoded image, optionally carrying the given EXIF tags."""
    mode = "RGBA" if image_format == "PNG" else "RGB"
    image = Image.new(mode, size, colour)
    options = {}
    if exif:
        tags = Image.Exif()
        for tag, value in exif.items():
            tags[tag] = value
        options["exif"] = tags
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def make_upload(name="holiday-in-damascus.png", content=None, content_type="image/png", **kwargs):
    """An uploaded file as a browser would post it; a PNG with EXIF by default."""
    if content is None:
        content = image_bytes(exif={EXIF_MAKE: "SecretCam", EXIF_ORIENTATION: 1}, **kwargs)
    return SimpleUploadedFile(name, content, content_type=content_type)
