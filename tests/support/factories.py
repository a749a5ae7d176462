"""Small factories: each builds one saved object with sensible defaults and takes overrides."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from core.publishing import Status
from stories.models import (
    Country,
    PrayerPoint,
    PrayerRequest,
    PullQuote,
    Spokesperson,
    Story,
    WatchListEntry,
)

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


# Pictures as phones and photo software write them, for the image pipeline's tests.

SIDEWAYS = 6  # EXIF orientation: the camera was turned; rotate 90° clockwise to view
GPS_POSITION = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}
XMP_PACKET = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmp:CreatorTool="SecretCam" '
    b'exif:GPSLatitude="51,30.43N" exif:GPSLongitude="0,7.65W">'
    b"<dc:description>Pastor Ahmed at home</dc:description>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)
IPTC_CAPTION = b"Pastor Ahmed, 12 Church Street"
# Bytes that mean metadata rode along: EXIF, XMP, IPTC/Photoshop, and what the fixtures say.
METADATA_MARKERS = (
    b"Exif\x00\x00",
    b"http://ns.adobe.com/xap/1.0/",
    b"Photoshop 3.0",
    b"8BIM",
    b"SecretCam",
    b"GPSLatitude",
    b"Pastor Ahmed",
    b"Church Street",
    b"Raw profile",
)
# Where each container keeps metadata: JPEG APP1 (EXIF, XMP), APP13 (IPTC) and comment
# segments; PNG eXIf and text chunks; WebP EXIF and XMP chunks. A marker byte 0xFF is never
# followed by these inside JPEG image data, and the chunk names are four exact bytes.
CONTAINER_MARKERS = {
    "JPEG": (b"\xff\xe1", b"\xff\xed", b"\xff\xfe"),
    "PNG": (b"eXIf", b"iTXt", b"tEXt", b"zTXt"),
    "WEBP": (b"EXIF", b"XMP "),
}


def metadata_in(data, image_format):
    """The metadata markers found in an encoded file's bytes: [] for a bare file."""
    markers = METADATA_MARKERS + CONTAINER_MARKERS[image_format]
    return [marker for marker in markers if marker in data]


def _iptc_block():
    """An IPTC caption wrapped as Photoshop stores it: an 8BIM resource 0x0404."""
    record = b"\x1c\x02\x78" + len(IPTC_CAPTION).to_bytes(2, "big") + IPTC_CAPTION
    padding = b"\x00" * (len(record) % 2)
    return b"8BIM\x04\x04\x00\x00" + len(record).to_bytes(4, "big") + record + padding


def _phone_exif(orientation):
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SecretCam"
    exif[EXIF_GPS_IFD] = GPS_POSITION
    exif[EXIF_ORIENTATION] = orientation
    return exif


def _two_halves(size, mode="RGB"):
    """Left half red, right half blue, as the sensor saw it: shows which way is up."""
    width, height = size
    image = Image.new(mode, size, "blue")
    image.paste("red", (0, 0, width // 2, height))
    return image


def tagged_image_bytes(image_format="JPEG", size=(40, 20), orientation=SIDEWAYS):
    """An image carrying GPS EXIF, XMP and (where the format has them) IPTC and a comment.

    JPEG: EXIF with a GPS IFD, XMP, a Photoshop 3.0 APP13 segment with IPTC, and a comment.
    PNG: an eXIf chunk, XMP in iTXt, a comment and ImageMagick's IPTC profile in tEXt.
    WebP: EXIF and XMP chunks (WebP has no place for IPTC or comments).
    """
    image = _two_halves(size)
    exif = _phone_exif(orientation)
    buffer = io.BytesIO()
    if image_format == "JPEG":
        iptc = b"Photoshop 3.0\x00" + _iptc_block()
        app13 = b"\xff\xed" + (len(iptc) + 2).to_bytes(2, "big") + iptc
        image.save(
            buffer,
            format="JPEG",
            exif=exif,
            xmp=XMP_PACKET,
            extra=app13,
            comment=b"Taken at 12 Church Street",
        )
    elif image_format == "PNG":
        text = PngInfo()
        text.add_itxt("XML:com.adobe.xmp", XMP_PACKET.decode())
        text.add_text("Comment", "Taken at 12 Church Street")
        iptc = _iptc_block()
        text.add_text("Raw profile type iptc", f"\niptc\n{len(iptc):8d}\n{iptc.hex()}\n")
        image.save(buffer, format="PNG", exif=exif, pnginfo=text)
    else:
        image.save(buffer, format=image_format, exif=exif, xmp=XMP_PACKET)
    return buffer.getvalue()
