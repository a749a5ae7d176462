"""The image pipeline: uploads come out upright, bare of metadata and under a random name."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from advocacy.images import clean_image
from tests.factories import EXIF_GPS_IFD, EXIF_MAKE, EXIF_ORIENTATION, image_bytes

GPS = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}
ROTATE_90 = 6  # EXIF orientation: the camera was turned; rotate 90° clockwise to view


def upload(content, name="IMG_2041 Pastor Ahmed at home.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def phone_photo(size=(20, 10), **extra):
    """A JPEG as a phone writes it: camera make, GPS position, orientation, a comment, XMP."""
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SecretCam"
    exif[EXIF_GPS_IFD] = GPS
    exif[EXIF_ORIENTATION] = extra.pop("orientation", 1)
    buffer = io.BytesIO()
    image.save(
        buffer,
        format="JPEG",
        exif=exif,
        comment=b"Taken at 12 Church Street",
        xmp=b"<x:xmpmeta>Pastor Ahmed</x:xmpmeta>",
    )
    return buffer.getvalue()


def opened(cleaned):
    return Image.open(io.BytesIO(cleaned.read()))


def test_the_phone_photo_really_carries_metadata():
    """Guards the tests below: what we strip is there to begin with."""
    with Image.open(io.BytesIO(phone_photo())) as original:
        assert original.getexif()[EXIF_MAKE] == "SecretCam"
        assert original.getexif().get_ifd(EXIF_GPS_IFD)[1] == "N"
        assert original.info["comment"] == b"Taken at 12 Church Street"
        assert b"Pastor Ahmed" in original.info["xmp"]


def test_exif_and_gps_are_removed_from_a_jpeg():
    cleaned = clean_image(upload(phone_photo()))

    with opened(cleaned) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(EXIF_GPS_IFD) == {}
    cleaned.seek(0)
    assert b"SecretCam" not in cleaned.read()


def test_comments_and_xmp_are_removed_from_a_jpeg():
    cleaned = clean_image(upload(phone_photo()))

    with opened(cleaned) as image:
        assert "comment" not in image.info
        assert "xmp" not in image.info
    cleaned.seek(0)
    data = cleaned.read()
    assert b"Church Street" not in data
    assert b"Pastor Ahmed" not in data


def test_exif_is_removed_from_a_png():
    content = image_bytes(exif={EXIF_MAKE: "SecretCam", EXIF_GPS_IFD: GPS})

    cleaned = clean_image(upload(content, name="photo.png", content_type="image/png"))

    with opened(cleaned) as image:
        assert image.format == "PNG"
        assert dict(image.getexif()) == {}
    cleaned.seek(0)
    assert b"SecretCam" not in cleaned.read()


def test_a_sideways_photo_is_turned_upright():
    cleaned = clean_image(upload(phone_photo(size=(20, 10), orientation=ROTATE_90)))

    with opened(cleaned) as image:
        assert image.size == (10, 20)
        assert EXIF_ORIENTATION not in image.getexif()


def test_an_upright_photo_keeps_its_shape():
    cleaned = clean_image(upload(phone_photo(size=(20, 10))))

    with opened(cleaned) as image:
        assert image.size == (20, 10)


@pytest.mark.parametrize(
    "content, name, extension",
    [
        (phone_photo(), "IMG_2041 Pastor Ahmed at home.jpg", "jpg"),
        (image_bytes(), "Pastor Ahmed at home.png", "png"),
        (image_bytes(image_format="GIF"), "Pastor Ahmed at home.gif", "png"),
    ],
    ids=["jpeg", "png", "gif"],
)
def test_the_file_gets_a_random_name_that_says_nothing_about_the_upload(content, name, extension):
    first = clean_image(upload(content, name=name))
    second = clean_image(upload(content, name=name))

    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", first.name)
    assert "ahmed" not in first.name.lower() and "img_2041" not in first.name.lower()
    assert first.name != second.name


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
NOT_AN_IMAGE = "This file is not an image we can read (JPEG, PNG, WebP or GIF)."


@pytest.mark.parametrize(
    "content, name",
    [(SVG, "logo.svg"), (b"Dear supporter, thank you.", "letter.txt"), (b"", "empty.png")],
    ids=["svg", "text", "empty"],
)
def test_files_that_are_not_raster_images_are_refused(content, name):
    with pytest.raises(ValidationError) as error:
        clean_image(upload(content, name=name, content_type="image/svg+xml"))

    assert error.value.messages == [NOT_AN_IMAGE]


def test_a_raster_format_we_do_not_serve_is_refused_by_name():
    content = image_bytes(image_format="BMP")

    with pytest.raises(ValidationError) as error:
        clean_image(upload(content, name="scan.bmp", content_type="image/bmp"))

    assert error.value.messages == [
        "Upload a JPEG, PNG, WebP or GIF image; BMP files are not accepted."
    ]


def test_an_image_over_the_pixel_limit_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 199

    with pytest.raises(ValidationError) as error:
        clean_image(upload(phone_photo(size=(20, 10))))

    assert error.value.messages == [
        "This image is 20 x 10 pixels; the most we accept is 199 pixels in all."
    ]


def test_an_image_at_the_pixel_limit_is_accepted(settings):
    settings.IMAGE_MAX_PIXELS = 200

    with opened(clean_image(upload(phone_photo(size=(20, 10))))) as image:
        assert image.size == (20, 10)
