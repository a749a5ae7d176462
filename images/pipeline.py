"""The image pipeline: every upload is decoded, turned upright and re-encoded bare.

The stored file is written afresh from decoded pixels, so nothing rides along: no EXIF (GPS,
camera, time), XMP, IPTC/8BIM, comments, text chunks, colour profile or bytes appended after
the image. A colour profile (ICC) is free text too (its description can say anything), so the
colours are converted from it to sRGB, which is what browsers assume of an untagged image, and
the profile is dropped. PNG transparency is kept. ``metadata_segments`` lists whatever a stored
file carries beside its pixels, for the tests and checks that prove it carries nothing.
"""

import io
import os
import struct
import uuid
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps

# Formats we accept, and the format each is re-encoded as. MPO is how some phones write JPEG.
OUTPUT_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
# The name ending and media type of a file we write, by its format (pictures and renditions).
FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
FORMAT_MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# The name endings an upload of each output format may have.
UPLOAD_EXTENSIONS = {"JPEG": ("jpg", "jpeg"), "PNG": ("png",), "WEBP": ("webp",)}
KIND_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# The file input's accept attribute: the types we take, as the browser's picker filters them.
ACCEPT_MIME_TYPES = ",".join(FORMAT_MIME_TYPES.values())
KEPT_INFO = ("transparency",)
# Modes a colour profile can be applied to as they are; others are made RGB(A) first.
PROFILED_MODES = ("RGB", "RGBA", "CMYK", "L")
# What Pillow raises on a file that is damaged or not what its header says.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)


class CleanImageFile(ContentFile):
    """The pipeline's output: re-encoded, bare and under a random name."""


def clean_image(uploaded) -> CleanImageFile:
    """Return a metadata-free copy of an uploaded raster image under a random name.

    Raises ValidationError for anything that is not a JPEG, PNG or WebP image named as one, or
    that is larger than IMAGE_MAX_BYTES or IMAGE_MAX_PIXELS.
    """
    _check_bytes(uploaded)
    image = _decode(uploaded)
    output_format = OUTPUT_FORMATS[image.format]
    upright = in_srgb(ImageOps.exif_transpose(image), image.info.get("icc_profile"))
    if output_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    upright.info = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    name = f"{uuid.uuid4().hex}.{FORMAT_EXTENSIONS[output_format]}"
    return CleanImageFile(encode(upright, output_format), name=name)


def encode(image: Image.Image, output_format: str) -> bytes:
    """The image's pixels in the given format, and nothing else."""
    buffer = io.BytesIO()
    # Pillow writes EXIF, XMP and a colour profile only when given them, so none is passed.
    image.save(buffer, format=output_format, **_save_options(output_format))
    return buffer.getvalue()


def in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """The pixels converted from their colour profile to sRGB; without the profile itself.

    A profile that cannot be read is dropped and the pixels kept as they are.
    """
    image.info.pop("icc_profile", None)
    if not icc_profile:
        return image
    if image.mode not in PROFILED_MODES:
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _check_bytes(uploaded) -> None:
    size = getattr(uploaded, "size", None)
    if size is None:
        size = uploaded.seek(0, os.SEEK_END)
    if size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; the largest we accept is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(settings.IMAGE_MAX_BYTES)}
        )


def _decode(uploaded) -> Image.Image:
    """Read the header, check it, then decode every pixel (so damage shows up here)."""
    uploaded.seek(0)
    try:
        # Our own pixel check below bounds memory; turning Pillow's warning into an error
        # makes its limit a refusal too, should IMAGE_MAX_PIXELS ever be set above it.
        with warnings.catch_warnings(action="error", category=Image.DecompressionBombWarning):
            image = Image.open(uploaded)
        _check_header(image, getattr(uploaded, "name", None))
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("This image has too many pixels; the most we accept is %(max)s pixels in all.")
            % {"max": min(settings.IMAGE_MAX_PIXELS, Image.MAX_IMAGE_PIXELS)}
        ) from exc
    except DECODE_ERRORS as exc:
        raise ValidationError(
            _("This file is not an image we can read (JPEG, PNG or WebP).")
        ) from exc
    return image


def _check_header(image: Image.Image, name: str | None) -> None:
    if image.format not in OUTPUT_FORMATS:
        raise ValidationError(
            _("Upload a JPEG, PNG or WebP image; %(format)s files are not accepted.")
            % {"format": image.format or _("this kind of")}
        )
    _check_pixels(image)
    if name is not None:
        _check_name(name, OUTPUT_FORMATS[image.format])


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("This image is %(w)s x %(h)s pixels; the most we accept is %(max)s pixels in all.")
            % {"w": width, "h": height, "max": settings.IMAGE_MAX_PIXELS}
        )


def _check_name(name: str, output_format: str) -> None:
    """A name that says one format over content of another is refused, not guessed at."""
    ending = PurePath(name).suffix.lower().lstrip(".")
    expected = UPLOAD_EXTENSIONS[output_format]
    if ending in expected:
        return
    message = (
        _("This file is named .%(ending)s but is a %(kind)s image.")
        if ending
        else _("This file's name has no ending, such as .jpg, but it is a %(kind)s image.")
    )
    advice = _("Rename it to end in %(expected)s and upload it again.")
    raise ValidationError(
        f"{message} {advice}"
        % {
            "ending": ending,
            "kind": KIND_NAMES[output_format],
            "expected": _(" or ").join(f".{each}" for each in expected),
        }
    )


def _save_options(output_format: str) -> dict:
    if output_format == "JPEG":
        return {"quality": 85, "optimize": True, "progressive": True}
    if output_format == "WEBP":
        return {"quality": 85}
    return {"optimize": True}
