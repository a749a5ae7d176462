"""The image pipeline: uploads come out upright, bare of metadata and under a random name.

What is stored is checked as bytes, read back from storage, not as Pillow reports it.
"""

import io
import re
import struct
import tracemalloc
import zlib
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from images import fields
from images.fields import CleanImageFormField
from images.metadata import metadata_segments
from images.pipeline import clean_image
from images.renditions import ensure_renditions
from stories.models import Story
from tests.support.factories import (
    EXIF_GPS_IFD,
    EXIF_MAKE,
    EXIF_ORIENTATION,
    SIDEWAYS,
    image_bytes,
    make_story,
    metadata_in,
    tagged_image_bytes,
)

FORMATS = ["JPEG", "PNG", "WEBP"]
UPLOAD_NAMES = {
    "JPEG": "IMG_2041 Pastor Ahmed at home.jpg",
    "PNG": "Pastor Ahmed at home.png",
    "WEBP": "Pastor Ahmed at home.webp",
}
NOT_AN_IMAGE = "This file is not an image we can read (JPEG, PNG or WebP)."
HeroForm = modelform_factory(Story, fields=["hero_image", "hero_alt"])


def upload(content, name="IMG_2041 Pastor Ahmed at home.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def opened(cleaned):
    cleaned.seek(0)
    return Image.open(io.BytesIO(cleaned.read()))


def through_the_form(content, name):
    """Upload as the admin does, through the model form; the story as saved."""
    form = HeroForm(
        data={"hero_alt": "A church"},
        files={"hero_image": upload(content, name=name)},
        instance=make_story(),
    )
    assert form.is_valid(), form.errors
    return form.save()


def story_renditions(story):
    """The story picture's renditions, made as the admin makes them on save."""
    return ensure_renditions(
        default_storage, story.hero_image.name, story.hero_width, story.hero_height
    )


def stored_bytes(name):
    with default_storage.open(name, "rb") as file:
        return file.read()


def refusal(content, name):
    with pytest.raises(ValidationError) as error:
        clean_image(upload(content, name=name))
    return error.value.messages


# What is stored: bare, upright, under a random name


@pytest.mark.parametrize("image_format", FORMATS)
def test_the_fixtures_really_carry_metadata(image_format):
    """Guards the tests below: what we strip is there to begin with."""
    content = tagged_image_bytes(image_format)

    assert b"http://ns.adobe.com/xap/1.0/" in content and b"SecretCam" in content
    with Image.open(io.BytesIO(content)) as original:
        assert original.getexif()[EXIF_ORIENTATION] == SIDEWAYS
        assert original.getexif().get_ifd(EXIF_GPS_IFD)[1] == "N"


def test_the_jpeg_fixture_carries_iptc_and_a_comment():
    content = tagged_image_bytes("JPEG")

    assert b"Photoshop 3.0\x008BIM" in content and b"Exif\x00\x00" in content
    with Image.open(io.BytesIO(content)) as original:
        assert original.info["comment"] == b"Taken at 12 Church Street"
        (iptc,) = [data for marker, data in original.applist if marker == "APP13"]
    assert iptc.startswith(b"Photoshop 3.0\x008BIM") and b"Pastor Ahmed" in iptc


@pytest.mark.django_db
@pytest.mark.parametrize("image_format", FORMATS)
def test_the_stored_file_carries_no_metadata(image_format):
    story = through_the_form(tagged_image_bytes(image_format), UPLOAD_NAMES[image_format])

    assert metadata_in(stored_bytes(story.hero_image.name), image_format) == []


@pytest.mark.django_db
@pytest.mark.parametrize("image_format", FORMATS)
def test_the_stored_file_is_upright(image_format):
    story = through_the_form(tagged_image_bytes(image_format), UPLOAD_NAMES[image_format])

    with Image.open(io.BytesIO(stored_bytes(story.hero_image.name))) as stored:
        assert stored.format == image_format
        assert stored.size == (story.hero_width, story.hero_height) == (20, 40)
        # The sensor's left half (red) is the top once the picture is turned upright.
        red, blue = (
            stored.convert("RGB").getpixel((10, 2)),
            stored.convert("RGB").getpixel((10, 37)),
        )
    assert red[0] > 200 > red[2] and blue[2] > 200 > blue[0]


@pytest.mark.django_db
@pytest.mark.parametrize("image_format", FORMATS)
def test_the_stored_name_is_random_and_says_nothing_about_the_upload(image_format):
    content = tagged_image_bytes(image_format)
    first = through_the_form(content, UPLOAD_NAMES[image_format]).hero_image.name
    second = through_the_form(content, UPLOAD_NAMES[image_format]).hero_image.name

    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    assert re.fullmatch(rf"stories/[0-9a-f]{{32}}\.{extension}", first)
    assert "ahmed" not in first.lower() and "img_2041" not in first.lower()
    assert first != second


@pytest.mark.django_db
def test_a_file_assigned_in_code_is_cleaned_as_it_is_saved():
    story = make_story(hero_alt="A church")
    story.hero_image = upload(tagged_image_bytes("JPEG"))

    story.save()

    assert re.fullmatch(r"stories/[0-9a-f]{32}\.jpg", story.hero_image.name)
    assert metadata_in(stored_bytes(story.hero_image.name), "JPEG") == []
    assert (story.hero_width, story.hero_height) == (20, 40)


@pytest.mark.django_db
def test_the_form_cleans_an_upload_once_not_again_as_it_is_saved():
    with patch.object(fields, "clean_image", wraps=clean_image) as pipeline:
        through_the_form(tagged_image_bytes("JPEG"), "photo.jpg")

    assert pipeline.call_count == 1


def test_the_form_field_offers_only_the_formats_we_take():
    assert CleanImageFormField().widget.attrs["accept"] == "image/jpeg,image/png,image/webp"


PROFILE_TEXT = "Kim SoyeonPrk"  # the probe's: the same length as "sRGB built-in"


def profile_saying(description=PROFILE_TEXT, *, swap_red_and_blue=False):
    """An ICC profile whose description is free text, as any editing program may write."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    built_in = "sRGB built-in".encode("utf-16-be")
    profile[profile.find(built_in) : profile.find(built_in) + len(built_in)] = description.encode(
        "utf-16-be"
    )
    if swap_red_and_blue:  # a profile in which the colours mean something else
        (count,) = struct.unpack(">I", profile[128:132])
        table = {bytes(profile[132 + 12 * n : 136 + 12 * n]): 132 + 12 * n for n in range(count)}
        red, blue = table[b"rXYZ"], table[b"bXYZ"]
        profile[red + 4 : red + 12], profile[blue + 4 : blue + 12] = (
            profile[blue + 4 : blue + 12],
            profile[red + 4 : red + 12],
        )
    return bytes(profile)


def with_profile(image_format, profile, colour="teal"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), colour).save(buffer, format=image_format, icc_profile=profile)
    return buffer.getvalue()


def shows_profile_text(data):
    return any(
        PROFILE_TEXT.encode(codec) in data or b"Soyeon" in data for codec in ("utf-16-be", "utf-8")
    )


def test_the_profile_fixture_really_says_the_name():
    content = with_profile("JPEG", profile_saying())

    assert shows_profile_text(content)
    with Image.open(io.BytesIO(content)) as image:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
        assert ImageCms.getProfileDescription(profile).strip() == PROFILE_TEXT


@pytest.mark.django_db
@pytest.mark.parametrize("image_format", FORMATS)
def test_no_stored_file_keeps_the_colour_profiles_text(image_format):
    story = through_the_form(
        with_profile(image_format, profile_saying()), UPLOAD_NAMES[image_format]
    )
    names = [story.hero_image.name, *(each.name for each in story_renditions(story))]

    assert len(names) > 1
    for name in names:
        data = stored_bytes(name)
        assert not shows_profile_text(data), name
        assert metadata_segments(data) == [], name
        with Image.open(io.BytesIO(data)) as image:
            assert "icc_profile" not in image.info


@pytest.mark.parametrize("image_format", FORMATS)
def test_the_colours_are_converted_to_srgb_before_the_profile_is_dropped(image_format):
    red_means_blue = with_profile(image_format, profile_saying(swap_red_and_blue=True), "red")

    with opened(clean_image(upload(red_means_blue, name=UPLOAD_NAMES[image_format]))) as image:
        red, _green, blue = image.convert("RGB").getpixel((10, 5))
    assert blue > 200 and red < 60


def test_an_unreadable_profile_is_dropped_and_the_pixels_kept():
    content = with_profile("PNG", b"not a colour profile at all", "teal")

    with opened(clean_image(upload(content, name="a.png"))) as image:
        assert "icc_profile" not in image.info
        assert image.convert("RGB").getpixel((0, 0)) == (0, 128, 128)


def test_an_upright_photo_keeps_its_shape():
    with opened(clean_image(upload(tagged_image_bytes("JPEG", orientation=1)))) as image:
        assert image.size == (40, 20)


@pytest.mark.parametrize("name", ["IMG_0001.JPG", "IMG_0001.jpeg", "IMG_0001.JPEG"])
def test_the_name_ending_may_be_any_case_and_either_jpeg_spelling(name):
    assert clean_image(upload(tagged_image_bytes("JPEG"), name=name)).name.endswith(".jpg")


# Polyglots: only pixels survive


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(
    "content, name",
    [(image_bytes() + HTML, "card.png"), (image_bytes(image_format="JPEG") + HTML, "card.jpg")],
    ids=["png", "jpeg"],
)
def test_html_appended_to_an_image_is_not_stored(content, name):
    assert HTML in content
    cleaned = clean_image(upload(content, name=name)).read()

    assert b"<html" not in cleaned and b"<script" not in cleaned


def test_html_in_a_png_text_chunk_is_not_stored():
    text = PngInfo()
    text.add_text("Description", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10)).save(buffer, format="PNG", pnginfo=text)

    assert b"<script" not in clean_image(upload(buffer.getvalue(), name="a.png")).read()


# Refusals, each with a message an editor can act on


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    "content, name",
    [
        (SVG, "logo.svg"),
        (SVG, "logo.png"),
        (b"Dear supporter, thank you.", "letter.txt"),
        (b"", "empty.png"),
        (image_bytes(size=(400, 300), image_format="JPEG")[:-200], "cut-short.jpg"),
    ],
    ids=["svg", "svg-named-png", "text", "empty", "truncated"],
)
def test_files_that_are_not_raster_images_are_refused(content, name):
    assert refusal(content, name) == [NOT_AN_IMAGE]


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_other_raster_formats_are_refused_by_name(image_format):
    content = image_bytes(image_format=image_format)

    assert refusal(content, f"scan.{image_format.lower()}") == [
        f"Upload a JPEG, PNG or WebP image; {image_format} files are not accepted."
    ]


@pytest.mark.parametrize(
    "image_format, name, message",
    [
        ("JPEG", "photo.png", "This file is named .png but is a JPEG image."),
        ("PNG", "photo.jpg", "This file is named .jpg but is a PNG image."),
        ("WEBP", "photo.jpeg", "This file is named .jpeg but is a WebP image."),
        ("JPEG", "photo.heic", "This file is named .heic but is a JPEG image."),
        ("JPEG", "photo", "This file's name has no ending, such as .jpg, but it is a JPEG image."),
    ],
)
def test_a_name_that_does_not_match_the_content_is_refused(image_format, name, message):
    expected = {"JPEG": ".jpg or .jpeg", "PNG": ".png", "WEBP": ".webp"}[image_format]

    assert refusal(tagged_image_bytes(image_format), name) == [
        f"{message} Rename it to end in {expected} and upload it again."
    ]


def test_a_file_over_the_byte_limit_is_refused_before_it_is_decoded(settings):
    settings.IMAGE_MAX_BYTES = 1000

    # Not an image at all: only the size is looked at.
    assert refusal(b"x" * 2048, "huge.jpg") == [
        "This file is 2.0\xa0KB; the largest we accept is 1000\xa0bytes."
    ]


def test_a_file_at_the_byte_limit_is_accepted(settings):
    content = tagged_image_bytes("JPEG")
    settings.IMAGE_MAX_BYTES = len(content)

    assert clean_image(upload(content)).name.endswith(".jpg")


def test_an_image_over_the_pixel_limit_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 799

    assert refusal(tagged_image_bytes("JPEG"), "photo.jpg") == [
        "This image is 40 x 20 pixels; the most we accept is 799 pixels in all."
    ]


def test_an_image_at_the_pixel_limit_is_accepted(settings):
    settings.IMAGE_MAX_PIXELS = 800

    with opened(clean_image(upload(tagged_image_bytes("JPEG")))) as image:
        assert image.size == (20, 40)


# Decompression bombs: a few kilobytes that would unpack to gigabytes


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(width, height):
    """A real 1-bit PNG of width x height black pixels: kilobytes on disk."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    compressed = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", compressed)
        + _chunk(b"IEND", b"")
    )


def png_header_only(width, height):
    """A PNG that claims width x height, with a stub of pixel data behind."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    stub = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", stub)


def test_a_huge_claimed_size_is_refused_without_spending_memory():
    bomb = png_header_only(100_000, 100_000)  # ten gigapixels
    tracemalloc.start()
    images_before = Image.core.get_stats()["new_count"]

    messages = refusal(bomb, "bomb.png")

    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert messages == [
        "This image has too many pixels; the most we accept is 40000000 pixels in all."
    ]
    assert Image.core.get_stats()["new_count"] == images_before  # no pixel buffer made
    assert peak < 1_000_000


def test_a_real_bomb_under_pillows_limit_is_refused_by_ours():
    bomb = png_bomb(8_000, 8_000)  # 64 megapixels in under 10 KB
    assert len(bomb) < 10_000
    images_before = Image.core.get_stats()["new_count"]

    messages = refusal(bomb, "bomb.png")

    assert messages == [
        "This image is 8000 x 8000 pixels; the most we accept is 40000000 pixels in all."
    ]
    assert Image.core.get_stats()["new_count"] == images_before


def test_pillows_bomb_warning_is_a_refusal_even_with_our_limit_raised(settings):
    settings.IMAGE_MAX_PIXELS = 10**10
    bomb = png_bomb(10_000, 10_000)  # 100 megapixels: over Pillow's limit, under twice it

    assert refusal(bomb, "bomb.png") == [
        f"This image has too many pixels; the most we accept is {Image.MAX_IMAGE_PIXELS} "
        "pixels in all."
    ]


@pytest.mark.django_db
def test_a_bomb_in_the_admin_form_is_a_form_error():
    form = HeroForm(
        data={"hero_alt": "A church"},
        files={"hero_image": upload(png_header_only(100_000, 100_000), name="bomb.png")},
        instance=make_story(),
    )

    assert not form.is_valid()
    assert form.errors["hero_image"] == [
        "This image has too many pixels; the most we accept is 40000000 pixels in all."
    ]


def test_exif_make_and_gps_are_gone_as_pillow_reads_it_too():
    with opened(clean_image(upload(tagged_image_bytes("JPEG")))) as image:
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(EXIF_GPS_IFD) == {}
        assert EXIF_MAKE not in image.getexif()
        assert not {"comment", "xmp", "exif", "photoshop"} & set(image.info)
