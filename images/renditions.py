"""Renditions: each stored picture at a few widths, as WebP and as JPEG or PNG for the rest.

They are made when an editor saves the picture (or, failing that, the first time a page shows
it), stored under names derived from the original's random name, and found again with no query.
A page checks storage once per picture per process, then never again: on S3 a check is a
request, and a page must not make one per picture.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image

from images.pipeline import FORMAT_EXTENSIONS, FORMAT_MIME_TYPES, encode, in_srgb

RENDITIONS_DIR = "renditions"
# What a storage raises when a file cannot be read or written: the file system's, or an S3
# request's (refused, timed out, the service down).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)
# The last rendition's name of every picture whose renditions this process has seen stored.
# Names are random and a file under one never changes, so the answer stays true; a picture
# whose item is taken down is on no page, so its files leaving does not matter here.
_seen_stored: set[str] = set()
SEEN_STORED_MAX = 100_000  # a few MB of names; past it, start again


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    format: str

    @property
    def mime_type(self) -> str:
        return FORMAT_MIME_TYPES[self.format]


def renditions_for(original_name: str, width: int, height: int) -> list[Rendition]:
    """The renditions an original of this size has, WebP first; reads nothing."""
    path = PurePosixPath(original_name)
    # A PNG is a drawing or has see-through parts: its fallback stays PNG; photos get JPEG.
    fallback = "PNG" if path.suffix.lower() == ".png" else "JPEG"
    widths = sorted({min(each, width) for each in settings.IMAGE_RENDITION_WIDTHS})
    return [
        Rendition(
            name=f"{RENDITIONS_DIR}/{path.stem}-{each}.{FORMAT_EXTENSIONS[image_format]}",
            width=each,
            height=max(1, round(height * each / width)),
            format=image_format,
        )
        for image_format in ("WEBP", fallback)
        for each in widths
    ]


def renditions_shown(storage: Storage, original_name: str, width: int, height: int):
    """The renditions for a page: made if missing, but checked in storage once per process."""
    renditions = renditions_for(original_name, width, height)
    if renditions[-1].name in _seen_stored:
        return renditions
    return ensure_renditions(storage, original_name, width, height)


def ensure_renditions(storage: Storage, original_name: str, width: int, height: int):
    """The original's renditions, made first if any is missing.

    They are written in order, so once the last exists all do: one check on every later call.
    Raises one of STORAGE_ERRORS when the original cannot be read.
    """
    renditions = renditions_for(original_name, width, height)
    if not storage.exists(renditions[-1].name):
        missing = [each for each in renditions if not storage.exists(each.name)]
        make_renditions(storage, original_name, missing)
    _remember_stored(renditions[-1].name)
    return renditions


def _remember_stored(name: str) -> None:
    if len(_seen_stored) >= SEEN_STORED_MAX:
        _seen_stored.clear()
    _seen_stored.add(name)


def make_renditions(storage: Storage, original_name: str, renditions: list[Rendition]) -> None:
    """Decode the original once and store each rendition, bare, in the order given."""
    with storage.open(original_name) as file, Image.open(file) as original:
        largest = max(renditions, key=lambda each: each.width)
        # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale, still larger than we need: faster.
        original.draft(original.mode, (largest.width, largest.height))
        icc_profile = original.info.get("icc_profile")  # only originals stored before sRGB
        mode = "RGBA" if original.has_transparency_data else "RGB"
        original.load()
        source = in_srgb(original, icc_profile)
        source = source if source.mode == mode else source.convert(mode)
    resized = _resized(source, {(each.width, each.height) for each in renditions})
    for rendition in renditions:
        image = resized[rendition.width, rendition.height]
        if rendition.format == "JPEG" and image.mode == "RGBA":
            image = _on_white(image)
        image.info = {}
        _store(storage, rendition.name, encode(image, rendition.format))


def _resized(source: Image.Image, sizes: set[tuple[int, int]]) -> dict:
    """The source at each size, each made from the next larger: one resize per width."""
    resized = {}
    for size in sorted(sizes, reverse=True):
        resized[size] = source.resize(size, Image.Resampling.LANCZOS)
        source = resized[size]
    return resized


def _on_white(image: Image.Image) -> Image.Image:
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def _store(storage: Storage, name: str, data: bytes) -> None:
    stored = storage.save(name, ContentFile(data))
    if stored != name:  # another request made it first: keep theirs, drop the copy
        storage.delete(stored)
