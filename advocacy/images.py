"""The image pipeline: every upload is decoded, turned upright and re-encoded bare."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats we accept, and the format each is re-encoded as.
OUTPUT_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def clean_image(uploaded) -> ContentFile:
    """Return a metadata-free copy of an uploaded raster image under a random name.

    Raises ValidationError for anything that is not a raster image we accept, or that is
    larger than IMAGE_MAX_PIXELS.
    """
    image = _decode(uploaded)
    output_format = OUTPUT_FORMATS[image.format]
    upright = ImageOps.exif_transpose(image)
    if output_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    # Pillow copies a JPEG comment from .info into the new file unless we drop it.
    upright.info.pop("comment", None)
    buffer = io.BytesIO()
    # Saving without exif= or xmp= keeps EXIF, XMP and IPTC out.
    upright.save(buffer, format=output_format, **_save_options(output_format))
    name = f"{uuid.uuid4().hex}.{EXTENSIONS[output_format]}"
    return ContentFile(buffer.getvalue(), name=name)


def _decode(uploaded) -> Image.Image:
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as probe:
            _check_size(probe)
            if probe.format not in OUTPUT_FORMATS:
                raise ValidationError(
                    _("Upload a JPEG, PNG, WebP or GIF image; %(format)s files are not accepted.")
                    % {"format": probe.format or _("this kind of")}
                )
        uploaded.seek(0)
        image = Image.open(uploaded)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("This file is not an image we can read (JPEG, PNG, WebP or GIF).")
        ) from exc
    return image


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("This image is %(w)s x %(h)s pixels; the most we accept is %(max)s pixels in all.")
            % {"w": width, "h": height, "max": settings.IMAGE_MAX_PIXELS}
        )


def _save_options(output_format: str) -> dict:
    if output_format == "JPEG":
        return {"quality": 85, "optimize": True, "progressive": True}
    if output_format == "WEBP":
        return {"quality": 85}
    return {"optimize": True}
