"""A stored picture's public addresses: the original's and every rendition's."""

from django.core.files.uploadedfile import SimpleUploadedFile

from images.renditions import ensure_renditions
from tests.support.factories import tagged_image_bytes

MEDIA_URLCONF = "tests.support.media_urls"


def a_photo(name="IMG_2041 at the church.jpg"):
    """A photo as a phone uploads it, wide enough for two rendition widths."""
    return SimpleUploadedFile(name, tagged_image_bytes("JPEG", size=(1000, 500), orientation=1))


def picture_files(image):
    """The storage names of a saved picture and of its renditions, made now if missing."""
    width, height = image.width, image.height
    renditions = ensure_renditions(image.storage, image.name, width, height)
    return [image.name, *(each.name for each in renditions)]


def picture_urls(image):
    """The public URL of the picture and of each of its renditions."""
    return [image.storage.url(name) for name in picture_files(image)]
