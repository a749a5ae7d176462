"""{% picture %}: a stored image as a <picture> of its renditions, sized for where it is shown."""

import logging

from django import template
from django.utils.html import format_html

from images.renditions import STORAGE_ERRORS, renditions_shown

register = template.Library()
logger = logging.getLogger(__name__)

# The width each place shows a picture at, from the CSS, for the browser to pick a rendition
# before it has laid out the page. An em here is the browser's default font size, which our
# rem is 1.125 of (html { font-size: 112.5% }); .wrap pads the page by 1rem each side.
SIZES = {
    # .story is at most 42rem wide (47.25em), else the viewport less the padding.
    "column": "(min-width: 49.5em) 47.25em, calc(100vw - 2.25em)",
    # .portrait is at most 16rem wide (18em).
    "portrait": "(min-width: 20.25em) 18em, calc(100vw - 2.25em)",
}


@register.simple_tag
def picture(image, alt="", decorative=False, sizes="column", eager=False, css_class=""):
    """Render ``image`` (a stored ImageField file) with srcset, sizes, width and height.

    ``decorative`` images get an empty alt, so screen readers pass over them. ``eager`` is for
    the picture at the top of a page: fetched first rather than lazily. Written here, not by a
    template, so Django's templates and Jinja2's (advocacy/jinja.py) show the same markup.
    """
    shown = picture_context(image, alt, decorative, sizes, eager, css_class)
    return picture_html(**shown)


def picture_context(image, alt, decorative, sizes, eager, css_class) -> dict:
    width, height = _dimensions(image)
    context = {
        "src": image.url,
        "width": width,
        "height": height,
        "alt": "" if decorative else alt,
        "sizes": SIZES[sizes],
        "eager": eager,
        "css_class": css_class,
        "webp_srcset": "",
        "srcset": "",
    }
    try:
        renditions = renditions_shown(image.storage, image.name, width, height)
    except STORAGE_ERRORS:
        # A missing or unreadable original: show it plainly rather than fail the page.
        logger.warning("No renditions for %s", image.name, exc_info=True)
        return context
    webp = [each for each in renditions if each.format == "WEBP"]
    fallback = [each for each in renditions if each.format != "WEBP"]
    context["webp_srcset"] = _srcset(image.storage, webp)
    context["srcset"] = _srcset(image.storage, fallback)
    if len(webp) == 1:
        # A picture narrower than our smallest width has one size, shown at its own: no
        # choice for sizes to steer, and the browser must not think it larger than it is.
        context["sizes"] = ""
    return context


def picture_html(*, src, width, height, alt, sizes, eager, css_class, webp_srcset, srcset):
    """A <picture>: WebP renditions first, then the fallback's; src is the clean original, for
    browsers without srcset."""
    sizes_attr = format_html(' sizes="{}"', sizes) if sizes else ""
    source = (
        format_html('<source type="image/webp" srcset="{}"{}>', webp_srcset, sizes_attr)
        if webp_srcset
        else ""
    )
    loading = 'fetchpriority="high"' if eager else 'loading="lazy"'
    return format_html(
        '<picture>{}<img{} src="{}"{} width="{}" height="{}" alt="{}" '
        + loading
        + ' decoding="async"></picture>\n',
        source,
        format_html(' class="{}"', css_class) if css_class else "",
        src,
        format_html(' srcset="{}"{}', srcset, sizes_attr) if srcset else "",
        width,
        height,
        alt,
    )


@register.simple_tag(takes_context=True)
def picture_address(context, image) -> str:
    """The picture's full address, for other sites (og:image): on S3 it is on the media
    domain already; on the file system it is on this site."""
    return context["request"].build_absolute_uri(image.url)


def _dimensions(image) -> tuple[int, int]:
    """From the model's width and height fields: opening the file to measure it is slow."""
    field = image.field
    width = getattr(image.instance, field.width_field or "", None)
    height = getattr(image.instance, field.height_field or "", None)
    if width and height:
        return width, height
    return image.width, image.height


def _srcset(storage, renditions) -> str:
    if len(renditions) == 1:
        return storage.url(renditions[0].name)
    return ", ".join(f"{storage.url(each.name)} {each.width}w" for each in renditions)
